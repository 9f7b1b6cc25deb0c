// Account → Security: the signed-in person's own second factor. Set up an authenticator app
// (scan the QR code, or type the key), confirm it with a code, and keep the ten recovery codes
// shown once; or turn it off with a code from it.
import { useNavigate } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { encode } from "uqr";
import type { TotpSetup } from "../../../src/api/types";
import { api } from "../api";
import { CodeField, ErrorLine } from "../components/field";
import { SubmitButton } from "../components/form-buttons";
import { Loading } from "../components/loading";
import { longDate } from "../format";
import { homePath, mustEnrol, reloadSession, user } from "../session";
import { useTitle } from "../title";

/** The otpauth:// URI as a QR code: dark modules as one SVG path, no script, no image request. */
function QrCode(props: { text: string }) {
	const qr = () => encode(props.text, { border: 2 });
	const path = () =>
		qr()
			.data.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x} ${y}h1v1h-1z` : "")))
			.join("");
	return (
		<svg class="qr" viewBox={`0 0 ${qr().size} ${qr().size}`} role="img" aria-label="QR code for your authenticator app">
			<rect width="100%" height="100%" fill="#fff" />
			<path d={path()} fill="#000" />
		</svg>
	);
}

export default function Security() {
	useTitle(() => "Security");
	const [status, { refetch }] = createResource(() => api.secondFactorStatus());
	const [setup, setSetup] = createSignal<TotpSetup | null>(null);
	const [codes, setCodes] = createSignal<string[] | null>(null);
	const [error, setError] = createSignal("");
	const [pending, setPending] = createSignal(false);
	const navigate = useNavigate();
	// Remembered for "I have kept them": by then the session no longer needs one.
	const wasRequired = createMemo<boolean>((was) => was || mustEnrol(), false);

	async function run(work: () => Promise<void>) {
		setError("");
		setPending(true);
		try {
			await work();
		} catch (err) {
			setError(err instanceof Error ? err.message : "That did not work.");
		} finally {
			setPending(false);
		}
	}

	const code = (event: SubmitEvent) => String(new FormData(event.currentTarget as HTMLFormElement).get("code") ?? "");

	function confirm(event: SubmitEvent) {
		event.preventDefault();
		const typed = code(event);
		void run(async () => {
			const { recoveryCodes } = await api.confirmTotp(typed);
			// Required and now set up: the session is asked again before the codes show, so
			// "I have kept them" opens the rest of the app.
			if (mustEnrol()) await reloadSession();
			await refetch();
			setCodes(recoveryCodes);
			setSetup(null);
		});
	}

	function kept() {
		setCodes(null);
		const u = user();
		if (u && wasRequired()) navigate(homePath(u), { replace: true });
	}

	function turnOff(event: SubmitEvent) {
		event.preventDefault();
		const typed = code(event);
		void run(async () => {
			await api.disableTotp(typed);
			await refetch();
		});
	}

	const errorLine = () => <ErrorLine message={error()} />;

	return (
		<section class="page narrow stack" aria-labelledby="security-title">
			<h1 id="security-title">Security</h1>
			<Show when={mustEnrol()}>
				<p role="status" class="notice">
					Your role signs in with a second factor. Set up an authenticator app to continue.
				</p>
			</Show>
			<Show when={codes()}>
				{(list) => (
					<section class="card stack" aria-labelledby="recovery-title">
						<h2 id="recovery-title">Your recovery codes</h2>
						<p>
							Each signs you in once if you lose your phone. Keep them somewhere safe, away from this computer: they are not shown again.
						</p>
						<ul class="recovery-codes" aria-label="Recovery codes">
							<For each={list()}>{(c) => <li>{c}</li>}</For>
						</ul>
						<button type="button" class="button" onClick={kept}>
							I have kept them
						</button>
					</section>
				)}
			</Show>
			<Switch fallback={<Loading />}>
				<Match when={status.error}>
					<p role="alert" class="notice notice-error">
						{status.error instanceof Error ? status.error.message : "Could not load your security settings."}
					</p>
				</Match>
				<Match when={setup()}>
					{(s) => (
						<form class="card stack" onSubmit={confirm} aria-labelledby="setup-title">
							<h2 id="setup-title">Set up an authenticator app</h2>
							<p>Scan this with an authenticator app (such as Google Authenticator, Microsoft Authenticator or 1Password).</p>
							<QrCode text={s().uri} />
							<p>
								Or type this key: <code class="totp-secret">{s().secret}</code>
							</p>
							<CodeField id="totp-confirm" label="Code the app shows" />
							{errorLine()}
							<SubmitButton busy={pending()} busyText="Checking…">
								Turn on
							</SubmitButton>
						</form>
					)}
				</Match>
				<Match when={status()}>
					{(st) => (
						<Show
							when={st().totp.enabled}
							fallback={
								<section class="card stack">
									<h2>Authenticator app</h2>
									<p>Off. With it on, signing in asks for a code from your phone after your password.</p>
									{errorLine()}
									<button
										type="button"
										class="button button-primary"
										disabled={pending()}
										onClick={() =>
											void run(async () => {
												setSetup(await api.startTotp());
											})
										}
									>
										Set up an authenticator app
									</button>
								</section>
							}
						>
							<form class="card stack" onSubmit={turnOff}>
								<h2>Authenticator app</h2>
								<p>
									On since {longDate(st().totp.enabledAt ?? "")}. {st().recoveryCodesLeft} of 10 recovery codes left.
								</p>
								<CodeField id="totp-off" label="Code the app shows, to turn it off" />
								{errorLine()}
								<SubmitButton busy={pending()} busyText="Turning off…">
									Turn off
								</SubmitButton>
							</form>
						</Show>
					)}
				</Match>
			</Switch>
		</section>
	);
}
