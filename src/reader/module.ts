/** The reader's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";
import { readerCommands } from "./cli-spec.ts";

export const readerModule: LinerModule = {
  name: "reader",
  admin: async () => ({ routes: (await import("./routes.ts")).readerRoutes }),
  nav: [
    { id: "reader", href: "/admin/reader", label: "Reader", min: "author", group: "read", order: 10 },
    { id: "saves", href: "/admin/saves", label: "Saves", min: "author", group: "read", order: 20 },
    { id: "sources", href: "/admin/sources", label: "Sources", min: "author", group: "read", order: 30 },
    { id: "discover", href: "/admin/discover", label: "Discover", min: "author", group: "read", order: 40 },
  ],
  adminAssets: new URL("./static/", import.meta.url),
  jobs: async () => (await import("./jobs.ts")).registerReaderJobs,
  cli: readerCommands,
  checklist: async () => (await import("./sources/checklist.ts")).readerChecklist,
  exports: async () => (await import("./export-part.ts")).readerExports,
};
