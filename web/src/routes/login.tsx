import { useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal, Match, Show, Switch } from "solid-js";
import type { SecondFactorRequired, SignedIn } from "../../../src/api/types";
import { api } from "../api";
import { CodeField, ErrorLine, Field } from "../components/field";
import { SubmitButton } from "../components/form-buttons";
import { forgetSession, homePath, reloadSession, safeNext } from "../session";
import { APP_NAME, useTitle } from "../title";

/**
 * password: the usual form. ask: which address to mail a code for. code: the code from that
 * mail. second: the authenticator app's code (or a recovery code), for an account that has one.
 */
type Step = "password" | "ask" | "code" | "second";

export default function Login() {
	const navigate = useNavigate();
	const [search] = useSearchParams();
	const [step, setStep] = createSignal<Step>("password");
	const [email, setEmail] = createSignal("");
	const [minutes, setMinutes] = createSignal(10);
	const [error, setError] = createSignal("");
	const [pending, setPending] = createSignal(false);
	const [recovery, setRecovery] = createSignal(false);
	useTitle(() => "Sign in");

	/** Runs one step's request; the worker's problem detail is written for the user (wrong code, too many attempts). */
	async function attempt(work: () => Promise<void>, fallback: string) {
		setError("");
		setPending(true);
		try {
			await work();
		} catch (err) {
			setError(err instanceof Error ? err.message : fallback);
		} finally {
			setPending(false);
		}
	}

	async function signedIn(answer: SignedIn | SecondFactorRequired) {
		if ("secondFactor" in answer) {
			setRecovery(false);
			setStep("second");
			return;
		}
		forgetSession();
		// Asked again rather than taken from the answer: the session says whether a second factor must be set up first.
		const user = await reloadSession();
		const next = safeNext(search.next);
		navigate(next === "/" ? homePath(user) : next, { replace: true });
	}

	const fields = (event: SubmitEvent) => new FormData(event.currentTarget as HTMLFormElement);

	function submitPassword(event: SubmitEvent) {
		event.preventDefault();
		const form = fields(event);
		void attempt(
			async () => signedIn(await api.signIn(String(form.get("email") ?? ""), String(form.get("password") ?? ""))),
			"Sign-in failed.",
		);
	}

	function submitAsk(event: SubmitEvent) {
		event.preventDefault();
		const address = String(fields(event).get("email") ?? "").trim();
		void attempt(async () => {
			const { expiresInSeconds } = await api.requestCode(address);
			setEmail(address);
			setMinutes(Math.round(expiresInSeconds / 60));
			setStep("code");
		}, "The code could not be sent.");
	}

	function submitCode(event: SubmitEvent) {
		event.preventDefault();
		const code = String(fields(event).get("code") ?? "");
		void attempt(async () => signedIn(await api.signInWithCode(email(), code)), "Sign-in failed.");
	}

	function submitSecond(event: SubmitEvent) {
		event.preventDefault();
		const form = fields(event);
		const answer = recovery() ? { recoveryCode: String(form.get("recovery") ?? "") } : { code: String(form.get("code") ?? "") };
		void attempt(async () => signedIn(await api.secondFactor(answer)), "Sign-in failed.");
	}

	function go(to: Step) {
		setError("");
		setStep(to);
	}

	const emailField = (id: string) => (
		<Field id={id} label="Email address">
			{(control) => (
				<input
					{...control}
					name="email"
					type="email"
					autocomplete="username"
					required
					spellcheck={false}
					value={email()}
					onInput={(e) => setEmail(e.currentTarget.value)}
				/>
			)}
		</Field>
	);

	const errorLine = <ErrorLine message={error()} />;

	return (
		<main class="page narrow login">
			<h1>{APP_NAME}</h1>
			<p class="muted">Read mail that is held for you while your mail server is unreachable.</p>
			<Switch>
				<Match when={step() === "password"}>
					<form class="stack" onSubmit={submitPassword}>
						{emailField("login-email")}
						<Field id="login-password" label="Password">
							{(control) => <input {...control} name="password" type="password" autocomplete="current-password" required />}
						</Field>
						{errorLine}
						<SubmitButton busy={pending()} busyText="Signing in…">
							Sign in
						</SubmitButton>
					</form>
					<p>
						<button type="button" class="link-button" onClick={() => go("ask")}>
							No password? Email me a sign-in code
						</button>
					</p>
				</Match>
				<Match when={step() === "ask"}>
					<form class="stack" onSubmit={submitAsk}>
						<p>We send a one-time code to the alternate address your administrator has on file for you, not to your work mailbox.</p>
						{emailField("code-email")}
						{errorLine}
						<SubmitButton busy={pending()} busyText="Sending…">
							Send me a code
						</SubmitButton>
					</form>
					<p>
						<button type="button" class="link-button" onClick={() => go("password")}>
							Sign in with my password instead
						</button>
					</p>
				</Match>
				<Match when={step() === "code"}>
					<form class="stack" onSubmit={submitCode}>
						<p role="status">
							If {email()} has an Emergency Inbox and an alternate address on file, a code is on its way there. It works once, for{" "}
							{minutes()} minutes.
						</p>
						<CodeField id="login-code" label="Code from the email" />
						{errorLine}
						<SubmitButton busy={pending()} busyText="Signing in…">
							Sign in
						</SubmitButton>
					</form>
					<p class="login-alternatives">
						<button type="button" class="link-button" onClick={() => go("ask")}>
							Send a new code
						</button>
						<button type="button" class="link-button" onClick={() => go("password")}>
							Sign in with my password instead
						</button>
					</p>
				</Match>
				<Match when={step() === "second"}>
					<form class="stack" onSubmit={submitSecond}>
						<Show when={recovery()} fallback={<CodeField id="login-totp" label="Code from your authenticator app" />}>
							<Field id="login-recovery" label="Recovery code">
								{(control) => <input {...control} name="recovery" autocomplete="off" spellcheck={false} required />}
							</Field>
						</Show>
						{errorLine}
						<SubmitButton busy={pending()} busyText="Checking…">
							Continue
						</SubmitButton>
					</form>
					<p class="login-alternatives">
						<button type="button" class="link-button" onClick={() => setRecovery(!recovery())}>
							{recovery() ? "Use the authenticator app" : "Lost your phone? Use a recovery code"}
						</button>
						<button type="button" class="link-button" onClick={() => go("password")}>
							Start over
						</button>
					</p>
				</Match>
			</Switch>
		</main>
	);
}
