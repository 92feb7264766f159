/** The public site's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";

export const siteModule: LinerModule = {
  name: "site",
  routes: async () => (await import("./routes.ts")).siteRoutes,
  // Its routes include catch-alls (`/:slug`), so they are mounted after every other module's.
  routeOrder: 100,
};
