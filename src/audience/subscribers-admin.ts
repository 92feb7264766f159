/**
 * /admin/subscribers (editors and owners): counts per list, search and filters, add by hand,
 * CSV import (dry run first) and export, and per subscriber the history and erasure.
 */
import type { Context, Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import { HttpError, statusOf, ValidationError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { fileOf, formBody, idParam, one, userOf } from "../lib/http/request.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { fieldErrorOf } from "../lib/ui/form.ts";
import { importReportPage } from "./import-views.ts";
import {
  addByHand,
  eraseSubscriber,
  exportCsv,
  listCounts,
  STATUSES,
  searchSubscribers,
  subscriberHistory,
} from "./subscribers.ts";
import { importSubscribers } from "./subscribers-import.ts";
import { erasePage, type ListPageData, subscriberPage, subscribersPage } from "./subscribers-views.ts";

const notices: Record<string, string> = {
  added: "Added and confirmed.",
  pending: "Added: a confirmation email is on its way; nothing else is sent until they confirm.",
  already: "That address is already confirmed on that list: nothing changed.",
  erased: "Erased: the address and name are gone; the counts stay.",
};

/** Register the subscribers pages on the admin app. */
export function subscriberRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/subscribers", requireUser("editor"));
  app.use("/subscribers/*", requireUser("editor"));
  const size = (n: number) =>
    n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
  const tooLarge = (bytes: number, maxBytes: number) =>
    new HttpError(413, `The file is ${size(bytes)}, over the ${size(maxBytes)} limit. Split it into smaller files.`);

  type Extra = Partial<
    Pick<ListPageData, "notice" | "error" | "status" | "addEmail" | "formList" | "addConfirmed" | "problem">
  >;
  const renderList = async (c: Context<AppEnv>, extra: Extra = {}) => {
    const query = { q: c.req.query("q") ?? "", list: c.req.query("list") ?? "", status: c.req.query("status") ?? "" };
    const page = Number.parseInt(c.req.query("page") ?? "1", 10);
    const [counts, tz] = await Promise.all([listCounts(ctx), getTimeZone(ctx)]);
    let result: ListPageData["result"];
    try {
      result = await searchSubscribers(ctx, { ...query, page: Number.isFinite(page) ? page : 1 });
    } catch (err) {
      // A filter that names no list or status: the search form again, the message at that filter.
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      result = { rows: [], total: 0, page: 1, pages: 1 };
      extra = {
        error: message,
        status: 400,
        problem: { form: "find", errors: { [field || "list"]: message } },
        ...extra,
      };
    }
    const maxUploadMb = Math.round((ctx.config.maxUploadBytes / 1024 / 1024) * 10) / 10;
    return subscribersPage(c, { counts, result, query, tz, maxUploadMb, ...extra }, STATUSES);
  };
  /** Expected failures of a form are shown on the list page, at the field of that form, with their status. */
  const orPage = async (c: Context<AppEnv>, form: "add" | "import", run: () => Promise<Response>, keep: Extra = {}) => {
    try {
      return await run();
    } catch (err) {
      const status = statusOf(err);
      if (status >= 500 || status === 413) throw err;
      const { field, message } = fieldErrorOf(err as Error & { field?: string });
      const problem = field ? { form, errors: { [field]: message } } : undefined;
      return renderList(c, { error: (err as Error).message, status, problem, ...keep });
    }
  };

  app.get("/subscribers", (c) => renderList(c, { notice: notices[c.req.query("msg") ?? ""] }));

  app.post("/subscribers/add", async (c) => {
    const body = await formBody(c);
    return orPage(
      c,
      "add",
      async () => {
        const r = await addByHand(ctx, {
          email: one(body, "email"),
          list: one(body, "list"),
          confirmed: one(body, "confirmed") === "1",
          by: userOf(c).name || userOf(c).email,
        });
        const msg = r.status === "confirmed" ? "added" : r.status === "pending" ? "pending" : "already";
        return c.redirect(`/admin/subscribers?msg=${msg}`, 303);
      },
      { addEmail: one(body, "email"), formList: one(body, "list"), addConfirmed: one(body, "confirmed") === "1" },
    );
  });

  app.post("/subscribers/import", async (c) => {
    // The admin's own body limit is larger (the editor's forms carry several files).
    const maxBytes = ctx.config.maxUploadBytes;
    const len = Number(c.req.header("content-length") ?? "0");
    if (len > maxBytes * 3 + 64 * 1024) throw tooLarge(len, maxBytes);
    const body = await formBody(c);
    const file = fileOf(body, "file");
    const csv = file ? await file.text() : one(body, "csv");
    const bytes = file ? file.size : Buffer.byteLength(csv);
    if (bytes > maxBytes) throw tooLarge(bytes, maxBytes);
    return orPage(
      c,
      "import",
      async () => {
        if (!csv.trim())
          throw new ValidationError(file?.size ? `${file.name} is empty.` : "Choose a CSV file to import.", {
            field: "file",
          });
        const report = await importSubscribers(ctx, {
          csv,
          fileName: file?.name ?? one(body, "filename"),
          list: one(body, "list"),
          dryRun: one(body, "dry_run") === "1",
          skipBad: one(body, "skip_bad") === "1",
        });
        return importReportPage(c, report, csv);
      },
      { formList: one(body, "list") },
    );
  });

  app.get("/subscribers/export.csv", async (c) => {
    const { list, csv } = await exportCsv(ctx, c.req.query("list") ?? "");
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header(
      "Content-Disposition",
      `attachment; filename="subscribers-${list.slug}-${ctx.now().toISOString().slice(0, 10)}.csv"`,
    );
    c.header("Cache-Control", "no-store");
    return c.body(csv);
  });

  app.get("/subscribers/:id{[0-9]+}", async (c) => {
    const [history, tz] = await Promise.all([subscriberHistory(ctx, idParam(c)), getTimeZone(ctx)]);
    return subscriberPage(c, history, tz, notices[c.req.query("msg") ?? ""]);
  });

  app.get("/subscribers/:id{[0-9]+}/erase", async (c) => {
    const history = await subscriberHistory(ctx, idParam(c));
    if (history.subscriber.erased_at) return c.redirect(`/admin/subscribers/${history.subscriber.id}`, 303);
    return erasePage(c, history);
  });

  app.post("/subscribers/:id{[0-9]+}/erase", async (c) => {
    const id = idParam(c);
    const body = await formBody(c);
    if (one(body, "confirm") !== "yes") {
      return erasePage(c, await subscriberHistory(ctx, id), "Tick the box to confirm: erasing cannot be undone.");
    }
    await eraseSubscriber(ctx, id);
    return c.redirect(`/admin/subscribers/${id}?msg=erased`, 303);
  });
}
