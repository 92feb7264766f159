/** The owner's time zone, a site-wide setting that every admin page shows times in. */
import type { AppContext } from "../context.ts";
import { settingsStore } from "./store.ts";

/** Is `tz` an IANA time zone this runtime knows? */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/** The owner's time zone for scheduling (default: the server's). */
export async function getTimeZone(ctx: AppContext): Promise<string> {
  const tz = (await settingsStore(ctx.db).get<string>("admin_timezone")) ?? "";
  return isTimeZone(tz) ? tz : Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Set the owner's time zone (the caller checks it with `isTimeZone`). */
export async function setTimeZone(ctx: AppContext, tz: string): Promise<void> {
  await settingsStore(ctx.db).put("admin_timezone", tz);
}
