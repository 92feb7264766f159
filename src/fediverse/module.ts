/** The fediverse module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";

export const fediverseModule: LinerModule = {
  name: "fediverse",
  routes: async () => (await import("./routes.ts")).fediverseRoutes,
};
