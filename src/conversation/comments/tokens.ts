/**
 * Signed tokens of the comment links: edit or delete your own comment (15 minutes), confirm your
 * address (a week), and stop reply notifications (no expiry).
 */
import type { AppContext } from "../../lib/context.ts";
import { signToken, verifyToken } from "../../lib/tokens.ts";

export const EDIT_WINDOW_MS = 15 * 60_000;
const CONFIRM_MS = 7 * 86_400_000;

type Purpose = "comment-edit" | "comment-confirm" | "comment-unsubscribe";

const ttl: Record<Purpose, number> = {
  "comment-edit": EDIT_WINDOW_MS,
  "comment-confirm": CONFIRM_MS,
  "comment-unsubscribe": 0,
};

/** A token for `purpose` on comment `id`, valid from now. */
export function commentToken(ctx: AppContext, purpose: Purpose, id: number): string {
  const t = ttl[purpose];
  return signToken(ctx.secret, purpose, String(id), t ? ctx.now().getTime() + t : 0);
}

/** The comment id a valid token names, or undefined. */
export function commentOfToken(ctx: AppContext, purpose: Purpose, token: string): number | undefined {
  const payload = verifyToken(ctx.secret, purpose, token, ctx.now().getTime());
  const id = payload === null ? Number.NaN : Number(payload);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
