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
// The admin area is for a few people: one chunk of its own, fetched on the first visit.
const admin = () => import("./admin");
const AdminLayout = lazy(() => admin().then((m) => ({ default: m.AdminLayout })));
const AdminHome = lazy(() => admin().then((m) => ({ default: m.AdminHome })));
const AdminDomains = lazy(() => admin().then((m) => ({ default: m.Domains })));
const AdminDomain = lazy(() => admin().then((m) => ({ default: m.Domain })));
const AdminActivity = lazy(() => admin().then((m) => ({ default: m.Activity })));
const AdminUsers = lazy(() => admin().then((m) => ({ default: m.Users })));
const AdminCompany = lazy(() => admin().then((m) => ({ default: m.CompanySettings })));

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
				<Route path="/admin" component={AdminLayout}>
					<Route path="/" component={AdminHome} />
					<Route path="/domains" component={AdminDomains} />
					<Route path="/domains/:id" component={AdminDomain} />
					<Route path="/users" component={AdminUsers} />
					<Route path="/activity" component={AdminActivity} />
					<Route path="/company" component={AdminCompany} />
				</Route>
			</Route>
			<Route path="*" component={NotFound} />
		</Router>
	),
	root,
);
