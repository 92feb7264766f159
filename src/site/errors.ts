import type { Context } from "hono";
import { html } from "hono/html";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";

export function renderErrorPage(_ctx: AppContext, c: Context<AppEnv>, status: number, message: string) {
  return c.html(html`<!doctype html><title>${status}</title><h1>${message}</h1>`, status as 404);
}
