// Attachments as download links. The URLs need no cookie and always download, so a mail's
// "text/html" attachment can never render in our origin.
import { For } from "solid-js";
import type { Attachment } from "../api";
import { humanSize } from "../format";
import { PaperclipIcon } from "./icons";

export function AttachmentList(props: { attachments: Attachment[] }) {
	return (
		<section class="attachments" aria-labelledby="attachments-heading">
			<h2 id="attachments-heading">{props.attachments.length === 1 ? "1 attachment" : `${props.attachments.length} attachments`}</h2>
			<ul>
				<For each={props.attachments}>
					{(a) => (
						<li class="attachment">
							<PaperclipIcon />
							<a href={a.downloadUrl} download="" class="attachment-name">
								{a.filename || "attachment"}
							</a>
							<span class="muted attachment-size">
								{humanSize(a.size)}
								<span class="visually-hidden">, {a.contentType}</span>
							</span>
						</li>
					)}
				</For>
			</ul>
		</section>
	);
}
