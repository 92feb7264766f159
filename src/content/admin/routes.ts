/** The content module's admin pages: posts and the editor, revisions, themes, media, site settings. */
import type { AdminPages } from "../../lib/module.ts";
import { homeRoutes } from "./home.ts";
import { mediaAdminRoutes, uploadSizeGuard } from "./media.ts";
import { postRoutes } from "./posts.ts";
import { revisionRoutes } from "./revisions.ts";
import { settingsRoutes } from "./settings.ts";
import { themeRoutes } from "./themes.ts";

export const contentAdmin: AdminPages = {
  guards(ctx, app) {
    // An oversized upload is refused from its Content-Length, before any of it is read.
    app.use("/media", uploadSizeGuard(ctx));
  },
  routes(ctx, app) {
    homeRoutes(ctx, app);
    postRoutes(ctx, app);
    revisionRoutes(ctx, app);
    themeRoutes(ctx, app);
    mediaAdminRoutes(ctx, app);
    settingsRoutes(ctx, app);
  },
};
