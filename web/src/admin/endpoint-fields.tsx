// Host, port, TLS and optional AUTH for an SMTP endpoint: the delivery destination and the
// outbound smarthost share them. Uncontrolled inputs read with FormData on submit, like the
// sign-in form; the password is never filled in (the API never sends it back).
import { createEffect, createMemo, createSignal, For, type JSX, on, Show } from "solid-js";
import type { EndpointPatch, EndpointView, TlsMode } from "../../../src/api/domain-types";
import { Field } from "../components/field";
import { EntryError } from "./units";

const TLS_CHOICES: { value: TlsMode; label: string; hint: string }[] = [
	{ value: "required", label: "Required", hint: "STARTTLS must succeed, or nothing is sent." },
	{ value: "opportunistic", label: "Opportunistic", hint: "Encrypt when the server offers STARTTLS, otherwise send in clear." },
	{ value: "off", label: "Off", hint: "Never encrypt: only for a server on a trusted network." },
];

export interface EndpointFieldsProps {
	/** "delivery" or "outbound": prefixes ids and names, and matches the API's field names in errors. */
	prefix: "delivery" | "outbound";
	current: EndpointView | null;
	defaultTls: TlsMode;
	/** The API's field that a 422 named ("delivery.port"), to mark invalid. */
	invalid: string | null;
	/** Id of the element with the error text, for aria-describedby on the invalid field. */
	errorId: string;
	portHelp: JSX.Element;
}

export function EndpointFields(props: EndpointFieldsProps) {
	const id = (name: string) => `${props.prefix}-${name}`;
	const [tls, setTls] = createSignal<TlsMode>(props.current?.tls ?? props.defaultTls);
	const [removing, setRemoving] = createSignal(false);
	// Once removed credentials are saved the checkbox goes away; the fields must come back. A
	// memo: a poll that hands over the same settings must not undo a ticked box.
	const authUser = createMemo(() => props.current?.authUser);
	createEffect(on(authUser, () => setRemoving(false), { defer: true }));
	const bad = (field: string) => props.invalid === `${props.prefix}.${field}`;
	return (
		<div class="endpoint-fields">
			<div class="form-row">
				<Field id={id("host")} label="Host" class="field-grow" invalid={bad("host")} errorId={props.errorId}>
					{(control) => (
						<input
							{...control}
							name={id("host")}
							type="text"
							autocomplete="off"
							spellcheck={false}
							value={props.current?.host ?? ""}
							placeholder="mail.example.com"
						/>
					)}
				</Field>
				<Field id={id("port")} label="Port" class="field-port" describedBy={id("port-help")} invalid={bad("port")} errorId={props.errorId}>
					{(control) => (
						<input {...control} name={id("port")} type="text" inputmode="numeric" autocomplete="off" value={props.current?.port ?? ""} />
					)}
				</Field>
			</div>
			<div class="field-help" id={id("port-help")}>
				{props.portHelp}
			</div>
			<Field id={id("tls")} label="TLS" hint={TLS_CHOICES.find((c) => c.value === tls())?.hint}>
				{(control) => (
					<select {...control} name={id("tls")} onChange={(e) => setTls(e.currentTarget.value as TlsMode)}>
						<For each={TLS_CHOICES}>
							{(c) => (
								<option value={c.value} selected={c.value === tls()}>
									{c.label}
								</option>
							)}
						</For>
					</select>
				)}
			</Field>
			<fieldset class="auth-fields">
				<legend>SMTP AUTH (optional)</legend>
				<div class="form-row">
					<Field id={id("auth-user")} label="User" class="field-grow">
						{(control) => (
							<input
								{...control}
								name={id("auth-user")}
								type="text"
								autocomplete="off"
								spellcheck={false}
								value={props.current?.authUser ?? ""}
								disabled={removing()}
							/>
						)}
					</Field>
					<Field id={id("auth-pass")} label="Password" class="field-grow" describedBy={id("auth-help")}>
						{(control) => <input {...control} name={id("auth-pass")} type="password" autocomplete="new-password" disabled={removing()} />}
					</Field>
				</div>
				<p class="field-help" id={id("auth-help")}>
					{props.current?.authUser
						? "A password is stored. Leave the password empty to keep the current one."
						: "Only if your server asks us to authenticate. Stored encrypted; never shown again."}
				</p>
				<Show when={props.current?.authUser}>
					<label class="check">
						<input type="checkbox" name={id("auth-remove")} onChange={(e) => setRemoving(e.currentTarget.checked)} />
						Remove credentials
					</label>
				</Show>
			</fieldset>
		</div>
	);
}

/** The endpoint as the API wants it; `auth` only when the admin changed the credentials. */
export function readEndpoint(form: FormData, prefix: string, current: EndpointView | null): EndpointPatch {
	const get = (name: string) => String(form.get(`${prefix}-${name}`) ?? "");
	const portText = get("port").trim();
	const endpoint: EndpointPatch = {
		host: get("host").trim(),
		// Not checked here: the API's 422 says what is allowed (and differs per environment).
		port: portText === "" ? 0 : Number(portText),
		tls: get("tls") as TlsMode,
	};
	if (form.get(`${prefix}-auth-remove`)) return { ...endpoint, auth: null };
	const user = get("auth-user").trim();
	const pass = get("auth-pass");
	if (pass) {
		if (!user) throw new EntryError(`${prefix}.auth`, "Enter the AUTH user that goes with the password.");
		return { ...endpoint, auth: { user, pass } };
	}
	// The API stores user and password together; a new user without its password cannot be saved.
	if (user && user !== (current?.authUser ?? "")) throw new EntryError(`${prefix}.auth`, `Enter the password for ${user} too.`);
	if (!user && current?.authUser) throw new EntryError(`${prefix}.auth`, "To remove the credentials, tick “Remove credentials”.");
	return endpoint;
}
