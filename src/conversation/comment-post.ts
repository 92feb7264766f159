/**
 * POST /comments: the comment form's handler. Guarded like every public form (signed token with a
 * minimum fill time, honeypot, same-site Origin, per-address and per-network rate limits, body
 * limit); each token is good for one comment. Whatever goes wrong, the reader gets the form back
 * with what they typed (or, with JavaScript, a JSON answer the page shows in place).
 *
 * Who is "approved before" is proven by the commenter's browser: a signed cookie lists the comments
 * it sent, and a comment of the same address among them that the owner approved is the proof.
 * Typing someone else's address is not enough to skip moderation, and neither is a cookie from
 * a held comment.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { postById, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { HttpError, NotFoundError, statusOf, ValidationError } from "../lib/errors.ts";
import { type H, h } from "../lib/html.ts";
import { clientIp, readerOf } from "../lib/http/client-ip.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { HONEYPOT, type PublicFormGuard } from "../lib/http/public-form.ts";
import { formBody, one } from "../lib/http/request.ts";
import { oncePerWindow, rateLimit } from "../lib/limits/limiter.ts";
import { signToken, verifyToken } from "../lib/tokens.ts";
import { messageForPeople } from "../lib/ui/form.ts";
import { mailCanLeave } from "../mail/index.ts";
import { loadChrome } from "../site/index.ts";
import { networkOf } from "./comments/network.ts";
import { type CommentInput, submitComment } from "./comments/service.ts";
import { itemStore } from "./store.ts";
import { commentForm } from "./views/form.ts";
import { postedBody } from "./views/pages.ts";
import { oneComment } from "./views/thread.ts";

const COOKIE = "ln_commenter";
const YEAR_S = 365 * 86_400;
/** How many of a browser's comments its cookie remembers. */
const MINE = 8;

/** The handler; `page` renders a small page in the site's frame. */
export function commentPost(
  ctx: AppContext,
  guard: PublicFormGuard,
  page: (c: Context<AppEnv>, title: string, body: H, status?: number) => Promise<Response>,
) {
  const perNetwork = rateLimit(ctx, { name: "comment-network", limit: 100, windowMs: 3600_000 });
  const usedTokens = oncePerWindow(ctx, { name: "comment-token", windowMs: 25 * 3600_000 });
  const wantsJson = (c: Context<AppEnv>) => (c.req.header("accept") ?? "").includes("application/json");

  return async (c: Context<AppEnv>) => {
    const body = await formBody(c);
    const input: CommentInput = {
      postId: Number(one(body, "post_id")) || 0,
      parentId: Number(one(body, "parent_id")) || undefined,
      name: one(body, "name"),
      url: one(body, "url"),
      email: one(body, "email"),
      text: one(body, "text"),
      notify: one(body, "notify") === "1",
    };
    const values = { ...input, notify: input.notify ? "1" : "" };
    const post = await postById(ctx, input.postId);
    const back = post ? h`<p><a href="${postPath(post)}#comments">Back to the post</a></p>` : "";
    const again = async (status: number, message: string, field?: string, notice?: string) => {
      const token = guard.token();
      const shown = notice ?? messageForPeople({ message, field });
      if (wantsJson(c)) return c.json({ ok: false, message: shown, field, token }, status as 400);
      const error = notice ? undefined : { message: shown, field };
      const form = commentForm(
        { postId: input.postId, parentId: input.parentId, token, values, error, notice },
        "Your comment",
      );
      return page(c, notice ? "One more step" : "Your comment was not sent", h`${form}${back}`, status);
    };
    const ip = clientIp(c);
    try {
      await guard.admit(c);
      if ((await perNetwork.hit(networkOf(ip))).limited)
        throw new HttpError(429, "Too many comments from your network. Please try again in an hour.");
    } catch (err) {
      if (err instanceof HttpError) return again(err.status, err.message);
      throw err;
    }
    const t = one(body, "t");
    const verdict = guard.verdict({ t, honeypot: one(body, HONEYPOT) });
    if (verdict === "too-fast" || (verdict === "expired" && t === ""))
      return again(200, "", undefined, "One more step: press Send to send your comment.");
    if (verdict === "expired") return again(400, "The form had expired. Please send it again.");
    if (!(await usedTokens.first(t))) return again(400, "This form was already sent once. Please send it again.");
    // Bots get the same answer a person gets; nothing is stored.
    if (verdict === "bot")
      return page(c, "Thank you", h`<p>Thank you. Your comment is waiting for the author to read it.</p>${back}`);
    const cookie = getCookie(c, COOKIE) ?? "";
    const mine = (verifyToken(ctx.secret, "commenter", cookie, 0) ?? "")
      .split(",")
      .map(Number)
      .filter((n) => Number.isSafeInteger(n) && n > 0);
    let posted: Awaited<ReturnType<typeof submitComment>>;
    try {
      posted = await submitComment(ctx, input, ip, mine, readerOf(c));
    } catch (err) {
      if (err instanceof ValidationError) return again(400, err.message, err.field);
      if (err instanceof HttpError || err instanceof NotFoundError) return again(statusOf(err), err.message);
      throw err;
    }
    const { item, editToken } = posted;
    // This browser's comments, newest first (a few: a person may use two addresses).
    if (item.author_key.startsWith("email:"))
      setCookie(c, COOKIE, signToken(ctx.secret, "commenter", [item.id, ...mine].slice(0, MINE).join(",")), {
        path: "/comments",
        httpOnly: true,
        sameSite: "Lax",
        maxAge: YEAR_S,
        secure: ctx.config.baseUrl.startsWith("https:"),
      });
    const published = item.status === "approved";
    const confirmNote =
      item.author_email && !published && mailCanLeave(ctx) ? " A link to confirm your address is on its way." : "";
    if (wantsJson(c)) {
      return c.json({
        ok: true,
        status: item.status,
        message: published
          ? "Your comment is published. You can edit it for 15 minutes."
          : `Thank you. Your comment is waiting for the author to read it.${confirmNote}`,
        html: published ? oneComment(item, (await loadChrome(ctx)).settings.language).toString() : "",
        heading: published ? await commentsHeading(ctx, item.post_id) : undefined,
        edit: `/comments/edit/${editToken}`,
        token: guard.token(),
      });
    }
    return page(
      c,
      published ? "Comment published" : "Comment received",
      postedBody({ status: item.status, postPath: post ? postPath(post) : "/", id: item.id, editToken, confirmNote }),
    );
  };
}

/** The conversation's heading with the post's comment count, as the block shows it. */
async function commentsHeading(ctx: AppContext, postId: number): Promise<string> {
  const n = (await itemStore(ctx.db).countsOf([postId])).get(postId) ?? 0;
  return n ? `${n} ${n === 1 ? "comment" : "comments"}` : "Conversation";
}
