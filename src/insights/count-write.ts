/**
 * Writing noted views: each line (`at, peer, X-Forwarded-For, Forwarded, ua, path, search, referer`,
 * tab-separated) resolved to the client's address (trusted proxies), checked for bots,
 * turned into its visitor (a hash under the day's salt), source, markers and device, and stored.
 * Runs in the counting thread (count-worker.ts), off the thread that serves pages; the address
 * and User-Agent go no further than this function.
 */
import { hash, randomBytes } from "node:crypto";
import type { Db } from "../lib/db/index.ts";
import { clientIpFrom, type TrustProxy } from "../lib/http/client-ip.ts";
import { insightStore, type NewOutcome, type NewView } from "./store.ts";
import { deviceOf, originOf, shouldCount } from "./visit.ts";

/** Views a visitor may add to the counts in a day (each thread counts its own). */
export const VIEWS_PER_VISITOR_DAY = 300;

/** The visitor's name for a day: a hash nobody can turn back into an address. Pure. */
export function hashOf(salt: string, site: string, ip: string, ua: string): string {
  return hash("sha256", `${salt}\0${site}\0${ip}\0${ua}`, "base64url").slice(0, 22);
}

/** What a write did. */
export interface Written {
  written: number;
  /** Over the per-visitor limit. */
  limited: number;
  /** Bots and the like, found here (the serving thread checks only the cheap signs). */
  skipped: number;
}

/** A writer for a database: `write(lines)` stores them. Keeps the salts and per-visitor counts. */
export function viewWriter(db: Db, siteHost: string, trust: TrustProxy | undefined) {
  const salts = new Map<string, Promise<string>>();
  const perVisitor = new Map<string, number>();
  const bots = new Map<string, ReturnType<typeof deviceOf> | null>();
  /** Visitors (of the current day) whose forward is recorded already: one a visit. */
  const forwarded = new Set<string>();
  let perVisitorDay = "";
  const store = insightStore(db);
  const saltOf = (day: string) => {
    let salt = salts.get(day);
    if (!salt) {
      salt = store.salt(day, randomBytes(24).toString("base64url")).then(async (s) => {
        await store.dropSaltsBefore(day); // yesterday's visitors can no longer be recognized
        return s;
      });
      salt.catch(() => salts.delete(day));
      for (const d of salts.keys()) if (d < day) salts.delete(d);
      salts.set(day, salt);
    }
    return salt;
  };
  // A site sees a few hundred User-Agents: the bot check (a large regular expression) and the
  // device once each. A bot's entry is null.
  const browserOf = (ua: string) => {
    let b = bots.get(ua);
    if (b === undefined) {
      b = shouldCount({ path: "/", search: "", ua }) ? deviceOf(ua) : null;
      if (bots.size > 5_000) bots.clear();
      bots.set(ua, b);
    }
    return b;
  };

  return async function write(lines: string[]): Promise<Written> {
    const out: Written = { written: 0, limited: 0, skipped: 0 };
    const rows: NewView[] = [];
    const forwards: NewOutcome[] = [];
    // Views of one batch mostly share their day, and many their millisecond: worked out once.
    let lastAt = "";
    let iso = "";
    let day = "";
    let saltDay = "";
    let salt = "";
    for (const line of lines) {
      const [atMs, peer, xff, fwd, ua, path, search, referer] = line.split("\t");
      const device = ua ? browserOf(ua) : null;
      if (!device) {
        out.skipped++;
        continue;
      }
      if (atMs !== lastAt) {
        lastAt = atMs;
        iso = new Date(Number(atMs)).toISOString();
        day = iso.slice(0, 10);
      }
      if (day !== saltDay) {
        salt = await saltOf(day);
        saltDay = day;
      }
      const ip = clientIpFrom(peer, trust, (n) =>
        n === "x-forwarded-for" ? xff || undefined : n === "forwarded" ? fwd || undefined : undefined,
      );
      const visitor = hashOf(salt, siteHost, ip, ua);
      if (perVisitorDay !== day) {
        perVisitorDay = day;
        perVisitor.clear();
        forwarded.clear();
      }
      const seen = (perVisitor.get(visitor) ?? 0) + 1;
      perVisitor.set(visitor, seen);
      if (seen > VIEWS_PER_VISITOR_DAY) {
        out.limited++;
        continue;
      }
      const o = originOf({ referer: referer || undefined, search }, siteHost);
      // A visit that arrived through an emailed link someone forwarded is itself an outcome.
      if (o.ref === "forward" && !forwarded.has(visitor)) {
        forwarded.add(visitor);
        forwards.push({
          kind: "forward",
          at: iso,
          post_id: null,
          who: `visitor:${visitor}`,
          entry_path: path.slice(0, 500),
          source: "newsletter",
          pages: JSON.stringify([path.slice(0, 500)]),
          visitor,
          attributed_at: iso,
          note: "",
          created_at: iso,
        });
      }
      rows.push({
        day,
        at: iso,
        visitor,
        path: path.slice(0, 500),
        source: o.source.slice(0, 100),
        referrer_host: o.referrerHost.slice(0, 200),
        utm_source: o.utmSource,
        utm_medium: o.utmMedium,
        utm_campaign: o.utmCampaign,
        ref: o.ref,
        device,
      });
    }
    await store.addViews(rows);
    for (const f of forwards) await store.addOutcome(f);
    out.written = rows.length;
    return out;
  };
}
