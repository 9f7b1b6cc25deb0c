import { Route, Router } from "@solidjs/router";
import { render } from "solid-js/web";
import Shell from "./components/shell";
import Login from "./routes/login";
import Mailbox from "./routes/mailbox";
import Message from "./routes/message";
import NotFound from "./routes/not-found";
import "./styles.css";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");

render(
	() => (
		<Router>
			<Route path="/login" component={Login} />
			{/* Everything under the shell needs a session; the shell sends others to /login. */}
			<Route path="/" component={Shell}>
				<Route path="/" component={Mailbox} />
				<Route path="/message/:id" component={Message} />
			</Route>
			<Route path="*" component={NotFound} />
		</Router>
	),
	root,
);
