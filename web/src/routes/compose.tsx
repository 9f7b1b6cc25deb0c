// New message, reply, reply all, forward. Loaded on demand: most visits during an outage are
// to read, so the form's code stays out of the first download.
import { useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, Match, onMount, Show, Switch } from "solid-js";
import { createStore, produce } from "solid-js/store";
import { ApiError, api, type MessageDetail, uploadFile } from "../api";
import { AddressInput } from "../components/address-input";
import { AttachmentUploads, type PendingFile } from "../components/attachment-uploads";
import { PaperclipIcon, SentIcon } from "../components/icons";
import { Loading } from "../components/loading";
import { humanSize, longDate } from "../format";
import { checkAddressList, formatAddress } from "../lib/addresses";
import { type DraftKind, draftFor } from "../lib/compose-draft";
import { user, useSessionGuard } from "../session";
import { lastList } from "../state/list-memory";
import { mailboxStatus } from "../state/mailbox-status";
import { showToast } from "../state/toast";
import { useTitle } from "../title";

type Field = "to" | "cc" | "bcc";
const FIELD_LABEL: Record<Field, string> = { to: "To", cc: "Cc", bcc: "Bcc" };

const TITLES: Record<DraftKind | "new", string> = { new: "New message", reply: "Reply", replyAll: "Reply all", forward: "Forward" };

export default function Compose() {
	const navigate = useNavigate();
	const guard = useSessionGuard();
	const [params] = useSearchParams();
	const source = (): [DraftKind, string] | null => {
		for (const kind of ["reply", "replyAll", "forward"] as const) {
			const id = params[kind];
			if (typeof id === "string" && id) return [kind, id];
		}
		return null;
	};
	const kind = () => source()?.[0] ?? "new";
	const [original] = createResource(source, ([, id]) => api.getMessage(id));
	useTitle(() => TITLES[kind()]);

	const [fields, setFields] = createStore({ to: "", cc: "", bcc: "", subject: "", text: "" });
	const [showCc, setShowCc] = createSignal(false);
	const [showBcc, setShowBcc] = createSignal(false);
	const [files, setFiles] = createStore<PendingFile[]>([]);
	const [invalid, setInvalid] = createSignal<Field | null>(null);
	const [error, setError] = createSignal("");
	const [sending, setSending] = createSignal(false);
	const [ready, setReady] = createSignal(source() === null);
	const refs: Partial<Record<Field, HTMLInputElement>> = {};
	let body: HTMLTextAreaElement | undefined;
	let fileInput: HTMLInputElement | undefined;
	let nextKey = 1;

	createEffect(() => {
		const m = original.state === "ready" ? original() : undefined;
		const s = source();
		if (!m || !s || ready()) return;
		const draft = draftFor(s[0], m, user()?.email ?? "", longDate);
		setFields({ to: draft.to, cc: draft.cc, bcc: "", subject: draft.subject, text: draft.text });
		setShowCc(draft.cc.length > 0);
		setReady(true);
	});
	createEffect(() => {
		if (original.state === "errored") guard(original.error);
	});

	// A reply is written above the quote; a new message or a forward starts with its recipients.
	createEffect(() => {
		if (!ready()) return;
		queueMicrotask(() => {
			if (kind() === "reply" || kind() === "replyAll") {
				body?.focus();
				body?.setSelectionRange(0, 0);
				if (body) body.scrollTop = 0;
			} else refs.to?.focus();
		});
	});

	const limits = () => mailboxStatus()?.limits;
	const uploading = () => files.some((f) => !f.uploadId && !f.error);

	function addFiles(list: FileList | null) {
		for (const file of list ?? []) {
			const key = nextKey++;
			const max = limits()?.maxAttachmentBytes;
			const tooBig = max !== undefined && file.size > max;
			const controller = new AbortController();
			setFiles(files.length, {
				key,
				name: file.name,
				size: file.size,
				progress: 0,
				uploadId: null,
				error: tooBig ? `Too large: the limit is ${humanSize(max)} per file.` : null,
				controller,
			});
			if (tooBig) continue;
			const update = (patch: Partial<PendingFile>) => setFiles((f) => f.key === key, patch);
			uploadFile(file, (progress) => update({ progress }), controller.signal).then(
				(upload) => update({ uploadId: upload.id, progress: 1 }),
				(err) => {
					if (controller.signal.aborted) return;
					if (guard(err)) return;
					update({ error: err instanceof Error ? err.message : "Upload failed." });
				},
			);
		}
		if (fileInput) fileInput.value = "";
	}

	function removeFile(key: number) {
		files.find((f) => f.key === key)?.controller.abort();
		setFiles(
			produce((list) =>
				list.splice(
					list.findIndex((f) => f.key === key),
					1,
				),
			),
		);
	}

	/** Discard: back to the message being answered, or to the list the user came from. */
	function leave() {
		for (const f of files) f.controller.abort();
		const s = source();
		navigate(s ? `/message/${encodeURIComponent(s[1])}` : (lastList()?.path ?? "/"));
	}

	/** Client-side check first, so the user learns which entry is wrong before a round trip. */
	function checkRecipients(): { to: string[]; cc: string[]; bcc: string[] } | null {
		const out = { to: [] as string[], cc: [] as string[], bcc: [] as string[] };
		for (const field of ["to", "cc", "bcc"] as const) {
			const checked = checkAddressList(fields[field]);
			if (checked.invalid.length > 0) {
				if (field === "cc") setShowCc(true);
				if (field === "bcc") setShowBcc(true);
				fail(field, `“${checked.invalid[0]}” in ${FIELD_LABEL[field]} is not a valid email address.`);
				return null;
			}
			out[field] = checked.addresses.map(formatAddress);
		}
		if (out.to.length + out.cc.length + out.bcc.length === 0) {
			fail("to", "Add at least one recipient.");
			return null;
		}
		return out;
	}

	function fail(field: Field | null, message: string) {
		setInvalid(field);
		setError(message);
		if (field) queueMicrotask(() => refs[field]?.focus());
	}

	async function send(event?: SubmitEvent) {
		event?.preventDefault();
		if (sending()) return;
		setError("");
		setInvalid(null);
		const recipients = checkRecipients();
		if (!recipients) return;
		if (uploading()) return fail(null, "Wait for the attachments to finish uploading.");
		if (files.some((f) => f.error)) return fail(null, "Remove the attachments that could not be uploaded, then send again.");
		const s = source();
		setSending(true);
		try {
			const { id } = await api.send({
				...recipients,
				subject: fields.subject,
				text: fields.text,
				attachments: files.map((f) => f.uploadId as string),
				...(s && s[0] !== "forward" ? { inReplyTo: s[1] } : {}),
				...(s && s[0] === "forward" ? { forwardOf: s[1] } : {}),
			});
			showToast({ text: "Message sent.", link: { label: "View message", href: `/message/${encodeURIComponent(id)}` } });
			navigate(lastList()?.path ?? "/");
		} catch (err) {
			if (guard(err)) return;
			// A 422 names the bad address or field in its detail, written for the user.
			const message = err instanceof ApiError ? (err.detail ?? err.title) : "Sending failed. Try again.";
			const field = err instanceof ApiError && err.status === 422 ? fieldNamed(message) : null;
			fail(field ?? null, message);
		} finally {
			setSending(false);
		}
	}

	onMount(() => {
		if (ready()) refs.to?.focus();
	});

	return (
		<section class="compose" aria-labelledby="compose-heading">
			<h1 id="compose-heading">{TITLES[kind()]}</h1>
			<Switch>
				<Match when={original.state === "errored"}>
					<div role="alert" class="notice notice-error">
						<p>
							{original.error instanceof ApiError && original.error.status === 404
								? "The message you are answering no longer exists."
								: original.error instanceof Error
									? original.error.message
									: "Could not load the message."}
						</p>
					</div>
				</Match>
				<Match when={!ready()}>
					<Loading />
				</Match>
				<Match when={ready()}>
					<form
						class="compose-form"
						onSubmit={send}
						onKeyDown={(e) => {
							if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void send();
						}}
						novalidate
					>
						<AddressInput
							id="compose-to"
							label="To"
							value={fields.to}
							onInput={(v) => setFields("to", v)}
							invalid={invalid() === "to"}
							errorId="compose-error"
							ref={(el) => (refs.to = el)}
						>
							<span class="cc-toggles">
								<Show when={!showCc()}>
									<button type="button" class="link-button" onClick={() => setShowCc(true)}>
										Cc
									</button>
								</Show>
								<Show when={!showBcc()}>
									<button type="button" class="link-button" onClick={() => setShowBcc(true)}>
										Bcc
									</button>
								</Show>
							</span>
						</AddressInput>
						<Show when={showCc()}>
							<AddressInput
								id="compose-cc"
								label="Cc"
								value={fields.cc}
								onInput={(v) => setFields("cc", v)}
								invalid={invalid() === "cc"}
								errorId="compose-error"
								ref={(el) => (refs.cc = el)}
							/>
						</Show>
						<Show when={showBcc()}>
							<AddressInput
								id="compose-bcc"
								label="Bcc"
								value={fields.bcc}
								onInput={(v) => setFields("bcc", v)}
								invalid={invalid() === "bcc"}
								errorId="compose-error"
								ref={(el) => (refs.bcc = el)}
							/>
						</Show>
						<div class="compose-row">
							<label for="compose-subject">Subject</label>
							<input id="compose-subject" type="text" value={fields.subject} onInput={(e) => setFields("subject", e.currentTarget.value)} />
						</div>
						<label for="compose-body" class="visually-hidden">
							Message
						</label>
						<textarea
							ref={body}
							id="compose-body"
							class="compose-body"
							rows="14"
							value={fields.text}
							onInput={(e) => setFields("text", e.currentTarget.value)}
						/>
						<Show when={kind() === "forward" && original.state === "ready" && original()}>
							{(m) => <ForwardedAttachments message={m()} />}
						</Show>
						<Show when={files.length > 0}>
							<AttachmentUploads files={files} onRemove={removeFile} />
						</Show>
						<Show when={error()}>
							<p id="compose-error" role="alert" class="notice notice-error">
								{error()}
							</p>
						</Show>
						<div class="compose-actions">
							<button type="submit" class="button button-primary" disabled={sending() || uploading()}>
								<SentIcon />
								<span>{sending() ? "Sending…" : "Send"}</span>
							</button>
							<input
								ref={fileInput}
								id="compose-files"
								type="file"
								multiple
								class="visually-hidden"
								onChange={(e) => addFiles(e.currentTarget.files)}
							/>
							<label for="compose-files" class="button attach-button">
								<PaperclipIcon />
								<span>Attach files</span>
							</label>
							<Show when={limits()}>{(l) => <span class="muted limit-hint">up to {humanSize(l().maxAttachmentBytes)} per file</span>}</Show>
							<button type="button" class="button button-quiet discard" onClick={leave}>
								Discard
							</button>
						</div>
					</form>
				</Match>
			</Switch>
		</section>
	);
}

/** The field a 422 detail points at ("… in Cc is not an email address."), to mark it. */
function fieldNamed(detail: string): Field | null {
	const named = / in (To|Cc|Bcc)\b/.exec(detail)?.[1];
	return named ? (named.toLowerCase() as Field) : null;
}

function ForwardedAttachments(props: { message: MessageDetail }) {
	return (
		<Show when={props.message.attachments.length > 0}>
			<p class="muted forwarded-note">
				<PaperclipIcon />
				The original's attachments are included: {props.message.attachments.map((a) => a.filename || "attachment").join(", ")}.
			</p>
		</Show>
	);
}
