/** The digest module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";
import { digestCommands } from "./cli-spec.ts";

export const digestModule: LinerModule = {
  name: "digest",
  // Emailed token links and private previews: never counted (see lib/module.ts).
  secretPaths: ["/d/", /^\/digests\/\d+\/[^/]/],
  routes: async () => (await import("./routes.ts")).digestRoutes,
  admin: async () => ({ routes: (await import("./admin.ts")).digestAdminRoutes }),
  nav: [{ id: "digests", href: "/admin/digests", label: "Digests", min: "editor", group: "audience", order: 40 }],
  adminAssets: new URL("./static/", import.meta.url),
  jobs: async () => (await import("./jobs.ts")).registerDigestJobs,
  cli: digestCommands,
  exports: async () => (await import("./export-part.ts")).digestExports,
};
