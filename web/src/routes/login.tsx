import { useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { api } from "../api";
import { Field } from "../components/field";
import { SubmitButton } from "../components/form-buttons";
import { forgetSession, homePath, safeNext, setUser } from "../session";
import { APP_NAME, useTitle } from "../title";

export default function Login() {
	const navigate = useNavigate();
	const [search] = useSearchParams();
	const [error, setError] = createSignal("");
	const [pending, setPending] = createSignal(false);
	useTitle(() => "Sign in");

	async function submit(event: SubmitEvent) {
		event.preventDefault();
		const form = new FormData(event.currentTarget as HTMLFormElement);
		setError("");
		setPending(true);
		try {
			const { user } = await api.signIn(String(form.get("email") ?? ""), String(form.get("password") ?? ""));
			forgetSession();
			setUser(user);
			const next = safeNext(search.next);
			navigate(next === "/" ? homePath(user) : next, { replace: true });
		} catch (err) {
			// The worker's problem detail is written for the user (wrong password, too many attempts).
			setError(err instanceof Error ? err.message : "Sign-in failed.");
		} finally {
			setPending(false);
		}
	}

	return (
		<main class="page narrow login">
			<h1>{APP_NAME}</h1>
			<p class="muted">Read mail that is held for you while your mail server is unreachable.</p>
			<form class="stack" onSubmit={submit}>
				<Field id="login-email" label="Email address">
					{(control) => <input {...control} name="email" type="email" autocomplete="username" required spellcheck={false} />}
				</Field>
				<Field id="login-password" label="Password">
					{(control) => <input {...control} name="password" type="password" autocomplete="current-password" required />}
				</Field>
				<Show when={error()}>
					<p role="alert" class="notice notice-error">
						{error()}
					</p>
				</Show>
				<SubmitButton busy={pending()} busyText="Signing in…">
					Sign in
				</SubmitButton>
			</form>
		</main>
	);
}
