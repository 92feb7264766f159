/** The content module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";
import { contentCommands } from "./cli-spec.ts";

export const contentModule: LinerModule = {
  name: "content",
  routes: async () => (await import("./media-routes.ts")).mediaRoutes,
  admin: async () => (await import("./admin/routes.ts")).contentAdmin,
  nav: [
    { id: "posts", href: "/admin/posts", label: "Posts", min: "author", group: "write", order: 10 },
    { id: "themes", href: "/admin/themes", label: "Themes", min: "editor", group: "write", order: 30 },
    { id: "media", href: "/admin/media", label: "Media", min: "author", group: "write", order: 20 },
    { id: "settings", href: "/admin/settings", label: "Settings", min: "editor", group: "settings", order: 10 },
  ],
  adminAssets: new URL("./admin/static/", import.meta.url),
  jobs: async () => (await import("./jobs.ts")).registerContentJobs,
  cli: contentCommands,
  setupParts: async () => [(await import("./setup-part.ts")).identityPart],
  checklist: async () => (await import("./onboarding.ts")).contentChecklist,
  demo: async () => (await import("./onboarding.ts")).contentDemo,
  exports: async () => (await import("./export-part.ts")).contentExports,
};
