/** The audience module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";
import { audienceCommands } from "./cli-spec.ts";

export const audienceModule: LinerModule = {
  name: "audience",
  // Emailed token links and private previews: never counted (see lib/module.ts).
  secretPaths: ["/subscribe/confirm/", "/unsubscribe/", "/preferences/", "/e/"],
  routes: async () => (await import("./routes.ts")).audienceRoutes,
  admin: async () => {
    const [{ postEmailRoutes }, { subscriberRoutes }, { listRoutes }] = await Promise.all([
      import("./post-email-admin.ts"),
      import("./subscribers-admin.ts"),
      import("./lists-admin.ts"),
    ]);
    return {
      routes(ctx, app) {
        postEmailRoutes(ctx, app);
        subscriberRoutes(ctx, app);
        listRoutes(ctx, app);
      },
    };
  },
  nav: [
    {
      id: "subscribers",
      href: "/admin/subscribers",
      label: "Subscribers",
      min: "editor",
      group: "audience",
      order: 10,
    },
    { id: "lists", href: "/admin/lists", label: "Lists", min: "editor", group: "audience", order: 15 },
  ],
  blocks: async () => {
    const [{ postFooterBlock }, { homeSubscribeBlock, footerSubscribeLink }] = await Promise.all([
      import("./post-footer.ts"),
      import("./site-blocks.ts"),
    ]);
    return { "post.after": postFooterBlock, "home.top": homeSubscribeBlock, "footer.links": footerSubscribeLink };
  },
  cli: audienceCommands,
  checklist: async () => (await import("./onboarding.ts")).audienceChecklist,
  demo: async () => (await import("./onboarding.ts")).audienceDemo,
  exports: async () => (await import("./export-part.ts")).audienceExports,
};
