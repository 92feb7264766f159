/**
 * Saves in the admin: the save page (from the inbox, the bookmarklet or by hand), the list with
 * search, edit, delete with undo. Thin: read the form, call the service, render or redirect.
 */
import type { Context, Hono } from "hono";
import { allThemes, postById } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { actorOf, type Body, formBody, idParam, many, one } from "../../lib/http/request.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { type FieldErrors, fieldErrorOf } from "../../lib/ui/form.ts";
import type { Credit } from "./credits.ts";
import { type FetchProblem, fetchProblemNotices } from "./fetch.ts";
import { newSaveStart, savesPage } from "./listing.ts";
import {
  createSave,
  deleteSave,
  loadSave,
  restoreSave,
  type SaveInput,
  type SaveView,
  trashedTitle,
  updateSave,
} from "./service.ts";
import { emptyValues, type SaveFormValues } from "./views/form.ts";
import { editSavePage, type FormPageData, listSavesPage, newSavePage } from "./views/pages.ts";

/** Notices after a redirect, by code (never text from the URL). */
const notices: Record<string, string> = {
  saved: "Saved.",
  updated: "Saved your changes.",
  restored: "Restored.",
};

function noticeOf(c: Context<AppEnv>): string | undefined {
  const problem = c.req.query("fetch");
  if (problem && problem in fetchProblemNotices) return fetchProblemNotices[problem as FetchProblem];
  const msg = c.req.query("msg");
  return msg ? notices[msg] : undefined;
}

function valuesFromForm(b: Body): SaveFormValues {
  const names = many(b, "credit_name");
  const urls = many(b, "credit_url");
  const credits: Credit[] = [];
  for (let i = 0; i < Math.max(names.length, urls.length); i++)
    credits.push({ name: names[i] ?? "", url: urls[i] ?? "" });
  return {
    url: one(b, "url"),
    title: one(b, "title"),
    blurb: one(b, "blurb"),
    themeIds: many(b, "themeIds"),
    credits,
    publish: one(b, "publish") === "1",
    itemId: one(b, "itemId"),
  };
}

function inputOf(v: SaveFormValues): SaveInput {
  const themeIds = v.themeIds.map((s) => (/^\d{1,9}$/.test(s) ? Number(s) : Number.NaN));
  if (themeIds.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new ValidationError("themeIds: choose themes from the list", { field: "themeIds" });
  }
  return {
    url: v.url,
    title: v.title,
    blurb: v.blurb,
    themeIds,
    credits: v.credits,
    publish: v.publish,
    itemId: /^\d{1,9}$/.test(v.itemId) ? Number(v.itemId) : null,
  };
}

const valuesOfSave = ({ save, credits, themeIds }: SaveView): SaveFormValues => ({
  url: save.url,
  title: save.title,
  blurb: save.blurb_md,
  themeIds: themeIds.map(String),
  credits,
  publish: save.publish === 1,
  itemId: "",
});

/** Register the saves pages on the admin app. */
export function savesRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  const themes = () => allThemes(ctx);

  const redirectAfterSave = (c: Context<AppEnv>, id: number, msg: string, problem?: FetchProblem) =>
    c.redirect(`/admin/saves/${id}?msg=${msg}${problem ? `&fetch=${problem}` : ""}`, 303);

  app.get("/save", async (c) => {
    const item = c.req.query("item") ?? "";
    const start = await newSaveStart(ctx, {
      url: c.req.query("url") ?? "",
      title: c.req.query("title") ?? "",
      text: c.req.query("text") ?? "",
      itemId: /^\d{1,9}$/.test(item) ? Number(item) : undefined,
    });
    const values: SaveFormValues = {
      ...emptyValues,
      url: start.url,
      title: start.title,
      blurb: start.blurb,
      credits: start.credits,
      itemId: start.itemId === null ? "" : String(start.itemId),
    };
    const { earlier, itemMissing } = start;
    return newSavePage(c, { values, errors: {}, themes: await themes(), earlier, itemMissing });
  });

  app.post("/saves", async (c) => {
    const values = valuesFromForm(await formBody(c));
    try {
      const r = await createSave(ctx, actorOf(c), inputOf(values));
      return redirectAfterSave(c, r.save.id, "saved", r.problem);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      const errors: FieldErrors = { [err.field ?? field]: message };
      return newSavePage(c, { values, errors, themes: await themes(), status: 422 });
    }
  });

  app.get("/saves", async (c) => {
    const q = (c.req.query("q") ?? "").trim().slice(0, 200);
    const pageRaw = c.req.query("page") ?? "";
    const pageNo = /^\d{1,5}$/.test(pageRaw) && Number(pageRaw) > 0 ? Number(pageRaw) : 1;
    const { rows, credits, total, hasMore } = await savesPage(ctx, q, pageNo);
    const undoRaw = c.req.query("undo") ?? "";
    const undoTitle = /^\d{1,9}$/.test(undoRaw) ? await trashedTitle(ctx, Number(undoRaw)) : undefined;
    return listSavesPage(c, {
      rows,
      credits,
      q,
      page: pageNo,
      hasMore,
      total,
      timeZone: await getTimeZone(ctx),
      baseUrl: ctx.config.baseUrl,
      notice: noticeOf(c),
      undo: undoTitle !== undefined ? { id: Number(undoRaw), title: undoTitle } : undefined,
    });
  });

  async function editPage(c: Context<AppEnv>, view: SaveView, d: Omit<FormPageData, "themes">) {
    const post = view.save.post_id ? await postById(ctx, view.save.post_id) : undefined;
    return editSavePage(c, view.save, {
      ...d,
      themes: await themes(),
      timeZone: await getTimeZone(ctx),
      postPath: post?.status === "published" ? `/posts/${post.slug}` : undefined,
    });
  }

  app.get("/saves/:id{[0-9]+}", async (c) => {
    const view = await loadSave(ctx, idParam(c));
    return editPage(c, view, { values: valuesOfSave(view), errors: {}, notice: noticeOf(c) });
  });

  app.post("/saves/:id{[0-9]+}", async (c) => {
    const id = idParam(c);
    const values = valuesFromForm(await formBody(c));
    try {
      const r = await updateSave(ctx, actorOf(c), id, inputOf(values));
      return redirectAfterSave(c, r.save.id, "updated", r.problem);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      return editPage(c, await loadSave(ctx, id), { values, errors: { [err.field ?? field]: message }, status: 422 });
    }
  });

  app.post("/saves/:id{[0-9]+}/delete", async (c) => {
    const id = idParam(c);
    await deleteSave(ctx, actorOf(c), id);
    return c.redirect(`/admin/saves?undo=${id}`, 303);
  });

  app.post("/saves/:id{[0-9]+}/undo", async (c) => {
    const save = await restoreSave(ctx, actorOf(c), idParam(c));
    return c.redirect(`/admin/saves/${save.id}?msg=restored`, 303);
  });
}
