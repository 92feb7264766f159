/**
 * What subscribers are told about click counting. By default a click on a link in an email
 * counts for the link only, never for a person. The owner can turn on per-subscriber counting
 * (on the digest page); while it is on, every list's promise, as shown at signup and kept with
 * each new consent, says so. The audience module owns the promise and its disclosure; the
 * digest module only sets the flag and signs the per-recipient references.
 */
import type { AppContext } from "../lib/context.ts";
import { audienceStore } from "./store.ts";

/** Added to every list's promise while per-subscriber counting is on. */
export const PER_SUBSCRIBER_NOTE = "Clicks on the links in digests are counted for each subscriber.";

/** Is per-subscriber click counting on? */
export async function perSubscriberClicks(ctx: AppContext): Promise<boolean> {
  return audienceStore(ctx.db).perSubscriberClicks();
}

/** Turn per-subscriber click counting on or off. */
export async function setPerSubscriberClicks(ctx: AppContext, on: boolean): Promise<void> {
  await audienceStore(ctx.db).setPerSubscriberClicks(on);
}

/** A list's promise as the signup form shows it (and the consent keeps it). Pure. */
export function promiseAsShown(promise: string, perSubscriber: boolean): string {
  if (!perSubscriber) return promise;
  return promise ? `${promise} ${PER_SUBSCRIBER_NOTE}` : PER_SUBSCRIBER_NOTE;
}
