/** GET /admin/search?q=[&in=posts|saves|items&page=N]: posts, saves and feed items in one page. */
import type { Hono } from "hono";
import { queryTerms } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { userOf } from "../../lib/http/request.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { checkQuery, type Section, searchEverything, sections } from "./service.ts";
import { searchPage } from "./views/search.ts";

/** Hits per section on the combined page, and per page when one section is shown. */
const PREVIEW = 5;
const PER_PAGE = 20;

/** Register the admin search page (on the admin app, behind its sign-in). */
export function readerSearchRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.get("/search", async (c) => {
    const timeZone = await getTimeZone(ctx);
    const raw = c.req.query("q") ?? "";
    let q: string;
    try {
      q = checkQuery(raw);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return searchPage(c, { q: raw, page: 1, perPage: PER_PAGE, timeZone, error: err.message, status: 400 });
    }
    const inParam = c.req.query("in") ?? "";
    const only = (sections as readonly string[]).includes(inParam) ? (inParam as Section) : undefined;
    const pageNo = Math.max(1, Math.min(1000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
    const base = { q, only, page: pageNo, perPage: PER_PAGE, timeZone };
    if (!q) return searchPage(c, { ...base, note: "Type a word or two to search your posts, saves and feed items." });
    if (queryTerms(q).length === 0) {
      return searchPage(c, { ...base, note: "There are no words or numbers in that search. Please try some words." });
    }
    const limit = only ? PER_PAGE : PREVIEW;
    const offset = only ? (pageNo - 1) * PER_PAGE : 0;
    const result = await searchEverything(ctx, userOf(c), { q, only, limit, offset });
    return searchPage(c, { ...base, result });
  });
}
