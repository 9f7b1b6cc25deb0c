import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

// The worker serves dist/client as static assets (wrangler.toml [assets]); /api stays with the worker.
export default defineConfig({
	root: "web",
	plugins: [solid()],
	build: {
		outDir: fileURLToPath(new URL("./dist/client", import.meta.url)),
		emptyOutDir: true,
	},
	server: {
		// `vite dev` serves only the SPA; API calls go to a local `wrangler dev`.
		proxy: {
			"/api": {
				target: "http://127.0.0.1:8787",
				changeOrigin: true,
				// The worker's CSRF check compares Origin with its own origin, which differs behind this
				// proxy; it accepts requests without Origin, so drop it in dev only.
				configure: (proxy) => proxy.on("proxyReq", (req) => req.removeHeader("origin")),
			},
		},
	},
});
