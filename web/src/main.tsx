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
// The welcome email's link, opened once per person: not worth a byte of the main bundle.
const SetPassword = lazy(() => import("./routes/set-password"));
const Security = lazy(() => import("./routes/security"));
// The admin area is for a few people: one chunk of its own, fetched on the first visit.
const admin = () => import("./admin");
const AdminLayout = lazy(() => admin().then((m) => ({ default: m.AdminLayout })));
const AdminHome = lazy(() => admin().then((m) => ({ default: m.AdminHome })));
const AdminDomains = lazy(() => admin().then((m) => ({ default: m.Domains })));
const AdminDomain = lazy(() => admin().then((m) => ({ default: m.Domain })));
const AdminActivity = lazy(() => admin().then((m) => ({ default: m.Activity })));
const AdminUsers = lazy(() => admin().then((m) => ({ default: m.Users })));
const AdminUser = lazy(() => admin().then((m) => ({ default: m.UserDetail })));
const AdminUsersImport = lazy(() => admin().then((m) => ({ default: m.UsersImport })));
const AdminGroups = lazy(() => admin().then((m) => ({ default: m.Groups })));
const AdminUserInbox = lazy(() => admin().then((m) => ({ default: m.UserInbox })));
const AdminCompany = lazy(() => admin().then((m) => ({ default: m.CompanySettings })));
const AdminReports = lazy(() => admin().then((m) => ({ default: m.Reports })));
// Partners and operators are fewer still: a chunk each.
const PartnerCustomers = lazy(() => import("./partner").then((m) => ({ default: m.Customers })));
const Operator = lazy(() => import("./operator/partners"));

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");

render(
	() => (
		<Router>
			<Route path="/login" component={Login} />
			<Route path="/set-password" component={SetPassword} />
			{/* Everything under the shell needs a session; the shell sends others to /login. */}
			<Route path="/" component={Shell}>
				<Route path="/" component={() => <Mailbox view="inbox" />} />
				<Route path="/sent" component={() => <Mailbox view="sent" />} />
				<Route path="/trash" component={() => <Mailbox view="trash" />} />
				<Route path="/search" component={() => <Mailbox view="search" />} />
				<Route path="/message/:id" component={Message} />
				<Route path="/compose" component={Compose} />
				<Route path="/account/security" component={Security} />
				{/* The same pages for a company's own admins and for a partner's drill-down into a customer. */}
				<Route path={["/admin", "/partner/customers/:customerId"]} component={AdminLayout}>
					<Route path="/" component={AdminHome} />
					<Route path="/domains" component={AdminDomains} />
					<Route path="/domains/:id" component={AdminDomain} />
					<Route path="/users" component={AdminUsers} />
					<Route path="/users/import" component={AdminUsersImport} />
					<Route path="/users/:id" component={AdminUser} />
					<Route path="/groups" component={AdminGroups} />
					<Route path="/users/:userId/inbox" component={AdminUserInbox} />
					<Route path="/activity" component={AdminActivity} />
					<Route path="/company" component={AdminCompany} />
					<Route path="/reports" component={AdminReports} />
				</Route>
				<Route path="/partner" component={PartnerCustomers} />
				<Route path="/operator" component={Operator} />
			</Route>
			<Route path="*" component={NotFound} />
		</Router>
	),
	root,
);
