/** The insights module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";
import { insightsCommands } from "./cli-spec.ts";

/** First-party, cookieless insight built on outcomes (issue 17). */
export const insightsModule: LinerModule = {
  name: "insights",
  cli: insightsCommands,
  routes: async () => (await import("./routes.ts")).storyRoutes,
  admin: async () => {
    const [main, story] = await Promise.all([import("./admin/routes.ts"), import("./admin/story-routes.ts")]);
    return {
      routes: (ctx, app) => {
        main.insightsAdminRoutes(ctx, app);
        story.storyAdminRoutes(ctx, app);
      },
    };
  },
  nav: [{ id: "insights", href: "/admin/insights", label: "Insights", min: "owner", group: "audience", order: 70 }],
  homePanel: async () => {
    const [{ dashboard }, { homePanel }] = await Promise.all([import("./dashboard.ts"), import("./admin/views.ts")]);
    return async (ctx) => homePanel(await dashboard(ctx));
  },
  editorParts: async () => [(await import("./post-part.ts")).insightsEditorPart],
  postColumns: async () => [(await import("./post-column.ts")).ledToColumn],
  pageViews: async () => (await import("./sink.ts")).pageViewSink,
  events: async () => ({ outcome: (await import("./outcomes.ts")).onOutcome }),
  jobs: async () => {
    const [outcomes, rollup, weekly] = await Promise.all([
      import("./outcomes.ts"),
      import("./rollup.ts"),
      import("./weekly.ts"),
    ]);
    return async (ctx) => {
      outcomes.registerOutcomeJobs(ctx);
      await rollup.registerRollup(ctx);
      await weekly.registerWeekly(ctx);
    };
  },
};
