/**
 * The address to print in links made outside the web server (`liner user reset-password`,
 * `liner init`, `liner post publish`, the export's README). Without LINER_BASE_URL the CLI's own
 * guess from HOST and PORT is often wrong (the server was started with another PORT), so
 * `liner serve` records the address it actually listens on, and the CLI prefers that.
 */
import type { AppContext } from "../context.ts";
import { settingsStore } from "./store.ts";

/** A base URL for printed links, and a note to print under them when it is a guess ("" when not). */
export interface PublicBaseUrl {
  url: string;
  note: string;
}

/** Printed under a link whose base is the address `liner serve` last used. */
export const SERVED_URL_NOTE = "(the address `liner serve` last used; set LINER_BASE_URL for the public address)";
/** Printed under a link whose base is the default guess: nothing has been served yet. */
export const DEFAULT_URL_NOTE = "(the default address of `liner serve`; set LINER_BASE_URL for the public address)";

/** Record the address the server listens on (`liner serve`, when LINER_BASE_URL is not set). */
export async function recordServedBaseUrl(ctx: AppContext, url: string): Promise<void> {
  if (ctx.config.baseUrlFromEnv) return;
  await settingsStore(ctx.db).put("served_base_url", url.replace(/\/+$/, ""));
}

/** LINER_BASE_URL if set; else the address `liner serve` last recorded; else the config's default. */
export async function publicBaseUrl(ctx: AppContext): Promise<PublicBaseUrl> {
  if (ctx.config.baseUrlFromEnv) return { url: ctx.config.baseUrl, note: "" };
  const served = await settingsStore(ctx.db).get<string>("served_base_url");
  return served ? { url: served, note: SERVED_URL_NOTE } : { url: ctx.config.baseUrl, note: DEFAULT_URL_NOTE };
}
