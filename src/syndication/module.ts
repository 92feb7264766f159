/** The syndication module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";
import { syndicationCommands } from "./cli-spec.ts";

/** Copies of posts on Bluesky, Mastodon and LinkedIn (issue 16): accounts and `liner syndicate`. */
export const syndicationModule: LinerModule = {
  name: "syndication",
  cli: syndicationCommands,
  admin: async () => ({ routes: (await import("./admin/routes.ts")).accountsAdminRoutes }),
  nav: [{ id: "accounts", href: "/admin/accounts", label: "Accounts", min: "owner", group: "settings", order: 25 }],
  blocks: async () => {
    const b = await import("./blocks.ts");
    return { "post.body": b.alsoOnBlock, "post.after": b.readerShareBlock };
  },
  editorParts: async () => [(await import("./editor-part.ts")).syndicationEditorPart],
  jobs: async () => (await import("./targets.ts")).registerSyndicationJobs,
  events: async () => ({ "post.changed": (await import("./targets.ts")).onPostChanged }),
};
