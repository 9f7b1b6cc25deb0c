// Files attached in the compose form: each uploads as soon as it is picked (so Send is
// quick), shows its progress, and can be removed, which also cancels its upload.
import { For, Show } from "solid-js";
import { humanSize } from "../format";
import { CloseIcon, PaperclipIcon } from "./icons";

export interface PendingFile {
	key: number;
	name: string;
	size: number;
	/** 0..1 while uploading. */
	progress: number;
	uploadId: string | null;
	error: string | null;
	controller: AbortController;
}

export function AttachmentUploads(props: { files: PendingFile[]; onRemove: (key: number) => void }) {
	return (
		<ul class="uploads" aria-label="Attachments">
			<For each={props.files}>
				{(f) => (
					<li class="upload" classList={{ "upload-error": !!f.error }}>
						<PaperclipIcon />
						<span class="upload-name">{f.name}</span>
						<span class="muted upload-size">{humanSize(f.size)}</span>
						<Show when={!f.uploadId && !f.error}>
							<progress class="upload-progress" max="1" value={f.progress} aria-label={`Uploading ${f.name}`} />
							<span class="muted">Uploading…</span>
						</Show>
						<Show when={f.error}>
							<span class="upload-message">{f.error}</span>
						</Show>
						<button type="button" class="button button-icon" aria-label={`Remove ${f.name}`} onClick={() => props.onRemove(f.key)}>
							<CloseIcon />
						</button>
					</li>
				)}
			</For>
		</ul>
	);
}
