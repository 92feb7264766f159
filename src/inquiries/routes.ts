/**
 * "Work with me": the public form at /work-with-me (GET shows it, POST sends it) and the admin's
 * /admin/inquiries. The POST is guarded like /subscribe (form token with minimum fill time,
 * honeypot, rate limit, Origin check, body limit); a bot gets the thank-you and nothing happens.
 */
import { type Context, type Hono, Hono as HonoApp } from "hono";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import type { H } from "../lib/html.ts";
import { readerOf } from "../lib/http/client-ip.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { HONEYPOT, publicFormGuard } from "../lib/http/public-form.ts";
import { formBody, idParam, one } from "../lib/http/request.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { loadChrome } from "../site/index.ts";
import { inquiriesPage } from "./admin-views.ts";
import {
  attribution,
  FORM_PATH,
  inquiryOptions,
  listInquiries,
  saveInquiryOptions,
  setInquiryStatus,
  submitInquiry,
} from "./service.ts";
import { type InquiryFormData, inquiryForm, inquiryPage, thanks } from "./views.ts";

const TITLE = "Work with me";

/** Public routes, mounted on the main app before the site. */
export function inquiryRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new HonoApp<AppEnv>();
  // 10,000 characters of non-Latin text are up to ~90 KB once form-encoded.
  const guard = publicFormGuard(ctx, { purpose: "inquiry-form", perHour: 10, maxBytes: 256 * 1024 });
  // Never cached: every form needs a fresh token.
  const page = async (c: Context<AppEnv>, body: H, status = 200, noindex = true) => {
    c.header("Cache-Control", "no-store");
    return c.html(inquiryPage(await loadChrome(ctx), TITLE, body, noindex), status as 200);
  };
  const form = async (c: Context<AppEnv>, f: Omit<InquiryFormData, "intro" | "token">, status = 200, token?: string) =>
    page(c, inquiryForm({ ...f, intro: (await inquiryOptions(ctx)).intro, token: token ?? guard.token() }), status);

  app.use(FORM_PATH, guard.bodyLimit);

  app.get(FORM_PATH, async (c) => {
    const where = attribution(
      { from: c.req.query("from"), ref: c.req.query("ref"), referer: c.req.header("referer") },
      ctx.config.baseUrl,
    );
    const { intro } = await inquiryOptions(ctx);
    return page(c, inquiryForm({ token: guard.token(), intro, ...where }), 200, false);
  });

  app.post(FORM_PATH, async (c) => {
    await guard.admit(c);
    const body = await formBody(c);
    const fields = {
      name: one(body, "name"),
      email: one(body, "email"),
      topic: one(body, "topic"),
      message: one(body, "message"),
      sourcePage: one(body, "source_page"),
      referrer: one(body, "referrer"),
    };
    const verdict = guard.verdict({ t: one(body, "t"), honeypot: one(body, HONEYPOT) });
    if (verdict === "expired" || verdict === "too-fast") {
      if (one(body, "t") === "" || verdict === "too-fast")
        return form(c, { ...fields, notice: "One more step: press Send to send it." }, 200, guard.refillToken());
      return form(
        c,
        { ...fields, error: { message: "The form had expired. Please send it again." } },
        400,
        guard.refillToken(),
      );
    }
    // Bots: the same answer as a person gets, and nothing stored or sent.
    if (verdict === "bot") return page(c, thanks);
    try {
      await submitInquiry(ctx, fields, readerOf(c));
    } catch (err) {
      if (err instanceof ValidationError)
        return form(c, { ...fields, error: { message: err.message, field: err.field } }, 400, guard.refillToken());
      throw err;
    }
    return page(c, thanks);
  });
  return app;
}

const notices: Record<string, string> = {
  answered: "Marked as answered.",
  new: "Marked as new.",
  intro: "The intro is saved.",
};

/** Register /admin/inquiries on the admin app (editors and owners). */
export function inquiryAdminRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/inquiries", requireUser("editor"));
  app.use("/inquiries/*", requireUser("editor"));
  const render = async (c: Context<AppEnv>, extra: { notice?: string; error?: string; status?: number } = {}) =>
    inquiriesPage(c, {
      ...(await listInquiries(ctx)),
      intro: (await inquiryOptions(ctx)).intro,
      timeZone: await getTimeZone(ctx),
      ...extra,
    });

  app.get("/inquiries", (c) => render(c, { notice: notices[c.req.query("msg") ?? ""] }));

  app.post("/inquiries/:id/status", async (c) => {
    const status = one(await formBody(c), "status");
    if (status !== "answered" && status !== "new")
      throw new ValidationError("status: must be answered or new", { field: "status" });
    await setInquiryStatus(ctx, idParam(c), status);
    return c.redirect(`/admin/inquiries?msg=${status}`, 303);
  });

  app.post("/inquiries/intro", async (c) => {
    try {
      await saveInquiryOptions(ctx, { intro: one(await formBody(c), "intro") });
    } catch (err) {
      if (err instanceof ValidationError) return render(c, { error: err.message, status: 400 });
      throw err;
    }
    return c.redirect("/admin/inquiries?msg=intro", 303);
  });
}
