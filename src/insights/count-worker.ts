/**
 * The counting thread: receives the serving thread's noted views in chunks, writes them on its
 * own connection to the same database (count-write.ts), and answers each chunk when it is stored.
 * Chunks are written in the order they came; while serving is busy they are held back (see
 * count-batch.ts `writeDue`), and written a slice at a time so that writing can pause again.
 */
import fs from "node:fs";
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { type OpenOptions, openDb } from "../lib/db/index.ts";
import { parseTrustProxy } from "../lib/http/client-ip.ts";
import { type Held, linesOf, writeDue } from "./count-batch.ts";
import { viewWriter } from "./count-write.ts";

// Counting yields to serving: on Linux this thread takes the lowest scheduling priority (a thread's
// id is a process id to setpriority).
try {
  const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, 19);
} catch {
  // Not Linux, or not allowed: the same priority as serving.
}

const { opened, siteHost, trustProxy, load } = workerData as {
  opened: OpenOptions;
  siteHost: string;
  trustProxy: string;
  load: Int32Array;
};
const db = openDb({ ...opened, poolSize: 2 });
const write = viewWriter(db, siteHost, parseTrustProxy(trustProxy));
/** Views written together at most, so that a long backlog can pause for serving in between. */
const SLICE_VIEWS = 20_000;

interface Chunk {
  id: number;
  bytes: Uint8Array;
  views: number;
}
let held: Chunk[] = [];
const state: Held = { views: 0, since: 0, flushWanted: false, busyPermille: 0 };
let writing = false;
let closing = false;
let rechecking = false;

/** Write while writing is due, a slice at a time; check again later while it is not. */
async function pump(): Promise<void> {
  if (writing) return;
  writing = true;
  try {
    for (;;) {
      state.busyPermille = Atomics.load(load, 0);
      if (!writeDue(state, Date.now())) break;
      let views = 0;
      let n = 0;
      while (n < held.length && (n === 0 || views + held[n].views <= SLICE_VIEWS)) views += held[n++].views;
      const slice = held.slice(0, n);
      held = held.slice(n);
      state.views -= views;
      if (!held.length) Object.assign(state, { since: 0, flushWanted: false });
      try {
        const w = await write(linesOf(slice.map((c) => c.bytes)));
        // The counts go with the slice's first chunk; the others were stored with it.
        for (const [i, c] of slice.entries())
          parentPort?.postMessage(i === 0 ? { id: c.id, ...w } : { id: c.id, written: 0 });
      } catch (err) {
        for (const c of slice) parentPort?.postMessage({ id: c.id, error: String(err) });
      }
    }
  } finally {
    writing = false;
  }
  if (held.length) {
    if (!rechecking) {
      rechecking = true;
      setTimeout(() => {
        rechecking = false;
        pump();
      }, 250);
    }
    return;
  }
  state.flushWanted = false;
  if (closing) {
    await db.close();
    parentPort?.postMessage({ closed: true });
  }
}

type Message = ({ id: number; bytes: Uint8Array; views: number; flush?: boolean } | { flush: true }) | { close: true };

parentPort?.on("message", (m: Message) => {
  if ("close" in m) {
    closing = true;
    state.flushWanted = true;
  } else if ("id" in m) {
    held.push(m);
    state.views += m.views;
    state.since ||= Date.now();
    if (m.flush) state.flushWanted = true;
  } else state.flushWanted = true;
  pump();
});
