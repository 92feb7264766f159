/**
 * Counting page views as they are served, without slowing the serving: the serving thread only
 * checks the cheap signs (no User-Agent, `DNT: 1`, `Sec-GPC: 1`, a prefetch) and encodes a line
 * into a chunk of bytes (count-batch.ts); full chunks, and every FLUSH_MS what there is, move to
 * the counting thread (count-worker.ts), which checks for bots, makes each visitor's daily hash and
 * writes on its own connection, holding back while serving is busy. The address and User-Agent
 * live only in memory on their way there, never stored. A database only this thread can open
 * (SQLite in memory) is written here instead.
 */
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { AppContext } from "../lib/context.ts";
import { trustProxyText } from "../lib/http/client-ip.ts";
import type { PageView } from "../lib/module.ts";
import { CHUNK_BYTES, lineOf, linesOf } from "./count-batch.ts";
import { viewWriter, type Written } from "./count-write.ts";

export { VIEWS_PER_VISITOR_DAY } from "./count-write.ts";

/** How often noted views are handed over. */
const FLUSH_MS = 250;
/** Views waiting to be stored at most; beyond, new views are dropped and counted as such. */
const MAX_PENDING = 1_500_000;
/** A chunk less full than this goes as a copy, and the chunk is used again. */
const COPY_BELOW = CHUNK_BYTES / 4;

type Answer = { id?: number; error?: string; closed?: boolean } & Partial<Written>;

/** A context's counter: `note` on the page's path, `flush` to write (also on its own timer). */
export class ViewCounter {
  #chunk: Buffer | undefined;
  #used = 0;
  #count = 0;
  #timer: NodeJS.Timeout | undefined;
  #worker: Worker | undefined;
  #busy: { load: Int32Array; timer: NodeJS.Timeout } | undefined;
  #local: ((lines: string[]) => Promise<Written>) | undefined;
  #nextId = 1;
  #waiting = new Map<number, { resolve: (w: Written) => void; reject: (e: Error) => void }>();
  /** The last batch handed over: batches are stored in order, so it settles last. */
  #sending: Promise<void> = Promise.resolve();
  /** Views handed over and not yet stored. */
  #inFlight = 0;
  /** Views written, over the per-visitor limit, skipped as bots, and dropped while writing lagged. */
  readonly stats = { written: 0, limited: 0, skipped: 0, overflow: 0 };
  /** Told how long each handed-over batch took to be stored (a benchmark's measure). */
  onStored: ((ms: number, views: number) => void) | undefined;
  readonly #ctx: AppContext;
  readonly #siteHost: string;

  constructor(ctx: AppContext, siteHost: string) {
    this.#ctx = ctx;
    this.#siteHost = siteHost;
  }

  /** Note a served page (cheap, synchronous); handed over within FLUSH_MS. */
  note(view: PageView): void {
    if (!view.ua || view.dnt === "1" || view.gpc === "1") return;
    if (view.purpose && /prefetch|prerender/i.test(view.purpose)) return;
    if (this.#inFlight + this.#count >= MAX_PENDING) {
      this.stats.overflow++;
      return;
    }
    const line = lineOf(view);
    // UTF-8 takes at most 3 bytes a UTF-16 unit: room for that, or a fresh chunk.
    if (line.length * 3 > CHUNK_BYTES) return; // longer than any request Node accepts
    if (!this.#chunk || CHUNK_BYTES - this.#used < line.length * 3) {
      this.#send(false);
      this.#chunk ??= Buffer.allocUnsafeSlow(CHUNK_BYTES);
    }
    this.#used += this.#chunk.write(line, this.#used, "utf8");
    this.#count++;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#send(false);
    }, FLUSH_MS);
  }

  /** Write what is noted so far; resolves once it (and everything noted before) is stored. */
  flush(): Promise<void> {
    this.#send(true);
    return this.#sending;
  }

  /** Hand the noted views over to be stored (`all`: and have everything held written now). */
  #send(all: boolean): void {
    const chunk = this.#chunk;
    const views = this.#count;
    if (!chunk || !views) {
      if (all && this.#inFlight) this.#worker?.postMessage({ flush: true });
      return;
    }
    let bytes: Uint8Array;
    if (this.#used < COPY_BELOW) {
      bytes = new Uint8Array(this.#used); // its own memory (a Buffer's slice may be a shared pool's)
      bytes.set(chunk.subarray(0, this.#used));
    } else {
      bytes = new Uint8Array(chunk.buffer, 0, this.#used);
      this.#chunk = undefined;
    }
    this.#used = 0;
    this.#count = 0;
    this.#inFlight += views;
    const started = performance.now();
    const stored = this.#write(bytes, views, all).then(
      (w) => {
        this.#inFlight -= views;
        this.onStored?.(performance.now() - started, views);
        this.stats.written += w.written;
        this.stats.limited += w.limited;
        this.stats.skipped += w.skipped;
      },
      (err) => {
        this.#inFlight -= views;
        this.#ctx.log.warn("counting views failed", { error: String(err) });
        throw err;
      },
    );
    const before = this.#sending.catch(() => {});
    this.#sending = before.then(() => stored);
    this.#sending.catch(() => {});
  }

  /** Store a chunk's views: in the counting thread, or here when only this thread can open the database. */
  #write(bytes: Uint8Array, views: number, flush: boolean): Promise<Written> {
    const opened = this.#ctx.db.opened;
    const shareable = opened && (opened.databaseUrl || (opened.sqlitePath && opened.sqlitePath !== ":memory:"));
    if (!shareable || this.#local) {
      this.#local ??= inOrder(viewWriter(this.#ctx.db, this.#siteHost, this.#ctx.config.trustProxy));
      return this.#local(linesOf([bytes]));
    }
    const worker = this.#thread();
    const id = this.#nextId++;
    return new Promise<Written>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      // A full chunk's memory moves over without a copy; a copy's is its own anyway.
      worker.postMessage({ id, bytes, views, flush }, [bytes.buffer as ArrayBuffer]);
    });
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const load = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(new URL("./count-worker.ts", import.meta.url), {
      workerData: {
        opened: this.#ctx.db.opened,
        siteHost: this.#siteHost,
        trustProxy: trustProxyText(this.#ctx.config.trustProxy),
        load,
      },
    });
    worker.unref(); // a process may end without waiting for it: close() writes what is left first
    worker.on("message", (m: Answer) => {
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
      this.#local = inOrder(viewWriter(this.#ctx.db, this.#siteHost, this.#ctx.config.trustProxy));
    });
    this.#busy = { load, timer: publishBusy(load) };
    this.#worker = worker;
    return worker;
  }

  /** Stop the timers, write what is left, and end the counting thread. */
  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#busy) clearInterval(this.#busy.timer);
    await this.flush();
    const worker = this.#worker;
    this.#worker = undefined;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      worker.on("message", (m: Answer) => m.closed && resolve());
      worker.postMessage({ close: true });
    });
    await worker.terminate();
  }
}

/**
 * Tell the counting thread, four times a second, how busy this thread was (its event loop's
 * utilization, ‰), so that it holds back while serving is busy.
 */
function publishBusy(load: Int32Array): NodeJS.Timeout {
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    Atomics.store(load, 0, Math.round(performance.eventLoopUtilization(now, last).utilization * 1000));
    last = now;
  }, FLUSH_MS);
  timer.unref();
  return timer;
}

/** A writer whose calls run one after another, in the order made. */
function inOrder(write: (lines: string[]) => Promise<Written>): (lines: string[]) => Promise<Written> {
  let last: Promise<unknown> = Promise.resolve();
  return (lines) => {
    const next = last.then(() => write(lines));
    last = next.catch(() => {});
    return next;
  };
}
