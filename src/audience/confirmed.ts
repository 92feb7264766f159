/** Whether an address belongs to a confirmed subscriber (other modules trust such a person more). */
import type { AppContext } from "../lib/context.ts";
import { subscribersStore } from "./subscribers-store.ts";

/** Is `email` (any case) confirmed on at least one list? */
export async function isConfirmedSubscriber(ctx: AppContext, email: string): Promise<boolean> {
  if (!email) return false;
  return subscribersStore(ctx.db).hasConfirmed(email.trim().toLowerCase());
}
