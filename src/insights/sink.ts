/**
 * The insights module's page-view listener: one counter per database (a process's contexts on it
 * share it), written out when the context closes. Counting can be turned off in the admin; then
 * views are not even noted (the setting is read again every few seconds, in every process).
 */

import type { AppContext } from "../lib/context.ts";
import { beforeClose } from "../lib/context.ts";
import type { PageViewSink } from "../lib/module.ts";
import { ViewCounter } from "./counter.ts";
import { insightStore } from "./store.ts";

const counters = new WeakMap<object, ViewCounter>();
/** How long a process keeps believing the on/off setting. */
const SETTING_MS = 5_000;

/** The counter of a context's database (made on first use). */
export function counterOf(ctx: AppContext): ViewCounter {
  let counter = counters.get(ctx.db);
  if (!counter) {
    counter = new ViewCounter(ctx, new URL(ctx.config.baseUrl).host);
    counters.set(ctx.db, counter);
    const made = counter;
    beforeClose(ctx, () => made.close());
  }
  return counter;
}

/** Is counting on? (Default: on. Stored as "0" when the owner turned it off.) */
export async function countingOn(ctx: AppContext): Promise<boolean> {
  return (await insightStore(ctx.db).setting("counting")) !== "0";
}

/** The listener for a context. */
export async function pageViewSink(ctx: AppContext): Promise<PageViewSink> {
  const counter = counterOf(ctx);
  let on = await countingOn(ctx);
  let checkedAt = Date.now();
  const check = () => {
    checkedAt = Date.now();
    countingOn(ctx)
      .then((v) => {
        on = v;
      })
      .catch(() => {});
  };
  return (view) => {
    if (Date.now() - checkedAt > SETTING_MS) check();
    if (on) counter.note(view);
  };
}
