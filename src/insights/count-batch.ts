/**
 * How noted views travel from the serving thread to the counting thread, and when they are
 * written: pure helpers shared by counter.ts (the serving side) and count-worker.ts.
 *
 * A view is one line of tab-separated fields, encoded as UTF-8 into a chunk of bytes. A chunk
 * moves to the counting thread without a copy (its memory is transferred) and waits there outside
 * the JavaScript heap: holding thousands of views costs no garbage collection on either side.
 */
import type { PageView } from "../lib/module.ts";

/** Bytes of a chunk: ~1,700 views of a usual ~150 bytes. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * Views the counting thread holds back at most while serving is busy, and for how long; past
 * either, it writes anyway (serving then shares the machine with counting).
 */
export const HOLD_VIEWS = 1_000_000;
export const HOLD_MS = 60_000;
/** Serving is busy when its thread was at work more than this share of the last moment (‰). */
export const BUSY_PERMILLE = 500;

const clean = (s: string | undefined) =>
  s === undefined ? "" : s.includes("\t") || s.includes("\n") ? s.replace(/[\t\n]/g, " ") : s;

/** A view's line: `at, peer, X-Forwarded-For, Forwarded, ua, path, search, referer`, and a newline. Pure. */
export function lineOf(view: PageView): string {
  return `${view.at}\t${view.peer}\t${clean(view.forwardedFor)}\t${clean(view.forwarded)}\t${clean(view.ua)}\t${clean(view.path)}\t${clean(view.search)}\t${clean(view.referer)}\n`;
}

const decoder = new TextDecoder();

/** The lines of encoded chunks, in order. Pure. */
export function linesOf(chunks: Uint8Array[]): string[] {
  const out: string[] = [];
  for (const bytes of chunks) {
    const text = decoder.decode(bytes);
    let start = 0;
    for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
      out.push(text.slice(start, end));
      start = end + 1;
    }
  }
  return out;
}

/** What the counting thread holds, and what the serving thread said. */
export interface Held {
  views: number;
  /** When the oldest held view arrived (ms), 0 when none. */
  since: number;
  /** Someone waits for everything to be stored (a flush, closing). */
  flushWanted: boolean;
  /** The serving thread's recent busy share, ‰. */
  busyPermille: number;
}

/**
 * Write now, or hold back? Held views are written at once unless serving is busy; then they wait,
 * up to HOLD_VIEWS or HOLD_MS, so that a burst is served first and counted in the calm. Pure.
 */
export function writeDue(h: Held, now: number): boolean {
  if (h.views === 0) return false;
  return h.flushWanted || h.busyPermille <= BUSY_PERMILLE || h.views >= HOLD_VIEWS || now - h.since >= HOLD_MS;
}
