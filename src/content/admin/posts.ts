/**
 * Posts in the admin: the list, the editor (save draft, publish, schedule, unpublish, preview),
 * delete with confirmation, and the live-preview endpoint. Thin: the form is parsed here, the
 * submit's logic is content/editor.ts (`submitPost`), the list's content/listing.ts.
 */
import type { Context, Hono } from "hono";
import { userNames } from "../../auth/index.ts";
import type { AppContext } from "../../lib/context.ts";
import type { PostKind, PostStatus } from "../../lib/db/schema.ts";
import { HttpError, NotFoundError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { actorOf, type Body, fileOf, formBody, idParam, many, noticeOf, one, userOf } from "../../lib/http/request.ts";
import type { EditorPart } from "../../lib/module.ts";
import { hasRole } from "../../lib/roles.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { toLocalInput } from "../../lib/time.ts";
import { autosavePost, discardAutosave, pendingAutosave } from "../autosave.ts";
import { type EditorValues, submitPost } from "../editor.ts";
import { adminPostPage } from "../listing.ts";
import { listMedia } from "../media.ts";
import { canEdit, deletePost, postKinds, postPath, renderBody } from "../service.ts";
import { type PostRow, postStore, themeStore } from "../store.ts";
import { homeIntro } from "./home.ts";
import { deleteConfirmPage, type EditorData, editorPage } from "./views/editor.ts";
import { postListPage } from "./views/posts.ts";

const statuses = ["draft", "scheduled", "published"];

/** The editor's values of a stored post (or of a new one). */
function valuesOf(
  post: PostRow | undefined,
  themeIds: number[],
  tz: string,
  parts: EditorValues["parts"],
): EditorValues {
  return {
    title: post?.title ?? "",
    kind: post?.kind ?? "article",
    slug: post?.slug ?? "",
    summary: post?.summary ?? "",
    body: post?.body_md ?? "",
    themeIds: themeIds.map(String),
    coverMediaId: post?.cover_media_id ? String(post.cover_media_id) : "",
    coverAlt: post?.cover_alt ?? "",
    pdfMediaId: post?.pdf_media_id ? String(post.pdf_media_id) : "",
    publishAt: post?.status === "scheduled" ? toLocalInput(post.published_at, tz) : "",
    parts,
  };
}

/** The editor's values as submitted, the parts' fields read by each part. */
function valuesFromForm(b: Body, parts: EditorPart[]): EditorValues {
  return {
    title: one(b, "title"),
    kind: one(b, "kind"),
    slug: one(b, "slug"),
    summary: one(b, "summary"),
    body: one(b, "body").replace(/\r\n/g, "\n"),
    themeIds: many(b, "themeIds"),
    coverMediaId: one(b, "coverMediaId"),
    coverAlt: one(b, "coverAlt"),
    pdfMediaId: one(b, "pdfMediaId"),
    publishAt: one(b, "publishAt"),
    parts: parts.map((p) => p.fromForm((name) => one(b, name))),
  };
}

/** Register the post list, editor and preview routes on the admin app. */
export function postRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  async function editorData(c: Context<AppEnv>, partial: Partial<EditorData> & { values: EditorValues }) {
    const [themes, images, pdfs, timeZone, parts] = await Promise.all([
      themeStore(ctx.db).all(),
      listMedia(ctx, { type: "image" }),
      listMedia(ctx, { type: "pdf" }),
      getTimeZone(ctx),
      ctx.host.editorParts(),
    ]);
    return editorPage(c, { themes, images, pdfs, timeZone, parts, ...partial });
  }

  async function loadEditable(c: Context<AppEnv>): Promise<PostRow> {
    const post = await postStore(ctx.db).byId(idParam(c));
    if (!post) throw new NotFoundError("That post does not exist (it may have been deleted).");
    if (!canEdit(actorOf(c), post)) throw new HttpError(403, "You can only edit your own posts.");
    return post;
  }

  const list = async (c: Context<AppEnv>, home = false) => {
    const user = userOf(c);
    const status = statuses.includes(c.req.query("status") ?? "") ? (c.req.query("status") as PostStatus) : undefined;
    const kind = (postKinds as readonly string[]).includes(c.req.query("kind") ?? "")
      ? (c.req.query("kind") as PostKind)
      : undefined;
    const q = (c.req.query("q") ?? "").trim().slice(0, 200);
    const pageNo = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
    const authorId = user.role === "author" ? user.id : undefined;
    const { rows, total, hasMore } = await adminPostPage(ctx, { status, kind, q, page: pageNo, authorId });
    return postListPage(c, {
      columns: await moduleColumns(
        c,
        rows.map((r) => r.post),
      ),
      rows,
      total,
      hasMore,
      filter: { status: status ?? "", kind: kind ?? "", q, page: pageNo },
      authorNames: await userNames(ctx),
      timeZone: await getTimeZone(ctx),
      notice: noticeOf(c),
      onlyOwn: authorId !== undefined,
      intro: home ? await homeIntro(ctx, c) : undefined,
    });
  };
  /** Other modules' columns the user may see, with their cells for these posts. */
  async function moduleColumns(c: Context<AppEnv>, posts: PostRow[]) {
    if (!posts.length) return [];
    const user = userOf(c);
    const items = posts.map((p) => ({
      id: p.id,
      kind: p.kind,
      path: p.status === "published" ? postPath(p) : undefined,
    }));
    const columns = (await ctx.host.postColumns()).filter((col) => hasRole(user.role, col.min));
    return Promise.all(columns.map(async (col) => ({ heading: col.heading, cells: await col.cells(ctx, items) })));
  }
  app.get("/", (c) => list(c, true));
  app.get("/posts", (c) => list(c));

  app.get("/posts/new", async (c) => {
    const tz = await getTimeZone(ctx);
    const kind = c.req.query("kind");
    const parts = await ctx.host.editorParts();
    const values = valuesOf(undefined, [], tz, await Promise.all(parts.map((p) => p.defaults?.(ctx))));
    if (kind && (postKinds as readonly string[]).includes(kind)) values.kind = kind;
    return editorData(c, { values });
  });

  app.get("/posts/:id{[0-9]+}", async (c) => {
    const post = await loadEditable(c);
    const themes = (await postStore(ctx.db).themesOf([post.id])).get(post.id) ?? [];
    const tz = await getTimeZone(ctx);
    const parts = await ctx.host.editorParts();
    const partValues = await Promise.all(
      parts.map(async (p) => (await p.load(ctx, post.id, tz)) ?? (await p.defaults?.(ctx))),
    );
    const values = valuesOf(
      post,
      themes.map((t) => t.id),
      tz,
      partValues,
    );
    const autosave = await pendingAutosave(ctx, post);
    const restored = autosave !== undefined && c.req.query("autosave") === "restore";
    if (autosave && restored) {
      Object.assign(values, { title: autosave.title, summary: autosave.summary, body: autosave.body_md });
    }
    return editorData(c, { post, values, notice: noticeOf(c), autosave, restored });
  });

  /** The editor script's periodic background save (JSON); never touches the post itself. */
  app.post("/posts/:id{[0-9]+}/autosave", async (c) => {
    const b = await formBody(c);
    const row = await autosavePost(ctx, actorOf(c), idParam(c), {
      title: one(b, "title"),
      summary: one(b, "summary"),
      body: one(b, "body").replace(/\r\n/g, "\n"),
    });
    c.header("Cache-Control", "no-store");
    return c.json({ savedAt: row.saved_at });
  });

  app.post("/posts/:id{[0-9]+}/autosave/discard", async (c) => {
    const post = await loadEditable(c);
    await discardAutosave(ctx, post.id);
    return c.redirect(`/admin/posts/${post.id}`, 303);
  });

  /** Create (no id) or update a post from the editor form. */
  async function submit(c: Context<AppEnv>, existing: PostRow | undefined) {
    const b = await formBody(c);
    const form = {
      action: one(b, "action") || "save",
      values: valuesFromForm(b, await ctx.host.editorParts()),
      coverFile: fileOf(b, "coverFile"),
      pdfFile: fileOf(b, "pdfFile"),
    };
    const r = await submitPost(ctx, actorOf(c), form, existing);
    if (r.ok) return c.redirect(r.redirect, 303);
    const { values, errors, status, previewHtml } = r;
    return editorData(c, { post: existing, values, errors, status, previewHtml });
  }

  app.post("/posts/new", (c) => submit(c, undefined));
  app.post("/posts/:id{[0-9]+}", async (c) => submit(c, await loadEditable(c)));

  app.get("/posts/:id{[0-9]+}/delete", async (c) => deleteConfirmPage(c, await loadEditable(c)));
  app.post("/posts/:id{[0-9]+}/delete", async (c) => {
    const post = await loadEditable(c);
    await deletePost(ctx, actorOf(c), post.id);
    return c.redirect("/admin/posts?msg=deleted", 303);
  });

  /** Live preview for the editor script: rendered HTML of the posted body (a fragment). */
  app.post("/preview", async (c) => {
    const b = await formBody(c);
    const kind = one(b, "kind") === "presentation" ? "presentation" : "article";
    const body = one(b, "body");
    if (body.length > 2_000_000) throw new HttpError(413, "The body is too long to preview (2 MB maximum).");
    c.header("Cache-Control", "no-store");
    return c.html(renderBody(kind, body).html);
  });
}
