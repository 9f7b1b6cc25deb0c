import type { Folder, MessageStatus } from "../api";
import { describeStatus } from "../format";

export function StatusTag(props: { status: MessageStatus; folder?: Folder }) {
	const info = () => describeStatus(props.status, props.folder);
	return <span class={`tag tag-${info().tone}`}>{info().label}</span>;
}
