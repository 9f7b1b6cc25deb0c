// The reader: one message with its actions. Opening an unread message marks it read (the
// API leaves that to the client, so a preview or a prefetch never does it by accident).
import { useNavigate, useParams } from "@solidjs/router";
import { createEffect, createResource, Match, on, Show, Switch } from "solid-js";
import { ApiError, api, type MessageDetail } from "../api";
import { BackIcon, ForwardIcon, MailIcon, ReplyAllIcon, ReplyIcon, RestoreIcon, TrashIcon } from "../components/icons";
import { Loading } from "../components/loading";
import { MessageView } from "../components/message-view";
import { readOnly, useSessionGuard } from "../session";
import { useShortcuts } from "../state/keyboard";
import { forgetRemembered, lastList, markCurrent, neighbour, patchRemembered } from "../state/list-memory";
import { refreshStatus } from "../state/mailbox-status";
import { showToast } from "../state/toast";
import { useTitle } from "../title";

const FOLDER_PATHS = { inbox: "/", sent: "/sent", trash: "/trash" } as const;

export default function Message() {
	const params = useParams<{ id: string }>();
	const navigate = useNavigate();
	const guard = useSessionGuard();
	const [message] = createResource(() => params.id, api.getMessage);
	const errorText = () => {
		const err = message.error;
		if (err instanceof ApiError && err.status === 404) return "This message does not exist or is not in your mailbox.";
		return err instanceof Error ? err.message : "Could not load this message.";
	};
	const ready = () => (message.state === "ready" ? message() : undefined);

	createEffect(() => {
		if (message.state === "errored") guard(message.error);
	});
	useTitle(() => (ready() ? ready()?.headers?.subject || "(no subject)" : "Message"));

	createEffect(() => markCurrent(params.id));
	createEffect(
		on(ready, (m) => {
			if (!m || m.seen) return;
			api.patchMessages({ ids: [m.id], seen: true }).then(
				() => patchRemembered([m.id], { seen: true }),
				// Not worth an error on screen: the message is open either way; the list shows it unread.
				(err) => guard(err),
			);
		}),
	);

	const listPath = () => lastList()?.path ?? FOLDER_PATHS[ready()?.folder ?? "inbox"];
	const backToList = () => navigate(listPath());
	const compose = (kind: "reply" | "replyAll" | "forward") => {
		const m = ready();
		if (m) navigate(`/compose?${kind}=${encodeURIComponent(m.id)}`);
	};
	const step = (direction: 1 | -1) => {
		const next = neighbour(params.id, direction);
		if (next) navigate(`/message/${encodeURIComponent(next)}`);
	};

	async function act(m: MessageDetail, change: { seen: false } | { folder: "trash" | "restore" }) {
		try {
			await api.patchMessages({ ids: [m.id], ...change });
		} catch (err) {
			if (!guard(err)) showToast({ text: err instanceof Error ? err.message : "That did not work.", error: true });
			return;
		}
		if ("seen" in change) {
			patchRemembered([m.id], { seen: false });
			showToast({ text: "Marked unread." });
		} else {
			forgetRemembered([m.id]);
			void refreshStatus();
			const undo = change.folder === "trash" ? "restore" : "trash";
			showToast({
				text: change.folder === "trash" ? "Message moved to Trash." : "Message restored.",
				action: {
					label: "Undo",
					run: () =>
						void api.patchMessages({ ids: [m.id], folder: undo }).then(
							() => navigate(`/message/${encodeURIComponent(m.id)}`),
							(err) => !guard(err) && showToast({ text: err instanceof Error ? err.message : "Undo failed.", error: true }),
						),
				},
			});
		}
		backToList();
	}

	const remove = () => {
		const m = ready();
		if (m) void act(m, m.folder === "trash" ? { folder: "restore" } : { folder: "trash" });
	};

	useShortcuts({
		next: () => step(1),
		previous: () => step(-1),
		back: backToList,
		// Read-only (an admin viewing someone's inbox): the keys that would change it do nothing.
		reply: () => readOnly() || compose("reply"),
		replyAll: () => readOnly() || compose("replyAll"),
		forward: () => readOnly() || compose("forward"),
		delete: () => readOnly() || remove(),
	});

	return (
		<article class="reader" aria-labelledby="reader-subject" aria-busy={message.loading}>
			<fieldset class="toolbar reader-toolbar" aria-label="Message actions">
				<button type="button" class="button button-tool" onClick={backToList} title="Back to the list (u)">
					<BackIcon />
					<span>Back</span>
				</button>
				<Show when={!readOnly() && ready()}>
					{(m) => (
						<>
							<button type="button" class="button button-tool" onClick={() => compose("reply")} title="Reply (r)">
								<ReplyIcon />
								<span>Reply</span>
							</button>
							<button type="button" class="button button-tool" onClick={() => compose("replyAll")} title="Reply all (a)">
								<ReplyAllIcon />
								<span>Reply all</span>
							</button>
							<button type="button" class="button button-tool" onClick={() => compose("forward")} title="Forward (f)">
								<ForwardIcon />
								<span>Forward</span>
							</button>
							<Show
								when={m().folder === "trash"}
								fallback={
									<button type="button" class="button button-tool" onClick={remove} title="Delete (#)">
										<TrashIcon />
										<span>Delete</span>
									</button>
								}
							>
								<button type="button" class="button button-tool" onClick={remove} title="Restore (#)">
									<RestoreIcon />
									<span>Restore</span>
								</button>
							</Show>
							<button type="button" class="button button-tool" onClick={() => void act(m(), { seen: false })}>
								<MailIcon />
								<span>Mark unread</span>
							</button>
						</>
					)}
				</Show>
			</fieldset>
			<Switch>
				<Match when={message.state === "errored"}>
					<div role="alert" class="notice notice-error">
						<p>{errorText()}</p>
					</div>
				</Match>
				<Match when={ready()} keyed>
					{(m) => <MessageView message={m} />}
				</Match>
				<Match when={message.loading}>
					<Loading />
				</Match>
			</Switch>
		</article>
	);
}
