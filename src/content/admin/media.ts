/** Media library: upload images and PDFs (authors and up), list them, delete (editors and up). */
import type { Context, Hono, MiddlewareHandler } from "hono";
import { html } from "hono/html";
import type { AppContext } from "../../lib/context.ts";
import { HttpError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { filesOf, formBody, idParam, noticeOf, one, userOf } from "../../lib/http/request.ts";
import { requireUser } from "../../lib/http/require-user.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { csrfField, page, when } from "../../lib/ui/layout.ts";
import {
  deleteMedia,
  listMedia,
  MAX_ALT,
  type MediaRow,
  markdownOf,
  mediaById,
  mediaUrl,
  pickVariant,
  saveUpload,
  setMediaAlt,
} from "../media.ts";

/** Room for multipart framing and the other fields of a form carrying one file. */
const FORM_OVERHEAD = 256 * 1024;

/**
 * Refuse an upload request by its Content-Length before reading it (the file size is checked
 * again after parsing, since Content-Length can be absent).
 */
export function uploadSizeGuard(ctx: AppContext, files = 1): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const len = Number(c.req.header("content-length") ?? "0");
    if (c.req.method === "POST" && len > ctx.config.maxUploadBytes * files + FORM_OVERHEAD) {
      const limit = (ctx.config.maxUploadBytes / 1024 / 1024).toFixed(1);
      throw new HttpError(413, `The upload is ${(len / 1024 / 1024).toFixed(1)} MB, over the ${limit} MB limit.`);
    }
    await next();
  };
}

const fmtBytes = (n: number) => (n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

function item(c: Context<AppEnv>, m: MediaRow, tz: string, canDelete: boolean) {
  const image = m.mime.startsWith("image/");
  const thumb = image ? pickVariant(m, 320) : undefined;
  const full = pickVariant(m, 100_000);
  const snippet = markdownOf(m);
  return html`<li class="media-item media-card" id="media-${m.id}">
  ${
    thumb
      ? html`<img src="${mediaUrl(thumb.file)}" alt="${m.alt}" width="160" loading="lazy">`
      : html`<span class="file-icon" aria-hidden="true">PDF</span>`
  }
  <div class="media-card-body">
    <a href="${full ? mediaUrl(full.file) : "#"}">${m.original_name}</a>
    <div class="hint">#${m.id} · ${m.mime} · ${m.width ? `${m.width}×${m.height} · ` : ""}${fmtBytes(m.bytes)} · ${when(m.created_at, tz)}</div>
    ${
      image
        ? html`<form method="post" action="/admin/media/${m.id}/alt" class="media-alt">
      ${csrfField(c)}
      <label for="alt-${m.id}">Alt text<span class="visually-hidden"> of ${m.original_name}</span></label>
      <input id="alt-${m.id}" name="alt" value="${m.alt}" maxlength="${MAX_ALT}">
      <button type="submit">Save alt text<span class="visually-hidden"> of ${m.original_name}</span></button>
    </form>`
        : ""
    }
    ${
      full
        ? html`<div class="media-snippet"><span class="hint">Markdown:</span> <code id="snippet-${m.id}">${snippet}</code>
      <button type="button" class="copy-snippet" data-copy="${snippet}" hidden>Copy<span class="visually-hidden"> the Markdown of ${m.original_name}</span></button></div>`
        : ""
    }
    ${canDelete ? html`<a href="/admin/media/${m.id}/delete">Delete<span class="visually-hidden"> ${m.original_name}</span>…</a>` : ""}
  </div>
</li>`;
}

/** The uploaded file as the editor script wants it (JSON). */
const uploadJson = (m: MediaRow) => {
  const full = pickVariant(m, 100_000);
  return { id: m.id, url: full ? mediaUrl(full.file) : "", alt: m.alt, markdown: markdownOf(m) };
};

export function mediaAdminRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  async function libraryPage(c: Context<AppEnv>, o: { error?: string; status?: number; notice?: string } = {}) {
    const [items, tz] = await Promise.all([listMedia(ctx, { limit: 200 }), getTimeZone(ctx)]);
    const user = userOf(c);
    const canDelete = user.role !== "author";
    const limit = `${(ctx.config.maxUploadBytes / 1024 / 1024).toFixed(1)} MB`;
    return page(
      c,
      {
        title: "Media",
        section: "media",
        error: o.error,
        notice: o.notice ?? noticeOf(c),
        status: o.status,
        scripts: ["media.js"],
        styles: ["content-admin.css"],
      },
      html`<h1>Media</h1>
<form method="post" action="/admin/media" enctype="multipart/form-data" class="stack upload">
  ${csrfField(c)}
  <div class="field">
    <label for="f-file">Upload images or PDFs</label>
    <p class="hint" id="f-file-hint">JPEG, PNG, WebP, GIF, AVIF or PDF, up to ${limit} each. Images get resized copies for fast pages; their metadata (e.g. GPS location) is removed.</p>
    <input id="f-file" name="file" type="file" multiple required aria-describedby="f-file-hint" accept="image/jpeg,image/png,image/webp,image/gif,image/avif,application/pdf">
  </div>
  <div class="field">
    <label for="f-alt">Alt text (images)</label>
    <p class="hint" id="f-alt-hint">What the image shows, for people who can't see it. You can change it later.</p>
    <input id="f-alt" name="alt" maxlength="${MAX_ALT}" aria-describedby="f-alt-hint">
  </div>
  <div class="actions"><button type="submit" class="primary">Upload</button></div>
</form>
<h2>Library</h2>
${items.length ? html`<ul class="media-list">${items.map((m) => item(c, m, tz, canDelete))}</ul>` : html`<p>Nothing uploaded yet.</p>`}`,
    );
  }

  app.get("/media", (c) => libraryPage(c));

  app.post("/media", async (c) => {
    const b = await formBody(c);
    const files = filesOf(b, "file");
    const alt = one(b, "alt");
    const user = userOf(c);
    // The editor's paste/drop upload asks for JSON: one file, its URL and Markdown back.
    if (c.req.header("accept")?.includes("application/json")) {
      c.header("Cache-Control", "no-store");
      if (files.length !== 1) return c.json({ error: "file: send exactly one file." }, 400);
      try {
        return c.json(uploadJson(await saveUpload(ctx, files[0], user.id, { accept: "image", alt })), 201);
      } catch (err) {
        if (!(err instanceof HttpError || err instanceof ValidationError)) throw err;
        return c.json({ error: err.message }, err.status as 400);
      }
    }
    if (!files.length) return libraryPage(c, { error: "Choose a file to upload.", status: 400 });
    const done: string[] = [];
    for (const f of files) {
      try {
        await saveUpload(ctx, f, user.id, { alt });
        done.push(f.name);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        const prefix = done.length ? `Uploaded ${done.join(", ")}. ` : "";
        return libraryPage(c, { error: prefix + err.message, status: err.status });
      }
    }
    return c.redirect("/admin/media?msg=uploaded", 303);
  });

  app.post("/media/:id{[0-9]+}/alt", async (c) => {
    const b = await formBody(c);
    try {
      await setMediaAlt(ctx, idParam(c), one(b, "alt"));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return libraryPage(c, { error: `Alt text: ${err.message.replace(/^alt: /, "")}`, status: 400 });
    }
    return c.redirect(`/admin/media?msg=saved#media-${idParam(c)}`, 303);
  });

  app.use("/media/:id{[0-9]+}/delete", requireUser("editor"));

  async function media(c: Context<AppEnv>): Promise<MediaRow> {
    const m = await mediaById(ctx, idParam(c));
    if (!m) throw new NotFoundError("That file does not exist.");
    return m;
  }

  app.get("/media/:id{[0-9]+}/delete", async (c) => {
    const m = await media(c);
    return page(
      c,
      { title: "Delete file", section: "media" },
      html`<h1>Delete “${m.original_name}”?</h1>
<p>Posts that show it will show nothing in its place (covers and PDFs are unset). This cannot be undone.</p>
<form method="post" action="/admin/media/${m.id}/delete" class="actions">
  ${csrfField(c)}
  <button type="submit" class="danger">Delete file</button>
  <a href="/admin/media">Cancel</a>
</form>`,
    );
  });

  app.post("/media/:id{[0-9]+}/delete", async (c) => {
    const m = await media(c);
    await deleteMedia(ctx, m.id);
    return c.redirect("/admin/media?msg=deleted", 303);
  });
}
