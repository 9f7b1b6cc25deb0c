// A user's page, the parts that act on the account as a whole: whether it may sign in, the
// welcome email, and deleting it. Deleting asks on the page (never a browser dialog) and says
// what happens to the mail: held mail still goes to the company's server, in nobody's inbox.
import { useNavigate } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { type AdminUser, adminApi } from "../api";
import { user as me, useSessionGuard } from "../session";
import { showToast } from "../state/toast";
import { errorText } from "./errors";
import { createResult, ResultLine } from "./result";
import { useAdminHref } from "./scope";
import { inviteSummary } from "./user-text";

export function AccessSection(props: { user: AdminUser; onSaved: (u: AdminUser) => void }) {
	const guard = useSessionGuard();
	const result = createResult();
	const [pending, setPending] = createSignal(false);

	async function act(change: () => Promise<AdminUser>, said: (u: AdminUser) => string) {
		result.clear();
		setPending(true);
		try {
			const saved = await change();
			props.onSaved(saved);
			result.ok(said(saved));
		} catch (err) {
			if (!guard(err)) result.error(errorText(err, "Could not change this account."));
		} finally {
			setPending(false);
		}
	}

	const flip = () =>
		act(
			() => adminApi.patchUser(props.user.id, { disabled: !props.user.disabled }),
			(saved) => (saved.disabled ? `${saved.email} is disabled and was signed out everywhere.` : `${saved.email} can sign in again.`),
		);
	const reset = () =>
		act(
			() => adminApi.resetSecondFactor(props.user.id),
			(saved) => `${saved.email} signs in without an authenticator app now, and can set one up again.`,
		);

	return (
		<section class="card admin-section" aria-labelledby="user-access-title">
			<h2 id="user-access-title">Sign-in</h2>
			<p class="muted">
				{props.user.disabled
					? "This account is disabled: it cannot sign in. Mail to its addresses is still accepted and delivered."
					: "A disabled account cannot sign in and is signed out at once. Mail to its addresses is still accepted and delivered."}
			</p>
			<p class="muted">
				{props.user.secondFactor
					? "Signs in with an authenticator app after the password. If both the phone and the recovery codes are lost, reset it."
					: "No authenticator app is set up."}
			</p>
			<div class="form-actions">
				<button type="button" class="button" disabled={pending()} onClick={() => void flip()}>
					{props.user.disabled ? "Enable account" : "Disable account"}
				</button>
				<Show when={props.user.secondFactor}>
					<button type="button" class="button" disabled={pending()} onClick={() => void reset()}>
						Reset authenticator app
					</button>
				</Show>
			</div>
			<ResultLine result={result.result()} />
		</section>
	);
}

export function WelcomeSection(props: { user: AdminUser; onSent: () => void }) {
	const guard = useSessionGuard();
	const result = createResult();
	const [pending, setPending] = createSignal(false);

	async function send() {
		result.clear();
		setPending(true);
		try {
			result.ok(inviteSummary(await adminApi.inviteUsers([props.user.id])));
			props.onSent();
		} catch (err) {
			if (!guard(err)) result.error(errorText(err, "Could not send the welcome email."));
		} finally {
			setPending(false);
		}
	}

	return (
		<section class="card admin-section" aria-labelledby="user-welcome-title">
			<h2 id="user-welcome-title">Welcome email</h2>
			<p class="muted">
				{props.user.alternateEmail
					? `A link to choose a password (valid for 7 days, once) goes to ${props.user.alternateEmail}. Sending it again makes the previous link stop working.`
					: "Add an alternate address first: the welcome email goes there, not to the address at your domain."}
			</p>
			<div class="form-actions">
				<button
					type="button"
					class="button"
					disabled={pending() || !props.user.alternateEmail || props.user.disabled}
					onClick={() => void send()}
				>
					{pending() ? "Sending…" : "Send welcome email"}
				</button>
			</div>
			<ResultLine result={result.result()} />
		</section>
	);
}

export function DeleteSection(props: { user: AdminUser }) {
	const guard = useSessionGuard();
	const navigate = useNavigate();
	const to = useAdminHref();
	const result = createResult();
	const [asking, setAsking] = createSignal(false);
	const [pending, setPending] = createSignal(false);
	const self = () => props.user.id === me()?.id;
	let confirmButton!: HTMLButtonElement;

	async function remove() {
		result.clear();
		setPending(true);
		try {
			const done = await adminApi.deleteUser(props.user.id);
			const held = done.detachedMessages;
			showToast({
				text: `${done.email} deleted.${held ? ` ${held} message${held === 1 ? "" : "s"} kept for your mail server, in nobody's Emergency Inbox.` : ""}`,
			});
			navigate(to("/users"));
		} catch (err) {
			if (!guard(err)) result.error(errorText(err, "Could not delete this user."));
		} finally {
			setPending(false);
		}
	}

	return (
		<section class="card admin-section" aria-labelledby="user-delete-title">
			<h2 id="user-delete-title">Delete</h2>
			<Show
				when={asking()}
				fallback={
					<>
						<p class="muted">
							{self()
								? "You cannot delete your own account; another administrator can."
								: "Removes the account for good. To keep it, disable it instead."}
						</p>
						<div class="form-actions">
							<button
								type="button"
								class="button"
								disabled={self()}
								onClick={() => {
									setAsking(true);
									queueMicrotask(() => confirmButton?.focus());
								}}
							>
								Delete user…
							</button>
						</div>
					</>
				}
			>
				<fieldset class="notice notice-error confirm-delete" aria-labelledby="user-delete-question">
					<p id="user-delete-question">
						<strong>Delete {props.user.email}?</strong>
					</p>
					<p>
						The account, its aliases and group memberships are removed and it is signed out at once. Mail held for it stays and is still
						delivered to your mail server, but no Emergency Inbox shows it any more; messages it wrote that have not gone out yet are not
						sent. This cannot be undone.
					</p>
					<div class="form-actions">
						<button ref={confirmButton} type="button" class="button button-danger" disabled={pending()} onClick={() => void remove()}>
							{pending() ? "Deleting…" : `Delete ${props.user.email}`}
						</button>
						<button type="button" class="button" onClick={() => setAsking(false)}>
							Keep the account
						</button>
					</div>
				</fieldset>
			</Show>
			<ResultLine result={result.result()} />
		</section>
	);
}
