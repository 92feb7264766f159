/**
 * Click tracking of digests. By default a click counts for its entry only, never for a person.
 * The owner can turn on per-subscriber counting; the flag, and the disclosure it adds to every
 * list's promise, belong to the audience module (`perSubscriberClicks`). While it is on, each
 * recipient's links carry a signed reference to them.
 */
import type { AppContext } from "../lib/context.ts";
import { signToken, verifyToken } from "../lib/tokens.ts";

/** The per-recipient reference a tracked link carries (`?s=`). */
export function subscriberRef(ctx: AppContext, subscriberId: number): string {
  return signToken(ctx.secret, "digest-subscriber", String(subscriberId));
}

/** The subscriber of a `?s=` reference, or null. */
export function subscriberOfRef(ctx: AppContext, ref: string | undefined): number | null {
  const id = ref ? Number(verifyToken(ctx.secret, "digest-subscriber", ref, ctx.now().getTime())) : 0;
  return Number.isInteger(id) && id > 0 ? id : null;
}
