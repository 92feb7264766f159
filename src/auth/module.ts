/** The auth module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";
import { authCommands } from "./cli-spec.ts";

export const authModule: LinerModule = {
  name: "auth",
  // Set-up and password-reset links: never counted (see lib/module.ts).
  secretPaths: ["/setup/", "/reset-password/"],
  routes: async () => (await import("./routes.ts")).authRoutes,
  admin: async () => ({ routes: (await import("./admin-users.ts")).userRoutes }),
  nav: [{ id: "users", href: "/admin/users", label: "Users", min: "owner", group: "settings", order: 20 }],
  cli: authCommands,
};
