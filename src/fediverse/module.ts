/** The fediverse module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";

export const fediverseModule: LinerModule = {
  name: "fediverse",
  routes: async () => (await import("./routes.ts")).fediverseRoutes,
  admin: async () => {
    const { fediverseAdminRoutes } = await import("./admin/routes.ts");
    return { routes: fediverseAdminRoutes };
  },
  nav: [{ id: "fediverse", href: "/admin/fediverse", label: "Fediverse", min: "owner", group: "audience", order: 57 }],
  editorParts: async () => [(await import("./editor-part.ts")).pinEditorPart],
  jobs: async () => (await import("./jobs.ts")).registerFediverseJobs,
  // The actor's profile field links to the site; Mastodon marks it verified when the site links
  // back to the account's URL (the home page) with rel="me".
  pageLinks: [{ rel: "me", href: "/" }],
  events: async () => {
    const { onPostChanged, onOwnerReply, onOwnerLike } = await import("./outgoing.ts");
    return { "post.changed": onPostChanged, "conversation.replied": onOwnerReply, "conversation.liked": onOwnerLike };
  },
};
