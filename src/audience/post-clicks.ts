/**
 * Click counting of new-post emails, like the digests': each link of a send goes through a
 * signed redirect (`/e/:token`) that counts the click for that link of that send. Never for a
 * person. Opens are off by default (no tracking pixel); the owner can turn them on for one send,
 * which adds an image (`/e/o/:token`) counted for the send as a whole. Tests ("send a test to
 * me") are not counted: their links lead straight to the site.
 */

import type { AppContext } from "../lib/context.ts";
import { transaction } from "../lib/db/transaction.ts";
import { signToken, verifyToken } from "../lib/tokens.ts";
import { createSend, type MailTemplate, type Recipient } from "../mail/index.ts";
import { postClicksStore } from "./clicks-store.ts";
import { type PostEmailInput, postEmail } from "./post-email.ts";

const PURPOSE = "post-click";
const OPEN_PURPOSE = "post-open";

/** The counted address of a link. */
export function postClickUrl(ctx: AppContext, linkId: number): string {
  return `${ctx.config.baseUrl}/e/${signToken(ctx.secret, PURPOSE, String(linkId))}`;
}

/** The link id of a `/e/` token, or null. */
export function linkOfToken(ctx: AppContext, token: string): number | null {
  const id = Number(verifyToken(ctx.secret, PURPOSE, token, ctx.now().getTime()));
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** The open counter of an `/e/o/` token, or null. */
export function openCounterOfToken(ctx: AppContext, token: string): number | null {
  const id = Number(verifyToken(ctx.secret, OPEN_PURPOSE, token, ctx.now().getTime()));
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** A 1×1 transparent GIF: the open-counting image. */
export const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

type SendFields = { kind: string; postId: number; listIds: number[]; createdBy?: number };

/**
 * Queue the new-post email with every web link counted. The links are written first (their ids
 * sign the redirects), then the send, then the links are tied to it: in one transaction, so a
 * failure leaves neither. Returns the send id.
 */
export async function createCountedSend(
  ctx: AppContext,
  input: PostEmailInput,
  send: SendFields,
  recipients: Recipient[],
  opts: { countOpens?: boolean } = {},
): Promise<number> {
  return transaction(ctx, async (tx) => {
    // A first rendering finds the links, in order, each once.
    const urls: string[] = [];
    postEmail({
      ...input,
      track: (href) => {
        if (!urls.includes(href)) urls.push(href);
        return href;
      },
    });
    const store = postClicksStore(tx.db);
    const at = tx.now().toISOString();
    const ids = await store.addLinks(urls, at);
    const counted = new Map(urls.map((u, i) => [u, postClickUrl(tx, ids[i])]));
    const opens = opts.countOpens ? await store.addOpenCounter(at) : undefined;
    const email: MailTemplate = postEmail({
      ...input,
      track: (href) => counted.get(href) ?? href,
      openPixel: opens ? `${tx.config.baseUrl}/e/o/${signToken(tx.secret, OPEN_PURPOSE, String(opens))}` : undefined,
    });
    const sendId = await createSend(tx, { ...send, ...email }, recipients);
    await store.attach(ids, sendId);
    if (opens) await store.attachOpenCounter(opens, sendId);
    return sendId;
  });
}

/** Clicks per send (sends without counted links are left out). */
export function clicksOfSends(ctx: AppContext, sendIds: number[]): Promise<Map<number, number>> {
  return postClicksStore(ctx.db).clicksOfSends(sendIds);
}

/** Opens per send, for the sends that count them. */
export function opensOfSends(ctx: AppContext, sendIds: number[]): Promise<Map<number, number>> {
  return postClicksStore(ctx.db).opensOfSends(sendIds);
}
