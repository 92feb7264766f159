/**
 * Counting page views as they are served, without slowing the serving: a view is checked and
 * noted in memory (no I/O on the page's path), and the notes are written together a few times a
 * second in one transaction. The visitor is a hash of (the day's salt, the site, the address, the
 * User-Agent): the address and User-Agent live only in memory until the next write, never stored.
 * The salt changes every UTC day and the old one is deleted, so a visitor can't be followed across
 * days. A visitor's views past a daily limit are not counted (nobody can inflate the counts).
 */
import { createHash, randomBytes } from "node:crypto";
import type { AppContext } from "../lib/context.ts";
import type { PageView } from "../lib/module.ts";
import { insightStore, type NewView } from "./store.ts";
import { deviceOf, originOf, shouldCount } from "./visit.ts";

/** Views a visitor may add to the counts in a day. */
export const VIEWS_PER_VISITOR_DAY = 300;
/** How often noted views are written. */
const FLUSH_MS = 250;
/** Noted views kept at most while the database is slow (beyond, the oldest are dropped). */
const MAX_PENDING = 100_000;

interface Pending {
  view: PageView;
}

/** A context's counter: `note` on the page's path, `flush` to write (also on its own timer). */
export class ViewCounter {
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #salts = new Map<string, Promise<string>>();
  #perVisitor = new Map<string, number>();
  #perVisitorDay = "";
  #flushing: Promise<void> | undefined;
  /** Views written, dropped by the per-visitor limit, and dropped while the database was slow. */
  readonly stats = { written: 0, limited: 0, overflow: 0 };

  private readonly ctx: AppContext;
  private readonly siteHost: string;

  constructor(ctx: AppContext, siteHost: string) {
    this.ctx = ctx;
    this.siteHost = siteHost;
  }

  /** Note a served page (cheap, synchronous); written within FLUSH_MS. */
  note(view: PageView): void {
    if (!shouldCount(view)) return;
    if (this.#pending.length >= MAX_PENDING) {
      this.#pending.shift();
      this.stats.overflow++;
    }
    this.#pending.push({ view });
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.flush().catch((err) => this.ctx.log.warn("counting views failed", { error: String(err) }));
    }, FLUSH_MS);
  }

  /** Write what is noted (one write at a time). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (!this.#pending.length) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#flushing = this.#write(batch).finally(() => {
      this.#flushing = undefined;
    });
    await this.#flushing;
  }

  async #write(batch: Pending[]): Promise<void> {
    const store = insightStore(this.ctx.db);
    const rows: NewView[] = [];
    for (const { view } of batch) {
      const at = new Date(view.at);
      const day = at.toISOString().slice(0, 10);
      const visitor = hashOf(await this.#salt(day), this.siteHost, view.ip, view.ua ?? "");
      if (this.#perVisitorDay !== day) {
        this.#perVisitorDay = day;
        this.#perVisitor.clear();
      }
      const seen = (this.#perVisitor.get(visitor) ?? 0) + 1;
      this.#perVisitor.set(visitor, seen);
      if (seen > VIEWS_PER_VISITOR_DAY) {
        this.stats.limited++;
        continue;
      }
      const o = originOf(view, this.siteHost);
      rows.push({
        day,
        at: at.toISOString(),
        visitor,
        path: view.path.slice(0, 500),
        source: o.source.slice(0, 100),
        referrer_host: o.referrerHost.slice(0, 200),
        utm_source: o.utmSource,
        utm_medium: o.utmMedium,
        utm_campaign: o.utmCampaign,
        ref: o.ref,
        device: deviceOf(view.ua ?? ""),
      });
    }
    await store.addViews(rows);
    this.stats.written += rows.length;
  }

  /** The day's salt (made once across processes); the days before lose theirs. */
  #salt(day: string): Promise<string> {
    let salt = this.#salts.get(day);
    if (!salt) {
      const store = insightStore(this.ctx.db);
      salt = store.salt(day, randomBytes(24).toString("base64url")).then(async (s) => {
        await store.dropSaltsBefore(day);
        return s;
      });
      salt.catch(() => this.#salts.delete(day));
      for (const d of this.#salts.keys()) if (d < day) this.#salts.delete(d);
      this.#salts.set(day, salt);
    }
    return salt;
  }

  /** Stop the timer and write what is left. */
  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}

/** The visitor's name for a day: a hash nobody can turn back into an address. Pure. */
export function hashOf(salt: string, site: string, ip: string, ua: string): string {
  return createHash("sha256").update(`${salt}\0${site}\0${ip}\0${ua}`).digest("base64url").slice(0, 22);
}
