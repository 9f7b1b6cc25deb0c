// Where mail for the domain goes: the customer's own server. With "Test connection" beside
// it, because the first thing an admin wants after typing a host is to know it answers.
import { createSignal, Show } from "solid-js";
import type { AdminDomain, ConnectionTest } from "../../../src/api/domain-types";
import { adminApi } from "../api";
import { useSessionGuard } from "../session";
import { EndpointForm } from "./endpoint-form";
import { errorText } from "./errors";
import { createResult, ResultLine } from "./result";

const replyText = (o: ConnectionTest["outcome"]) => [o.code || "", o.enhanced, o.text].filter(Boolean).join(" ");

export function DeliveryForm(props: { domain: AdminDomain; onSaved: () => Promise<void> }) {
	const guard = useSessionGuard();
	const testResult = createResult();
	const [test, setTest] = createSignal<ConnectionTest | null>(null);
	const [testing, setTesting] = createSignal(false);

	async function runTest() {
		setTesting(true);
		setTest(null);
		testResult.clear();
		try {
			const t = await adminApi.testConnection(props.domain.id);
			setTest(t);
			if (t.ok) testResult.ok(`Connection works: ${replyText(t.outcome)}`);
			else testResult.error(`Connection failed: ${replyText(t.outcome)}`);
		} catch (err) {
			if (!guard(err)) testResult.error(errorText(err, "Could not test the connection."));
		} finally {
			setTesting(false);
		}
	}

	return (
		<EndpointForm
			{...props}
			prefix="delivery"
			title="Delivery destination"
			intro={<>Your mail server: we relay mail for {props.domain.displayName} to it, and hold mail while it is unreachable.</>}
			defaultTls="opportunistic"
			portHelp={
				<p>
					Cloudflare Workers cannot connect to port 25. Open another port for us on your server — 2525, or 587 with AUTH and TLS required.
					Postfix: add <code>2525 inet n - y - - smtpd</code> to master.cf. Exchange: create a receive connector on port 2525.
				</p>
			}
			patch={(endpoint) => ({ delivery: endpoint() })}
			okText="Destination saved. Test the connection, then use “Retry now” to deliver held mail."
			saveLabel="Save destination"
			actions={
				<button type="button" class="button" onClick={() => void runTest()} disabled={testing()} aria-describedby="delivery-test-help">
					{testing() ? "Testing…" : "Test connection"}
				</button>
			}
			actionsHelp={
				<p class="field-help" id="delivery-test-help">
					The test connects to the saved destination and says hello; it sends no mail and does not try the AUTH credentials.
				</p>
			}
		>
			<ResultLine id="delivery-test-result" result={testResult.result()} />
			<Show when={test()}>
				{(t) => (
					<div class="transcript-box">
						<h3 id="delivery-transcript-title">SMTP transcript</h3>
						<pre class="transcript" role="log" aria-labelledby="delivery-transcript-title" tabindex="0">
							{t().transcript.join("\n")}
						</pre>
					</div>
				)}
			</Show>
		</EndpointForm>
	);
}
