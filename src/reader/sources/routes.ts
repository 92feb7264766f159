/**
 * /admin/sources: follow by URL, sources by folder with their last error and "Retry now", edit and
 * unfollow, folders, OPML import (upload) and export (download). Thin: parse, call, render.
 */
import type { Context, Hono } from "hono";
import type { AppContext } from "../../lib/context.ts";
import { ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { formBody, idParam, one } from "../../lib/http/request.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { type FieldErrors, fieldErrorOf } from "../../lib/ui/form.ts";
import { page } from "../../lib/ui/layout.ts";
import { createFolder, deleteFolder, folderChoices, getFolder, updateFolder } from "./folders.ts";
import { exportOpml, importOpml } from "./opml.ts";
import { pollNow } from "./poll.ts";
import {
  AlreadyFollowedError,
  displayName,
  followSource,
  getSource,
  sourceTree,
  unfollowSource,
  updateSource,
} from "./service.ts";
import { sourceStore } from "./store.ts";
import { folderEditBody, sourceEditBody, unfollowBody } from "./views/edit.ts";
import { type ListView, listBody } from "./views/list.ts";

const STYLES = ["sources.css"];
/** OPML files are small; 5 MB is thousands of feeds. */
const MAX_OPML_BYTES = 5 * 1024 * 1024;
/** "Retry now" runs in the request, so it gets a shorter timeout than background polls. */
const RETRY_TIMEOUT_MS = 15_000;

/** A folder id from a form ("" is no folder). */
function folderParam(raw: string, field: string): number | null {
  if (!raw) return null;
  if (!/^\d{1,9}$/.test(raw)) throw new ValidationError("Choose a folder from the list.", { field });
  return Number(raw);
}

const count = (raw: string | undefined) => (raw && /^\d{1,9}$/.test(raw) ? Number(raw) : 0);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const newItemsText = (n: number) => (n ? `${plural(n, "new item")} found` : "no new items");

/** Register the sources pages on the admin app. */
export function sourcesRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  /** The notice after a redirect: only codes and numbers come from the URL, names from the database. */
  async function noticeOf(c: Context<AppEnv>): Promise<string | undefined> {
    const msg = c.req.query("msg");
    const id = count(c.req.query("id"));
    const src = id ? await sourceStore(ctx.db).byId(id) : undefined;
    const name = src ? `“${displayName(src)}”` : "the source";
    switch (msg) {
      case "followed":
        return `Now following ${name} (${plural(count(c.req.query("n")), "item")}).`;
      case "retried":
        if (!src) return undefined;
        if (src.last_error) return `Polled ${name}: it still fails: ${src.last_error}`;
        return `Polled ${name}: ${newItemsText(count(c.req.query("n")))}.`;
      case "busy":
        return `${name} is being polled right now; its state updates in a moment.`;
      case "imported": {
        const [added, dup, folders, skipped] = ["added", "dup", "folders", "skipped"].map((k) => count(c.req.query(k)));
        const notFeeds = skipped
          ? ` and ${plural(skipped, "outline")} that ${skipped === 1 ? "is not a feed" : "are not feeds"}`
          : "";
        return `Imported ${plural(added, "source")} and ${plural(folders, "new folder")}; skipped ${plural(dup, "feed")} you already follow${notFeeds}.`;
      }
      case "saved":
        return "Saved.";
      case "unfollowed":
        return "Unfollowed.";
      case "folder-created":
        return "Folder created.";
      case "folder-deleted":
        return "Folder deleted; what was in it moved up one level.";
      default:
        return undefined;
    }
  }

  async function listPage(c: Context<AppEnv>, over: Partial<ListView> = {}, status = 200, error?: string) {
    const [tree, choices, tz, notice, kinds] = await Promise.all([
      sourceTree(ctx),
      folderChoices(ctx),
      getTimeZone(ctx),
      status === 200 ? noticeOf(c) : undefined,
      ctx.host.sourceKinds(),
    ]);
    const view: ListView = {
      ...tree,
      choices,
      tz,
      add: { url: "", folder: c.req.query("folder") ?? "", title: "" },
      addErrors: {},
      folderForm: { name: "", parent: "" },
      folderErrors: {},
      importErrors: {},
      kindHints: kinds.map((k) => k.hint),
      ...over,
    };
    return page(c, { title: "Sources", section: "sources", styles: STYLES, notice, error, status }, listBody(c, view));
  }

  const fieldErrors = (err: ValidationError, fallback: string): FieldErrors => {
    const { field, message } = fieldErrorOf(err);
    return { [field || fallback]: message };
  };

  app.get("/sources", (c) => listPage(c));

  app.post("/sources", async (c) => {
    const b = await formBody(c);
    const add = { url: one(b, "url"), folder: one(b, "folder"), title: one(b, "title") };
    try {
      const r = await followSource(ctx, add.url, { folderId: folderParam(add.folder, "folder"), title: add.title });
      return c.redirect(`/admin/sources?msg=followed&id=${r.source.id}&n=${r.newItems}`, 303);
    } catch (err) {
      if (err instanceof AlreadyFollowedError) {
        return listPage(c, { add, addErrors: { url: err.message } }, 409, "Not followed: see the address below.");
      }
      if (!(err instanceof ValidationError)) throw err;
      return listPage(c, { add, addErrors: fieldErrors(err, "url") }, 422, "Not followed: see the address below.");
    }
  });

  app.get("/sources/export.opml", async (c) => {
    const xml = await exportOpml(ctx);
    const day = ctx.now().toISOString().slice(0, 10);
    c.header("Content-Type", "text/x-opml; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="liner-sources-${day}.opml"`);
    c.header("Cache-Control", "no-store");
    return c.body(xml);
  });

  app.post("/sources/import", async (c) => {
    const b = await formBody(c);
    const file = b.file;
    const f = Array.isArray(file) ? file[0] : file;
    const fail = (message: string, status = 422) =>
      listPage(c, { importErrors: { file: message } }, status, "Nothing was imported: see the file field below.");
    if (!f || typeof f === "string" || f.size === 0) return fail("Choose an OPML file to import.");
    if (f.size > MAX_OPML_BYTES) return fail("The file is larger than 5 MB; that is not an OPML file of feeds.", 413);
    try {
      const r = await importOpml(ctx, await f.text());
      return c.redirect(
        `/admin/sources?msg=imported&added=${r.added}&dup=${r.duplicates}&folders=${r.folders}&skipped=${r.skipped}`,
        303,
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return fail(err.message);
    }
  });

  app.post("/sources/folders", async (c) => {
    const b = await formBody(c);
    const folderForm = { name: one(b, "name"), parent: one(b, "parent") };
    try {
      await createFolder(ctx, { name: folderForm.name, parentId: folderParam(folderForm.parent, "parent") });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return listPage(c, { folderForm, folderErrors: fieldErrors(err, "name") }, 422, "The folder was not created.");
    }
    return c.redirect("/admin/sources?msg=folder-created#folders-h", 303);
  });

  async function folderPage(
    c: Context<AppEnv>,
    id: number,
    values?: { name: string; parent: string },
    errors: FieldErrors = {},
  ) {
    const f = await getFolder(ctx, id);
    const all = await folderChoices(ctx);
    const self = all.find((x) => x.id === id);
    // Not into itself or anything below it: those choices share its path as a prefix.
    const choices = all.filter((x) => x.id !== id && !(self && x.label.startsWith(`${self.label} / `)));
    const status = Object.keys(errors).length ? 422 : 200;
    return page(
      c,
      {
        title: `Folder ${f.name}`,
        section: "sources",
        styles: STYLES,
        status,
        error: status === 200 ? undefined : "Not saved.",
      },
      folderEditBody(c, {
        folder: f,
        path: self?.label ?? f.name,
        choices,
        values: values ?? { name: f.name, parent: f.parent_id === null ? "" : String(f.parent_id) },
        errors,
      }),
    );
  }

  app.get("/sources/folders/:id{[0-9]+}", (c) => folderPage(c, idParam(c)));

  app.post("/sources/folders/:id{[0-9]+}", async (c) => {
    const id = idParam(c);
    const b = await formBody(c);
    const values = { name: one(b, "name"), parent: one(b, "parent") };
    try {
      await updateFolder(ctx, id, { name: values.name, parentId: folderParam(values.parent, "parent") });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return folderPage(c, id, values, fieldErrors(err, "name"));
    }
    return c.redirect("/admin/sources?msg=saved", 303);
  });

  app.post("/sources/folders/:id{[0-9]+}/delete", async (c) => {
    await deleteFolder(ctx, idParam(c));
    return c.redirect("/admin/sources?msg=folder-deleted", 303);
  });

  async function sourcePage(
    c: Context<AppEnv>,
    id: number,
    values?: { title: string; folder: string },
    errors: FieldErrors = {},
  ) {
    const s = await getSource(ctx, id);
    const [choices, tz] = await Promise.all([folderChoices(ctx), getTimeZone(ctx)]);
    const status = Object.keys(errors).length ? 422 : 200;
    return page(
      c,
      {
        title: displayName(s),
        section: "sources",
        styles: STYLES,
        status,
        notice: status === 200 ? await noticeOf(c) : undefined,
        error: status === 200 ? undefined : "Not saved.",
      },
      sourceEditBody(c, {
        source: s,
        name: displayName(s),
        choices,
        values: values ?? { title: s.custom_title, folder: s.folder_id === null ? "" : String(s.folder_id) },
        errors,
        tz,
      }),
    );
  }

  app.get("/sources/:id{[0-9]+}", (c) => sourcePage(c, idParam(c)));

  app.post("/sources/:id{[0-9]+}", async (c) => {
    const id = idParam(c);
    const b = await formBody(c);
    const values = { title: one(b, "title"), folder: one(b, "folder") };
    try {
      await updateSource(ctx, id, { title: values.title, folderId: folderParam(values.folder, "folder") });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return sourcePage(c, id, values, fieldErrors(err, "title"));
    }
    return c.redirect(`/admin/sources/${id}?msg=saved`, 303);
  });

  app.post("/sources/:id{[0-9]+}/retry", async (c) => {
    const id = idParam(c);
    await getSource(ctx, id);
    const outcome = await pollNow(ctx, id, { timeoutMs: RETRY_TIMEOUT_MS });
    const back = c.req.header("referer")?.includes(`/admin/sources/${id}`) ? `/admin/sources/${id}` : "/admin/sources";
    const n = outcome?.kind === "fetched" ? outcome.newItems : 0;
    return c.redirect(
      `${back}?msg=${outcome ? "retried" : "busy"}&id=${id}&n=${n}${back === "/admin/sources" ? `#source-${id}` : ""}`,
      303,
    );
  });

  app.get("/sources/:id{[0-9]+}/unfollow", async (c) => {
    const s = await getSource(ctx, idParam(c));
    const items = await sourceStore(ctx.db).itemCount(s.id);
    return page(
      c,
      { title: "Unfollow", section: "sources", styles: STYLES },
      unfollowBody(c, s, displayName(s), items),
    );
  });

  app.post("/sources/:id{[0-9]+}/unfollow", async (c) => {
    await unfollowSource(ctx, idParam(c));
    return c.redirect("/admin/sources?msg=unfollowed", 303);
  });
}
