/** The conversation module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";
import { conversationCommands } from "./cli-spec.ts";

export const conversationModule: LinerModule = {
  name: "conversation",
  // Emailed token links and private previews: never counted (see lib/module.ts).
  secretPaths: ["/comments/edit/", "/comments/confirm/", "/comments/unsubscribe/", "/webmention/status/"],
  routes: async () => (await import("./routes.ts")).conversationRoutes,
  admin: async () => {
    const [{ inboxRoutes }, { webmentionSendRoutes }] = await Promise.all([
      import("./admin/routes.ts"),
      import("./webmention/admin-sends.ts"),
    ]);
    return {
      routes(ctx, app) {
        inboxRoutes(ctx, app);
        webmentionSendRoutes(ctx, app);
      },
    };
  },
  nav: [
    {
      id: "conversations",
      href: "/admin/conversations",
      label: "Conversations",
      min: "editor",
      group: "audience",
      order: 55,
    },
  ],
  jobs: async () => (await import("./jobs.ts")).registerConversationJobs,
  blocks: async () => {
    const { conversationBlock, commentCounts } = await import("./blocks.ts");
    return { "post.body": conversationBlock, "post.meta": commentCounts };
  },
  editorParts: async () => [(await import("./editor-part.ts")).commentsEditorPart],
  events: async () => ({ "post.changed": (await import("./webmention/outgoing.ts")).onPostChanged }),
  pageLinks: [{ rel: "webmention", href: "/webmention" }],
  cli: conversationCommands,
  exports: async () => (await import("./export-part.ts")).conversationExports,
  erase: async (ctx, email) => {
    await (await import("./store.ts")).itemStore(ctx.db).eraseEmail(email);
  },
};
