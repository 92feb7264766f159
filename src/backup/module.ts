/** The backup module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";
import { backupCommands } from "./cli-spec.ts";

/** Backups: `liner backup`/`restore`, the daily backup job and the owner's Backups page. */
export const backupModule: LinerModule = {
  name: "backup",
  admin: async () => ({ routes: (await import("./admin.ts")).backupAdminRoutes }),
  nav: [{ id: "backups", href: "/admin/backups", label: "Backups", min: "owner", group: "settings", order: 30 }],
  jobs: async () => (await import("./jobs.ts")).registerBackupJobs,
  cli: backupCommands,
};
