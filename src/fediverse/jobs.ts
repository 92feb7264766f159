/**
 * Where jobs run, Fedify's queue listens: its deliveries, fan-outs and received activities are
 * jobs of one kind (queue.ts) handled here. The federation loads only in processes that run jobs.
 */
import type { AppContext } from "../lib/context.ts";
import { federationOf } from "./federation.ts";

/** Register Fedify's queue handler on the context's runner. */
export function registerFediverseJobs(ctx: AppContext): void {
  // startQueue's promise lasts as long as the listener: it is not waited for.
  void federationOf(ctx)
    .startQueue(ctx)
    .catch((err) => ctx.log.error("fediverse: the queue stopped", { error: String(err) }));
}
