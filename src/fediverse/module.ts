/** The fediverse module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";

export const fediverseModule: LinerModule = {
  name: "fediverse",
  routes: async () => {
    const [{ fediverseRoutes }, { followRoutes }] = await Promise.all([
      import("./routes.ts"),
      import("./follow-routes.ts"),
    ]);
    // Our Follow activities come after what Fedify answers on /ap/*.
    return (ctx) => fediverseRoutes(ctx).route("/", followRoutes(ctx));
  },
  admin: async () => {
    const { fediverseAdminRoutes } = await import("./admin/routes.ts");
    return { routes: fediverseAdminRoutes };
  },
  nav: [{ id: "fediverse", href: "/admin/fediverse", label: "Fediverse", min: "owner", group: "audience", order: 57 }],
  editorParts: async () => [(await import("./editor-part.ts")).pinEditorPart],
  blocks: async () => ({ "footer.links": (await import("./blocks.ts")).footerAccount }),
  jobs: async () => (await import("./jobs.ts")).registerFediverseJobs,
  // The actor's profile field links to the site; Mastodon marks it verified when the site links
  // back to the account's URL (the home page) with rel="me".
  pageLinks: [{ rel: "me", href: "/" }],
  // Fediverse accounts as sources of the reader (followed from Sources or `liner sources add @user@host`).
  sourceKinds: async () => [(await import("./source-kind.ts")).fediverseSourceKind],
  events: async () => {
    const { onPostChanged, onOwnerReply, onOwnerLike } = await import("./events.ts");
    return { "post.changed": onPostChanged, "conversation.replied": onOwnerReply, "conversation.liked": onOwnerLike };
  },
};
