/** The insights module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";

/** First-party, cookieless insight built on outcomes (issue 17). */
export const insightsModule: LinerModule = {
  name: "insights",
  pageViews: async () => (await import("./sink.ts")).pageViewSink,
  events: async () => ({ outcome: (await import("./outcomes.ts")).onOutcome }),
  jobs: async () => (await import("./outcomes.ts")).registerOutcomeJobs,
};
