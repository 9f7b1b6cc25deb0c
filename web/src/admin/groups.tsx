// Company settings → Groups: an address whose mail reaches each member's Emergency Inbox (and,
// when the company's server is up, each member's own mailbox there, once). Create, change the
// members, delete — deleting asks on the page itself, next to the group, never in a browser dialog.
import { createSignal, Show } from "solid-js";
import { plural } from "../format";
import { useSessionGuard } from "../session";
import { useTitle } from "../title";
import { type GroupDetail, type GroupSummary, groupsApi } from "./directory-api";
import "./directory.css";
import { EmailInput, Field } from "../components/field";
import { CancelButton, SubmitButton } from "../components/form-buttons";
import { errorText, isForbidden } from "./errors";
import { Forbidden } from "./forbidden";
import { KeysetItems, useKeysetList } from "./keyset-list";
import { type Member, MemberPicker } from "./member-picker";
import { createResult, ResultLine } from "./result";
import { useCompanyName } from "./scope";

export default function Groups() {
	const company = useCompanyName();
	useTitle(() => "Groups");
	const guard = useSessionGuard();
	const list = useKeysetList(async (after) => {
		const page = await groupsApi.list(after);
		return { items: page.groups, nextCursor: page.nextCursor };
	});
	const { loading, error, load } = list;
	/** "new", a group being edited, or nothing. */
	const [editing, setEditing] = createSignal<"new" | GroupDetail | null>(null);
	const [confirming, setConfirming] = createSignal<string | null>(null);
	const result = createResult();

	void load(null);

	async function edit(id: string) {
		result.clear();
		try {
			setEditing(await groupsApi.get(id));
		} catch (err) {
			if (!guard(err)) result.error(errorText(err, "Could not open this group."));
		}
	}

	async function saved(group: GroupDetail, created: boolean) {
		setEditing(null);
		result.ok(created ? `Group ${group.address} created.` : `Group ${group.address} saved.`);
		await load(null);
	}

	async function remove(g: GroupSummary) {
		result.clear();
		try {
			await groupsApi.remove(g.id);
			setConfirming(null);
			result.ok(`Group ${g.address} deleted.`);
			await load(null);
		} catch (err) {
			if (!guard(err)) result.error(errorText(err, "Could not delete this group."));
		}
	}

	return (
		<Show when={!isForbidden(error())} fallback={<Forbidden detail={errorText(error(), "")} />}>
			<section class="admin-page" aria-labelledby="groups-title" aria-busy={loading()}>
				<div class="list-head">
					<h1 id="groups-title">Groups</h1>
					<Show when={editing() === null}>
						<button
							type="button"
							class="button button-primary"
							onClick={() => {
								result.clear();
								setEditing("new");
							}}
						>
							New group
						</button>
					</Show>
				</div>
				<p class="muted">
					Mail to a group's address reaches each member: in their Emergency Inbox while your server is down, and one copy each on your
					server when it is up. Disabled members are skipped.
				</p>
				<ResultLine id="groups-result" result={result.result()} />
				<Show when={editing()} keyed>
					{(g) => (
						<GroupEditor
							group={g === "new" ? null : g}
							onSaved={(saved_, created) => void saved(saved_, created)}
							onCancel={() => setEditing(null)}
						/>
					)}
				</Show>
				<KeysetItems list={list} label="Groups" failText="Could not load your company's groups." empty={`${company()} has no groups yet.`}>
					{(g) => (
						<li class="user-row group-row">
							<div class="user-who">
								<p class="user-email">{g.address}</p>
								<p class="muted">
									{g.name || "(no name)"} · {plural(g.memberCount, "member")}
								</p>
							</div>
							<div class="form-actions">
								<button type="button" class="button" onClick={() => void edit(g.id)}>
									Edit<span class="visually-hidden"> {g.address}</span>
								</button>
								<button type="button" class="button" aria-expanded={confirming() === g.id} onClick={() => setConfirming(g.id)}>
									Delete<span class="visually-hidden"> {g.address}</span>
								</button>
							</div>
							<Show when={confirming() === g.id}>
								<fieldset class="confirm notice notice-error" aria-label={`Confirm deleting ${g.address}`}>
									<p>
										Delete {g.address}? Its members keep the mail they already have; new mail to this address is then treated like mail to
										an unknown address.
									</p>
									<div class="form-actions">
										<button type="button" class="button button-primary" onClick={() => void remove(g)}>
											Delete group
										</button>
										<CancelButton onClick={() => setConfirming(null)} />
									</div>
								</fieldset>
							</Show>
						</li>
					)}
				</KeysetItems>
			</section>
		</Show>
	);
}

/** Which field a 422 from the groups API names: its detail starts with the field's name. */
function fieldOf(text: string): "address" | "name" | "members" | null {
	return (/^(address|name|members)\b/.exec(text)?.[1] as "address" | "name" | "members" | undefined) ?? null;
}

function GroupEditor(props: { group: GroupDetail | null; onSaved: (group: GroupDetail, created: boolean) => void; onCancel: () => void }) {
	const guard = useSessionGuard();
	const result = createResult();
	const [members, setMembers] = createSignal<Member[]>(props.group?.members ?? []);
	const [invalid, setInvalid] = createSignal<string | null>(null);
	const [saving, setSaving] = createSignal(false);
	const prefix = props.group ? "group-edit" : "group-new";

	async function submit(event: SubmitEvent) {
		event.preventDefault();
		if (saving()) return;
		const data = new FormData(event.currentTarget as HTMLFormElement);
		const name = String(data.get("name") ?? "");
		const ids = members().map((m) => m.id);
		setInvalid(null);
		result.clear();
		setSaving(true);
		try {
			const saved = props.group
				? await groupsApi.patch(props.group.id, { name, members: ids })
				: await groupsApi.create({ address: String(data.get("address") ?? ""), name, members: ids });
			props.onSaved(saved, !props.group);
		} catch (err) {
			if (guard(err)) return;
			const text = errorText(err, "Could not save the group.");
			const field = fieldOf(text);
			setInvalid(field);
			result.error(text);
			if (field) document.getElementById(`${prefix}-${field === "members" ? "find" : field}`)?.focus();
		} finally {
			setSaving(false);
		}
	}

	return (
		<form class="card admin-section group-editor stack" aria-labelledby={`${prefix}-title`} novalidate onSubmit={submit}>
			<h2 id={`${prefix}-title`}>{props.group ? `Edit ${props.group.address}` : "New group"}</h2>
			<Show when={!props.group}>
				<Field
					id={`${prefix}-address`}
					label="Address"
					hint="On one of your company's domains, and not already a user's address or alias, such as sales@ or support@."
					invalid={invalid() === "address"}
				>
					{(control) => <EmailInput {...control} name="address" inputmode="email" required />}
				</Field>
			</Show>
			<Field id={`${prefix}-name`} label="Name" invalid={invalid() === "name"}>
				{(control) => <input {...control} name="name" maxlength="200" value={props.group?.name ?? ""} />}
			</Field>
			<MemberPicker idPrefix={prefix} members={members()} onChange={setMembers} invalid={invalid() === "members"} />
			<ResultLine id={`${prefix}-result`} result={result.result()} />
			<div class="form-actions">
				<SubmitButton busy={saving()} busyText="Saving…">
					{props.group ? "Save group" : "Create group"}
				</SubmitButton>
				<CancelButton onClick={() => props.onCancel()} />
			</div>
		</form>
	);
}
