/**
 * What the audience module does to a person's mail: see what was sent to a post's readers or to
 * one subscriber, withdraw what is still waiting when they unsubscribe, erase their address.
 */
import type { AppContext } from "../lib/context.ts";
import { mailStore } from "./store.ts";

/** The sends of a post, newest first. */
export const sendsOfPost = (ctx: AppContext, postId: number) => mailStore(ctx.db).sendsOfPost(postId);

/** The mail a subscriber was sent or is due, newest first, with each send's subject. */
export const mailOfSubscriber = (ctx: AppContext, subscriberId: number) => mailStore(ctx.db).ofSubscriber(subscriberId);

/**
 * Withdraw a subscriber's bulk mail (for one list, or all with `listId` null), queued or claimed
 * but not yet sent: an unsubscribe takes effect at once, also during a send. Returns the rows withdrawn.
 */
export const withdrawMail = (ctx: AppContext, subscriberId: number, listId: number | null, reason: string) =>
  mailStore(ctx.db).withdraw(subscriberId, listId, reason);

/**
 * Erase a subscriber's address from the outbox: what still waits is withdrawn, the address and
 * per-recipient values replaced; the rows stay so counts add up. Returns the rows withdrawn.
 */
export const eraseRecipient = (ctx: AppContext, subscriberId: number, email: string | null) =>
  mailStore(ctx.db).eraseRecipient(subscriberId, email);

/**
 * Withdraw the transactional mail queued with `topic` (e.g. a user's reset mail, replaced by a
 * newer link) that is not yet sent. Returns the rows withdrawn.
 */
export const withdrawTopic = (ctx: AppContext, topic: string, reason: string) =>
  mailStore(ctx.db).withdrawTopic(topic, reason);
