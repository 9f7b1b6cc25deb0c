import type { MessageStatus } from "../api";
import { describeStatus } from "../format";

export function StatusTag(props: { status: MessageStatus }) {
	const info = () => describeStatus(props.status);
	return <span class={`tag tag-${info().tone}`}>{info().label}</span>;
}
