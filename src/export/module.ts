/**
 * The export module's declaration for the app shell (see lib/module.ts): `liner export all DIR`
 * and the owner's download at /admin/export. It owns no data: every module writes its own part
 * (its `exports` hook), gathered through the module host.
 */
import type { LinerModule } from "../lib/module.ts";
import { exportCommands } from "./cli-spec.ts";

export const exportModule: LinerModule = {
  name: "export",
  admin: async () => ({ routes: (await import("./admin.ts")).exportAdminRoutes }),
  nav: [{ id: "export", href: "/admin/export", label: "Export", min: "owner", group: "settings", order: 40 }],
  cli: exportCommands,
};
