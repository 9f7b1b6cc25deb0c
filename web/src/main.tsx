import { Route, Router } from "@solidjs/router";
import { lazy } from "solid-js";
import { render } from "solid-js/web";
import Shell from "./components/shell";
import Login from "./routes/login";
import Mailbox from "./routes/mailbox";
import Message from "./routes/message";
import NotFound from "./routes/not-found";
import "./styles.css";

// Reading is what people do most during an outage; the compose form loads when first needed.
const Compose = lazy(() => import("./routes/compose"));

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");

render(
	() => (
		<Router>
			<Route path="/login" component={Login} />
			{/* Everything under the shell needs a session; the shell sends others to /login. */}
			<Route path="/" component={Shell}>
				<Route path="/" component={() => <Mailbox view="inbox" />} />
				<Route path="/sent" component={() => <Mailbox view="sent" />} />
				<Route path="/trash" component={() => <Mailbox view="trash" />} />
				<Route path="/search" component={() => <Mailbox view="search" />} />
				<Route path="/message/:id" component={Message} />
				<Route path="/compose" component={Compose} />
			</Route>
			<Route path="*" component={NotFound} />
		</Router>
	),
	root,
);
