/**
 * Outcomes: what the writing led to, said by the module it happened in (the `outcome` event), and
 * the visit it came from. An outcome from a reader's request is stored at once with the reader's
 * hash of that day; a few seconds later (the views are written in batches) a job reads the visit:
 * its entry page (first touch), its source, and the pages read before the outcome, in order (the
 * last is the last touch). The address and User-Agent serve only to make the hash.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { clientIpFrom } from "../lib/http/client-ip.ts";
import { handle, jobKind } from "../lib/jobs/kinds.ts";
import type { Outcome } from "../lib/module.ts";
import { HOLD_MS } from "./count-batch.ts";
import { hashOf } from "./count-write.ts";
import { countingOn } from "./sink.ts";
import { insightStore } from "./store.ts";

/** Read the visit of an outcome (once its views are written). */
export const ATTRIBUTE_JOB = jobKind("insights.attribute", z.object({ id: z.number().int() }), { parallel: true });
/** How long after an outcome its visit is read: the counting thread writes a few times a second. */
const ATTRIBUTE_AFTER_MS = 5_000;
/**
 * Read once more this long after the outcome: while serving is busy the counting thread holds
 * views back (count-batch.ts HOLD_MS), so the first reading may have missed the latest pages.
 */
export const REREAD_AFTER_MS = HOLD_MS + 15_000;

/** Where an outcome with no reader's request came from. */
const SOURCE_WITHOUT_VISIT: Partial<Record<Outcome["kind"], string>> = { follower: "fediverse", comment: "elsewhere" };

/** Record an outcome (the `outcome` event's listener); its id. */
export async function recordOutcome(ctx: AppContext, o: Outcome): Promise<number | undefined> {
  const now = ctx.now();
  const at = now.toISOString();
  // Confirmed (or approved) now: the outcome kept when it was asked for counts, with its visit.
  if (!o.pending && (await insightStore(ctx.db).confirmPending(o.kind, o.who, o.postId ?? null, at))) return undefined;
  let visitor: string | null = null;
  // Counting off: not even the reader's hash is made.
  if (o.reader?.ua && (await countingOn(ctx))) {
    const r = o.reader;
    const ip = clientIpFrom(r.peer, ctx.config.trustProxy, (n) =>
      n === "x-forwarded-for" ? r.forwardedFor : n === "forwarded" ? r.forwarded : undefined,
    );
    const day = at.slice(0, 10);
    const salt = await insightStore(ctx.db).salt(day, randomBytes(24).toString("base64url"));
    visitor = hashOf(salt, new URL(ctx.config.baseUrl).host, ip, r.ua ?? "");
  }
  const id = await insightStore(ctx.db).addOutcome({
    kind: o.pending ? `${o.kind}:pending` : o.kind,
    at,
    post_id: o.postId ?? null,
    who: o.who.slice(0, 200),
    entry_path: "",
    source: visitor ? "" : (SOURCE_WITHOUT_VISIT[o.kind] ?? "direct"),
    pages: "[]",
    visitor,
    attributed_at: visitor ? null : at,
    note: (o.note ?? "").slice(0, 500),
    created_at: at,
  });
  if (visitor) await ctx.jobs.enqueue(ATTRIBUTE_JOB, { id }, { runAt: new Date(now.getTime() + ATTRIBUTE_AFTER_MS) });
  return id;
}

/** Read an outcome's visit into its entry page, source and pages read before it. */
export async function attribute(ctx: AppContext, id: number): Promise<void> {
  const store = insightStore(ctx.db);
  const o = await store.outcome(id);
  if (!o?.visitor) return;
  const views = await store.visit(o.at.slice(0, 10), o.visitor, o.at);
  const age = ctx.now().getTime() - Date.parse(o.at);
  if (age < REREAD_AFTER_MS)
    await ctx.jobs.enqueue(ATTRIBUTE_JOB, { id }, { runAt: new Date(Date.parse(o.at) + REREAD_AFTER_MS) });
  // Its source is where the visit came from outside the site; a page opened again (a reload, a
  // return to it) is one page read.
  const source = views.find((v) => v.source !== "internal")?.source ?? (views.length ? "internal" : "direct");
  const pages = views.map((v) => v.path).filter((p, i, all) => i === 0 || p !== all[i - 1]);
  await store.attributed(id, {
    entry_path: views[0]?.path ?? "",
    source,
    pages: JSON.stringify(pages),
    at: ctx.now().toISOString(),
  });
}

/** Register the attribution job. */
export function registerOutcomeJobs(ctx: AppContext): void {
  ctx.runner.register(handle(ATTRIBUTE_JOB, ({ id }) => attribute(ctx, id)));
}

/** The event listener. */
export async function onOutcome(ctx: AppContext, o: Outcome): Promise<void> {
  await recordOutcome(ctx, o);
}
