import { A } from "@solidjs/router";
import { useTitle } from "../title";

export default function NotFound() {
	useTitle(() => "Not found");
	return (
		<main class="page narrow">
			<h1>Page not found</h1>
			<p>
				<A href="/">Go to your mailbox</A>
			</p>
		</main>
	);
}
