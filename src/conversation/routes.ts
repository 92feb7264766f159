/**
 * Public routes of the conversation: the comment form's POST /comments (guarded like every
 * public form: signed token with minimum fill time, honeypot, same-site Origin, per-address and
 * per-network rate limits, body limit), its token for cached pages, the reply page, the
 * commenter's edit/delete, confirm and unsubscribe links, the comment feeds, and the Webmention
 * endpoint POST /webmention with its status pages.
 */
import { type Context, Hono } from "hono";
import { postById, postBySlug, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { HttpError, NotFoundError, ValidationError } from "../lib/errors.ts";
import { type H, h } from "../lib/html.ts";
import { clientIp } from "../lib/http/client-ip.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { HONEYPOT, publicFormGuard } from "../lib/http/public-form.ts";
import { formBody, one } from "../lib/http/request.ts";
import { rateLimit } from "../lib/limits/limiter.ts";
import { loadChrome } from "../site/index.ts";
import { networkOf } from "./comments/network.ts";
import {
  type CommentInput,
  confirmAddress,
  deleteOwnComment,
  editable,
  editComment,
  stopNotifications,
  submitComment,
} from "./comments/service.ts";
import { commentFeed } from "./feeds.ts";
import { itemStore } from "./store.ts";
import { commentForm } from "./views/form.ts";
import { conversationPage, editBody, oneButtonBody, postedBody } from "./views/pages.ts";
import { oneComment } from "./views/thread.ts";
import { webmentionRoutes } from "./webmention/routes.ts";

/** Public routes, mounted on the main app before the site. */
export function conversationRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const guard = publicFormGuard(ctx, { purpose: "comment-form", perHour: 30, maxBytes: 64 * 1024 });
  const perNetwork = rateLimit(ctx, { name: "comment-network", limit: 100, windowMs: 3600_000 });
  const page = async (c: Context<AppEnv>, title: string, body: H, status = 200) => {
    c.header("Cache-Control", "no-store");
    return c.html(conversationPage(await loadChrome(ctx), title, c.req.path, body), status as 200);
  };
  const wantsJson = (c: Context<AppEnv>) => (c.req.header("accept") ?? "").includes("application/json");

  app.use("/comments", guard.bodyLimit);
  app.use("/comments/*", guard.bodyLimit);

  app.get("/comments/token", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ t: guard.refillToken() });
  });

  app.post("/comments", async (c) => {
    await guard.admit(c);
    const ip = clientIp(c);
    if ((await perNetwork.hit(networkOf(ip))).limited)
      throw new HttpError(429, "Too many comments from your network. Please try again in an hour.");
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
    const again = async (status: number, message: string, field?: string, notice?: string) => {
      const token = guard.refillToken();
      if (wantsJson(c)) return c.json({ ok: false, message: notice ?? message, field, token }, status as 400);
      const f = commentForm(
        {
          postId: input.postId,
          parentId: input.parentId,
          token,
          values,
          error: notice ? undefined : { message, field },
          notice,
        },
        "Leave a comment",
      );
      return page(c, notice ? "One more step" : "Your comment was not sent", f, status);
    };
    const verdict = guard.verdict({ t: one(body, "t"), honeypot: one(body, HONEYPOT) });
    if (verdict === "too-fast" || (verdict === "expired" && one(body, "t") === ""))
      return again(200, "", undefined, "One more step: press Send to send your comment.");
    if (verdict === "expired") return again(400, "The form had expired (or was sent twice). Please send it again.");
    const post = await postById(ctx, input.postId);
    if (!post) throw new NotFoundError("There is no post to comment on here.");
    // Bots get the same answer a person gets; nothing is stored.
    if (verdict === "bot")
      return page(c, "Thank you", h`<p>Thank you. Your comment is waiting for the author to read it.</p>`);
    try {
      const { item, editToken } = await submitComment(ctx, input, ip);
      if (wantsJson(c)) {
        const published = item.status === "approved";
        return c.json({
          ok: true,
          status: item.status,
          message: published
            ? "Your comment is published. You can edit it for 15 minutes."
            : "Thank you. Your comment is waiting for the author to read it.",
          html: published ? oneComment(item, (await loadChrome(ctx)).settings.language).toString() : "",
          heading: published ? await commentsHeading(ctx, item.post_id) : undefined,
          edit: `/comments/edit/${editToken}`,
          token: guard.refillToken(),
        });
      }
      return page(
        c,
        item.status === "approved" ? "Comment published" : "Comment received",
        postedBody({ status: item.status, postPath: postPath(post), id: item.id, editToken }),
      );
    } catch (err) {
      if (err instanceof ValidationError) return again(400, err.message, err.field);
      throw err;
    }
  });

  app.get("/comments/reply/:id{[0-9]+}", async (c) => {
    const parent = await itemStore(ctx.db).byId(Number(c.req.param("id")));
    if (!parent || parent.status !== "approved") throw new NotFoundError("There is no such comment.");
    const form = commentForm(
      { postId: parent.post_id, parentId: parent.parent_id ?? parent.id, token: guard.token() },
      `Reply to ${parent.author_name}`,
    );
    return page(c, `Reply to ${parent.author_name}`, h`<blockquote>${parent.text}</blockquote>${form}`);
  });

  app.get("/comments/edit/:token", async (c) => {
    const item = await editable(ctx, c.req.param("token"));
    return page(c, "Edit your comment", editBody({ token: c.req.param("token"), text: item.text }));
  });
  app.post("/comments/edit/:token", async (c) => {
    const token = c.req.param("token");
    const text = one(await formBody(c), "text");
    try {
      const item = await editComment(ctx, token, text);
      const post = await postById(ctx, item.post_id);
      return c.redirect(post ? `${postPath(post)}#comment-${item.id}` : "/", 303);
    } catch (err) {
      if (err instanceof ValidationError)
        return page(c, "Edit your comment", editBody({ token, text, error: err.message }), 400);
      throw err;
    }
  });
  app.post("/comments/delete/:token", async (c) => {
    const item = await deleteOwnComment(ctx, c.req.param("token"));
    const post = await postById(ctx, item.post_id);
    return page(
      c,
      "Comment deleted",
      h`<p>Your comment is deleted.</p>${post ? h`<p><a href="${postPath(post)}">Back to the post</a></p>` : ""}`,
    );
  });

  app.get("/comments/confirm/:token", async (c) => {
    await confirmAddress(ctx, c.req.param("token"));
    return page(
      c,
      "Address confirmed",
      h`<p>Thank you: your address is confirmed. The author will read your comment soon.</p>`,
    );
  });
  app.get("/comments/unsubscribe/:token", (c) =>
    page(
      c,
      "Stop reply notifications",
      oneButtonBody("Stop the emails about replies to your comment?", c.req.path, "Stop the emails"),
    ),
  );
  app.post("/comments/unsubscribe/:token", async (c) => {
    await stopNotifications(ctx, c.req.param("token"));
    return page(c, "Done", h`<p>You will get no more emails about replies to this comment.</p>`);
  });

  app.get("/comments/feed.atom", async (c) => atom(c, await commentFeed(ctx)));
  app.get("/comments/:slug/feed.atom", async (c) => {
    const post = await postBySlug(ctx, c.req.param("slug"));
    if (!post || post.status !== "published") throw new NotFoundError("There is no post at this address.");
    return atom(c, await commentFeed(ctx, post));
  });

  app.route("/", webmentionRoutes(ctx));
  return app;
}

/** The conversation's heading with the post's comment count, as the block shows it. */
async function commentsHeading(ctx: AppContext, postId: number): Promise<string> {
  const n = (await itemStore(ctx.db).countsOf([postId])).get(postId) ?? 0;
  return n ? `${n} ${n === 1 ? "comment" : "comments"}` : "Conversation";
}

function atom(c: Context<AppEnv>, xml: string): Response {
  c.header("Content-Type", "application/atom+xml; charset=utf-8");
  c.header("Cache-Control", "public, max-age=60");
  return c.body(xml);
}
