/** The events module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";

export const eventsModule: LinerModule = {
  name: "events",
  // Emailed token links and private previews: never counted (see lib/module.ts).
  secretPaths: ["/events/cancel/"],
  routes: async () => (await import("./routes.ts")).eventRoutes,
  admin: async () => ({ routes: (await import("./admin.ts")).eventAdminRoutes }),
  nav: [{ id: "events", href: "/admin/events", label: "Events", min: "editor", group: "audience", order: 50 }],
  jobs: async () => (await import("./jobs.ts")).registerEventJobs,
  blocks: async () => ({ "post.body": (await import("./page.ts")).eventBlockFor }),
  editorParts: async () => [(await import("./editor.ts")).eventEditorPart],
  exports: async () => (await import("./export-part.ts")).eventExports,
  erase: async (ctx, email) => {
    await (await import("./store.ts")).eventStore(ctx.db).eraseEmail(email);
  },
};
