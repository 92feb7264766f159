/**
 * Error pages for the whole app (app.ts calls this for 404s and thrown errors).
 * Rendering must not fail in turn: if settings can't be read, defaults are used.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { siteSettingsSchema } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { loadChrome } from "./service.ts";
import { errorPage } from "./views/error.ts";

/** Respond with a friendly page for `status`; `message` is shown to the visitor (never a stack). */
export async function renderErrorPage(
  ctx: AppContext,
  c: Context<AppEnv>,
  status: number,
  message: string,
): Promise<Response> {
  let chrome: Awaited<ReturnType<typeof loadChrome>>;
  try {
    chrome = await loadChrome(ctx);
  } catch {
    chrome = { settings: siteSettingsSchema.parse({}), baseUrl: ctx.config.baseUrl };
  }
  const code = (status >= 400 && status <= 599 ? status : 500) as ContentfulStatusCode;
  c.header("Cache-Control", "no-store");
  return c.html(errorPage(chrome, code, message, c.req.path), code);
}
