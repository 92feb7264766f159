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
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import { type H, h } from "../lib/html.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { publicFormGuard } from "../lib/http/public-form.ts";
import { formBody, one } from "../lib/http/request.ts";
import { loadChrome } from "../site/index.ts";
import { commentPost } from "./comment-post.ts";
import { confirmAddress, deleteOwnComment, editable, editComment, stopNotifications } from "./comments/service.ts";
import { commentFeed } from "./feeds.ts";
import { itemStore } from "./store.ts";
import { commentForm } from "./views/form.ts";
import { conversationPage, editBody, oneButtonBody } from "./views/pages.ts";
import { webmentionRoutes } from "./webmention/routes.ts";

/** Public routes, mounted on the main app before the site. */
export function conversationRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const guard = publicFormGuard(ctx, { purpose: "comment-form", perHour: 30, maxBytes: 64 * 1024, minFillMs: 1500 });
  const page = async (c: Context<AppEnv>, title: string, body: H, status = 200) => {
    c.header("Cache-Control", "no-store");
    return c.html(conversationPage(await loadChrome(ctx), title, c.req.path, body), status as 200);
  };
  const _wantsJson = (c: Context<AppEnv>) => (c.req.header("accept") ?? "").includes("application/json");

  app.use("/comments", guard.bodyLimit);
  app.use("/comments/*", guard.bodyLimit);

  app.get("/comments/token", (c) => {
    c.header("Cache-Control", "no-store");
    // A token with the minimum fill time: the script asks for it when the reader starts typing.
    return c.json({ t: guard.token() });
  });

  app.post("/comments", commentPost(ctx, guard, page));

  app.get("/comments/reply/:id{[0-9]+}", async (c) => {
    const parent = await itemStore(ctx.db).byId(Number(c.req.param("id")));
    if (parent?.status !== "approved") throw new NotFoundError("There is no such comment.");
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
      const path = post ? postPath(post) : "/";
      if (item.status === "approved") return c.redirect(`${path}#comment-${item.id}`, 303);
      return page(
        c,
        "Comment saved",
        h`<p>Your changes are saved. Your comment is still waiting for the author to read it.</p><p><a href="/comments/edit/${token}">Edit it again</a> · <a href="${path}">Back to the post</a></p>`,
      );
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
    const item = await confirmAddress(ctx, c.req.param("token"));
    const post = await postById(ctx, item.post_id);
    return page(
      c,
      "Address confirmed",
      h`<p>Thank you: your address is confirmed. The author will read your comment soon.</p>${post ? h`<p><a href="${postPath(post)}">Back to the post</a></p>` : ""}`,
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
    if (post?.status !== "published") throw new NotFoundError("There is no post at this address.");
    return atom(c, await commentFeed(ctx, post));
  });

  app.route("/", webmentionRoutes(ctx));
  return app;
}

function atom(c: Context<AppEnv>, xml: string): Response {
  c.header("Content-Type", "application/atom+xml; charset=utf-8");
  c.header("Cache-Control", "public, max-age=60");
  return c.body(xml);
}
