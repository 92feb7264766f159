/**
 * Click tracking of digests. By default a click counts for its entry only, never for a person.
 * The owner can turn on per-subscriber counting; then every list's promise, as shown at signup
 * and kept with each new consent, says so (`promiseAsShown`), and each recipient's links carry a
 * signed reference to them.
 */
import type { AppContext } from "../lib/context.ts";
import { signToken, verifyToken } from "../lib/tokens.ts";
import { digestStore } from "./store.ts";

const KEY = "digest_tracking";
/** Added to every list's promise while per-subscriber counting is on. */
export const PER_SUBSCRIBER_NOTE = "Clicks on the links in digests are counted for each subscriber.";

/** Is per-subscriber click counting on? */
export async function perSubscriberTracking(ctx: AppContext): Promise<boolean> {
  const raw = await digestStore(ctx.db).setting(KEY);
  return raw ? (JSON.parse(raw) as { perSubscriber?: boolean }).perSubscriber === true : false;
}

/** Turn per-subscriber click counting on or off. */
export async function setPerSubscriberTracking(ctx: AppContext, on: boolean): Promise<void> {
  await digestStore(ctx.db).putSetting(KEY, JSON.stringify({ perSubscriber: on }));
}

/** A list's promise as the signup form shows it (and the consent keeps it). Pure. */
export function promiseAsShown(promise: string, perSubscriber: boolean): string {
  if (!perSubscriber) return promise;
  return promise ? `${promise} ${PER_SUBSCRIBER_NOTE}` : PER_SUBSCRIBER_NOTE;
}

/** The per-recipient reference a tracked link carries (`?s=`). */
export function subscriberRef(ctx: AppContext, subscriberId: number): string {
  return signToken(ctx.secret, "digest-subscriber", String(subscriberId));
}

/** The subscriber of a `?s=` reference, or null. */
export function subscriberOfRef(ctx: AppContext, ref: string | undefined): number | null {
  const id = ref ? Number(verifyToken(ctx.secret, "digest-subscriber", ref, ctx.now().getTime())) : 0;
  return Number.isInteger(id) && id > 0 ? id : null;
}
