/**
 * Counting page views as they are served, without slowing the serving: the serving thread only
 * checks the cheap signs (no User-Agent, `DNT: 1`, `Sec-GPC: 1`, a prefetch) and notes a line; a
 * few times a second the lines go to the counting thread (count-worker.ts), which checks for bots,
 * makes each visitor's daily hash and writes on its own connection. The address and User-Agent
 * live only in memory on their way there, never stored. A database only this thread can open
 * (SQLite in memory) is written here instead.
 */
import { Worker } from "node:worker_threads";
import type { AppContext } from "../lib/context.ts";
import { trustProxyText } from "../lib/http/client-ip.ts";
import type { PageView } from "../lib/module.ts";
import { viewWriter, type Written } from "./count-write.ts";

export { VIEWS_PER_VISITOR_DAY } from "./count-write.ts";

/** How often noted views are written. */
const FLUSH_MS = 250;
/**
 * Noted views kept at most while writing lags (the counting thread yields to serving under full
 * load); beyond, the oldest are dropped and counted as such. ~150 bytes each: ~150 MB at most.
 */
const MAX_PENDING = 1_000_000;

const clean = (s: string | undefined) => (s === undefined ? "" : s.includes("\t") ? s.replaceAll("\t", " ") : s);

/** A context's counter: `note` on the page's path, `flush` to write (also on its own timer). */
export class ViewCounter {
  #lines: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #worker: Worker | undefined;
  #local: ((lines: string[]) => Promise<Written>) | undefined;
  #nextId = 1;
  #waiting = new Map<number, { resolve: (w: Written) => void; reject: (e: Error) => void }>();
  #sending: Promise<void> = Promise.resolve();
  /** Views written, over the per-visitor limit, skipped as bots, and dropped while writing lagged. */
  readonly stats = { written: 0, limited: 0, skipped: 0, overflow: 0 };
  readonly #ctx: AppContext;
  readonly #siteHost: string;

  constructor(ctx: AppContext, siteHost: string) {
    this.#ctx = ctx;
    this.#siteHost = siteHost;
  }

  /** Note a served page (cheap, synchronous); written within FLUSH_MS. */
  note(view: PageView): void {
    if (!view.ua || view.dnt === "1" || view.gpc === "1") return;
    if (view.purpose && /prefetch|prerender/i.test(view.purpose)) return;
    if (this.#lines.length >= MAX_PENDING) {
      this.#lines.shift();
      this.stats.overflow++;
    }
    this.#lines.push(
      `${view.at}\t${view.peer}\t${clean(view.forwardedFor)}\t${clean(view.forwarded)}\t${clean(view.ua)}\t${clean(view.path)}\t${clean(view.search)}\t${clean(view.referer)}`,
    );
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch((err) => this.#ctx.log.warn("counting views failed", { error: String(err) }));
    }, FLUSH_MS);
  }

  /** Write what is noted so far; resolves once it is stored. */
  flush(): Promise<void> {
    const lines = this.#lines;
    this.#lines = [];
    const sent = this.#sending.then(async () => {
      if (!lines.length) return;
      const w = await this.#write(lines);
      this.stats.written += w.written;
      this.stats.limited += w.limited;
      this.stats.skipped += w.skipped;
    });
    this.#sending = sent.catch(() => {});
    return sent;
  }

  #write(lines: string[]): Promise<Written> {
    const opened = this.#ctx.db.opened;
    const shareable = opened && (opened.databaseUrl || (opened.sqlitePath && opened.sqlitePath !== ":memory:"));
    if (!shareable || this.#local) {
      this.#local ??= viewWriter(this.#ctx.db, this.#siteHost, this.#ctx.config.trustProxy);
      return this.#local(lines);
    }
    const worker = this.#thread();
    const id = this.#nextId++;
    return new Promise<Written>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage({ id, lines });
    });
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL("./count-worker.ts", import.meta.url), {
      workerData: {
        opened: this.#ctx.db.opened,
        siteHost: this.#siteHost,
        trustProxy: trustProxyText(this.#ctx.config.trustProxy),
      },
    });
    worker.unref(); // a process may end without waiting for it: close() writes what is left first
    worker.on("message", (m: { id?: number; error?: string } & Partial<Written>) => {
      if (m.id === undefined) return;
      const w = this.#waiting.get(m.id);
      this.#waiting.delete(m.id);
      if (m.error) w?.reject(new Error(m.error));
      else w?.resolve({ written: m.written ?? 0, limited: m.limited ?? 0, skipped: m.skipped ?? 0 });
    });
    worker.on("error", (err) => {
      this.#ctx.log.warn("the counting thread failed: counting in this thread", { error: String(err) });
      for (const w of this.#waiting.values()) w.reject(err);
      this.#waiting.clear();
      this.#worker = undefined;
      this.#local = viewWriter(this.#ctx.db, this.#siteHost, this.#ctx.config.trustProxy);
    });
    this.#worker = worker;
    return worker;
  }

  /** Stop the timer, write what is left, and end the counting thread. */
  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
    const worker = this.#worker;
    this.#worker = undefined;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      worker.on("message", (m: { closed?: boolean }) => m.closed && resolve());
      worker.postMessage({ close: true });
    });
    await worker.terminate();
  }
}
