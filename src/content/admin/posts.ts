/**
 * Posts in the admin: the list, the editor (save draft, publish, schedule, unpublish, preview),
 * delete with confirmation, and the live-preview endpoint. Validation and permissions live in
 * content/service.ts; here we map the form to its input and errors back to the form.
 */
import type { Context, Hono } from "hono";
import { userNames } from "../../auth/index.ts";
import type { AppContext } from "../../lib/context.ts";
import type { PostKind, PostStatus } from "../../lib/db/schema.ts";
import { HttpError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { actorOf, type Body, fileOf, formBody, idParam, many, noticeOf, one, userOf } from "../../lib/http/request.ts";
import type { EditorPart } from "../../lib/module.ts";
import { hasRole } from "../../lib/roles.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { fromLocalInput, toLocalInput } from "../../lib/time.ts";
import { type FieldErrors, fieldErrorOf } from "../../lib/ui/form.ts";
import { listMedia, mediaById, saveUpload } from "../media.ts";
import { searchPosts } from "../search.ts";
import { canEdit, deletePost, type PostInput, postKinds, renderBody, savePost } from "../service.ts";
import { type PostRow, postStore, themeStore } from "../store.ts";
import { deleteConfirmPage, type EditorData, type EditorValues, editorPage } from "./views/editor.ts";
import { postListPage } from "./views/posts.ts";

const PAGE_SIZE = 30;
const statuses = ["draft", "scheduled", "published"];

/** Service field names → form field names. */
const fieldAliases: Record<string, string> = { publishedAt: "publishAt", body: "body", input: "title" };

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
    pdfMediaId: post?.pdf_media_id ? String(post.pdf_media_id) : "",
    publishAt: post?.status === "scheduled" ? toLocalInput(post.published_at, tz) : "",
    parts,
  };
}

function valuesFromForm(b: Body, parts: EditorPart[]): EditorValues {
  return {
    title: one(b, "title"),
    kind: one(b, "kind"),
    slug: one(b, "slug"),
    summary: one(b, "summary"),
    body: one(b, "body").replace(/\r\n/g, "\n"),
    themeIds: many(b, "themeIds"),
    coverMediaId: one(b, "coverMediaId"),
    pdfMediaId: one(b, "pdfMediaId"),
    publishAt: one(b, "publishAt"),
    parts: parts.map((p) => p.fromForm((name) => one(b, name))),
  };
}

const optionalId = (s: string): number | null => (/^\d+$/.test(s) ? Number(s) : null);

/** Build the service input for a button press. */
function inputFor(ctx: AppContext, action: string, v: EditorValues, existing: PostRow | undefined, tz: string) {
  const now = ctx.now();
  const at = v.publishAt ? fromLocalInput(v.publishAt, tz) : null;
  if (v.publishAt && !at) throw new ValidationError("publishAt: enter a date and time", { field: "publishAt" });
  let status: PostStatus = existing?.status ?? "draft";
  let publishedAt: Date | null | undefined;
  if (action === "publish") {
    status = "published";
    if (at && at <= now)
      publishedAt = at; // back-dating is allowed
    else if (existing?.published_at && existing.published_at > now.toISOString()) publishedAt = now;
  } else if (action === "schedule" || (action === "save" && status === "scheduled")) {
    status = "scheduled";
    if (!at) throw new ValidationError("publishAt: choose the date and time to publish", { field: "publishAt" });
    publishedAt = at;
  } else if (action === "unpublish") {
    status = "draft";
  } else if (action !== "save") {
    throw new ValidationError("action: unknown button");
  }
  const input: PostInput = {
    kind: (postKinds as readonly string[]).includes(v.kind) ? (v.kind as PostKind) : "article",
    title: v.title,
    slug: v.slug.trim() || undefined,
    summary: v.summary,
    body: v.body,
    themeIds: v.themeIds.map(Number).filter((n) => Number.isInteger(n) && n > 0),
    coverMediaId: optionalId(v.coverMediaId),
    pdfMediaId: optionalId(v.pdfMediaId),
    status,
    publishedAt,
  };
  return input;
}

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

  const list = async (c: Context<AppEnv>) => {
    const user = userOf(c);
    const status = statuses.includes(c.req.query("status") ?? "") ? (c.req.query("status") as PostStatus) : undefined;
    const kind = (postKinds as readonly string[]).includes(c.req.query("kind") ?? "")
      ? (c.req.query("kind") as PostKind)
      : undefined;
    const q = (c.req.query("q") ?? "").trim().slice(0, 200);
    const pageNo = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
    const authorId = user.role === "author" ? user.id : undefined;
    let rows: { post: PostRow; snippet?: string }[];
    let hasMore: boolean;
    let total: number | undefined;
    if (q) {
      // Search ranks across everything; status and author filters apply to its results.
      const r = await searchPosts(ctx.db, { q, kind, includeUnpublished: true, limit: 500 });
      const hits = r.hits.filter(
        (h) => (!status || h.post.status === status) && (authorId === undefined || h.post.author_id === authorId),
      );
      total = hits.length;
      rows = hits
        .slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE)
        .map((h) => ({ post: h.post, snippet: h.snippet }));
      hasMore = hits.length > pageNo * PAGE_SIZE;
    } else {
      const posts = await postStore(ctx.db).list({
        status,
        kinds: kind ? [kind] : undefined,
        authorId,
        limit: PAGE_SIZE + 1,
        offset: (pageNo - 1) * PAGE_SIZE,
      });
      hasMore = posts.length > PAGE_SIZE;
      rows = posts.slice(0, PAGE_SIZE).map((post) => ({ post }));
    }
    return postListPage(c, {
      rows,
      total,
      hasMore,
      filter: { status: status ?? "", kind: kind ?? "", q, page: pageNo },
      authorNames: await userNames(ctx),
      timeZone: await getTimeZone(ctx),
      notice: noticeOf(c),
      onlyOwn: authorId !== undefined,
    });
  };
  app.get("/", list);
  app.get("/posts", list);

  app.get("/posts/new", async (c) => {
    const tz = await getTimeZone(ctx);
    const kind = c.req.query("kind");
    const values = valuesOf(undefined, [], tz, []);
    if (kind && (postKinds as readonly string[]).includes(kind)) values.kind = kind;
    return editorData(c, { values });
  });

  app.get("/posts/:id{[0-9]+}", async (c) => {
    const post = await loadEditable(c);
    const themes = (await postStore(ctx.db).themesOf([post.id])).get(post.id) ?? [];
    const tz = await getTimeZone(ctx);
    const parts = await ctx.host.editorParts();
    const partValues = await Promise.all(parts.map((p) => p.load(ctx, post.id, tz)));
    return editorData(c, {
      post,
      values: valuesOf(
        post,
        themes.map((t) => t.id),
        tz,
        partValues,
      ),
      notice: noticeOf(c),
    });
  });

  /** Create (no id) or update a post from the editor form. */
  async function submit(c: Context<AppEnv>, existing: PostRow | undefined) {
    const b = await formBody(c);
    const parts = await ctx.host.editorParts();
    const values = valuesFromForm(b, parts);
    const action = one(b, "action") || "save";
    const user = userOf(c);
    const errors: FieldErrors = {};
    let status = 200;
    // Uploads first, so a chosen file is kept (as the selected media) even if the form has errors.
    for (const [fileField, idField, accept] of [
      ["coverFile", "coverMediaId", "image"],
      ["pdfFile", "pdfMediaId", "pdf"],
    ] as const) {
      const file = fileOf(b, fileField);
      if (!file) continue;
      try {
        const m = await saveUpload(ctx, file, user.id, { accept });
        values[idField] = String(m.id);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        errors[fileField] = err.message;
        status = err.status;
      }
    }
    const rerender = (extra: Partial<EditorData>) =>
      editorData(c, { post: existing, values, errors, status, ...extra });
    if (action === "preview") {
      const kind = values.kind === "presentation" ? "presentation" : "article";
      return rerender({ previewHtml: renderBody(kind, values.body).html });
    }
    for (const [field, mime] of [
      ["coverMediaId", "image/"],
      ["pdfMediaId", "application/pdf"],
    ] as const) {
      const id = optionalId(values[field]);
      const m = id ? await mediaById(ctx, id) : undefined;
      if (id && !m?.mime.startsWith(mime)) {
        errors[field] = "That file no longer exists, or is not the right type. Choose another.";
        if (status === 200) status = 422;
      }
    }
    if (Object.keys(errors).length) return rerender({});
    const siteZone = await getTimeZone(ctx);
    const checked = parts.map((p, i) => p.check(values.kind, values.parts[i], errors, siteZone));
    if (checked.some((x) => x === null)) return rerender({ status: 400 });
    try {
      const tz = await getTimeZone(ctx);
      const input = inputFor(ctx, action, values, existing, tz);
      const saved = await savePost(ctx, actorOf(c), input, existing?.id);
      for (const [i, input] of checked.entries()) if (input !== undefined) await parts[i].save(ctx, saved.id, input);
      const msg =
        action === "publish"
          ? saved.status
          : action === "schedule"
            ? saved.status
            : action === "unpublish"
              ? "unpublished"
              : saved.status === "draft"
                ? "draft"
                : "saved";
      // Publishing leads editors on to emailing the post (that page returns here when there are no lists).
      if (msg === "published" && hasRole(userOf(c).role, "editor"))
        return c.redirect(`/admin/posts/${saved.id}/email?msg=published`, 303);
      return c.redirect(`/admin/posts/${saved.id}?msg=${msg}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err, fieldAliases);
      errors[field || "title"] = message;
      return rerender({ status: 422 });
    }
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
