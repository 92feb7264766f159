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

/** Each database's on/off as this process last read it. */
const states = new WeakMap<object, { on: boolean; checkedAt: number }>();

/** The owner turned counting on or off here: this process follows at once (others within seconds). */
export function countingChanged(ctx: AppContext, on: boolean): void {
  states.set(ctx.db, { on, checkedAt: Date.now() });
}

/** The listener for a context. */
export async function pageViewSink(ctx: AppContext): Promise<PageViewSink> {
  const counter = counterOf(ctx);
  states.set(ctx.db, { on: await countingOn(ctx), checkedAt: Date.now() });
  return (view) => {
    const state = states.get(ctx.db) ?? { on: false, checkedAt: 0 };
    if (Date.now() - state.checkedAt > SETTING_MS) {
      state.checkedAt = Date.now();
      states.set(ctx.db, state);
      countingOn(ctx)
        .then((v) => {
          state.on = v;
        })
        .catch(() => {});
    }
    if (state.on) counter.note(view);
  };
}
