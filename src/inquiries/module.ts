/** The inquiries module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";

export const inquiriesModule: LinerModule = {
  name: "inquiries",
  routes: async () => (await import("./routes.ts")).inquiryRoutes,
  admin: async () => ({ routes: (await import("./routes.ts")).inquiryAdminRoutes }),
  nav: [{ id: "inquiries", href: "/admin/inquiries", label: "Inquiries", min: "editor", group: "audience", order: 60 }],
  exports: async () => (await import("./export-part.ts")).inquiryExports,
  erase: async (ctx, email) => {
    await (await import("./store.ts")).inquiryStore(ctx.db).eraseEmail(email);
  },
};
