/** The insights module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";
import { insightsCommands } from "./cli-spec.ts";

/** First-party, cookieless insight built on outcomes (issue 17). */
export const insightsModule: LinerModule = {
  name: "insights",
  cli: insightsCommands,
  pageViews: async () => (await import("./sink.ts")).pageViewSink,
  events: async () => ({ outcome: (await import("./outcomes.ts")).onOutcome }),
  jobs: async () => {
    const [outcomes, rollup] = await Promise.all([import("./outcomes.ts"), import("./rollup.ts")]);
    return async (ctx) => {
      outcomes.registerOutcomeJobs(ctx);
      await rollup.registerRollup(ctx);
    };
  },
};
