// The filters beside a search: they live in the URL, so a search can be bookmarked and Back works.
// The API searches one folder at a time, Inbox unless the user picks another.
import { useSearchParams } from "@solidjs/router";

export function SearchFilters() {
	const [params, setParams] = useSearchParams();
	const on = (name: string) => params[name] === "1";
	const text = (name: string) => String(params[name] ?? "");
	const set = (name: string, value: string | undefined) => setParams({ [name]: value || undefined }, { replace: true });
	return (
		<fieldset class="filters">
			<legend class="visually-hidden">Filters</legend>
			<label class="filter-date">
				In
				<select
					value={text("folder") || "inbox"}
					onChange={(e) => set("folder", e.currentTarget.value === "inbox" ? undefined : e.currentTarget.value)}
				>
					<option value="inbox">Inbox</option>
					<option value="sent">Sent</option>
					<option value="trash">Trash</option>
				</select>
			</label>
			<label class="filter-check">
				<input type="checkbox" checked={on("unread")} onChange={(e) => set("unread", e.currentTarget.checked ? "1" : undefined)} />
				Unread
			</label>
			<label class="filter-check">
				<input
					type="checkbox"
					checked={on("attachments")}
					onChange={(e) => set("attachments", e.currentTarget.checked ? "1" : undefined)}
				/>
				Has attachment
			</label>
			<label class="filter-date">
				From date
				<input type="date" value={text("after")} max={text("before") || undefined} onChange={(e) => set("after", e.currentTarget.value)} />
			</label>
			<label class="filter-date">
				To date
				<input type="date" value={text("before")} min={text("after") || undefined} onChange={(e) => set("before", e.currentTarget.value)} />
			</label>
		</fieldset>
	);
}
