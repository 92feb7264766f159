/**
 * The counting thread: receives the serving thread's noted views in batches, writes them on its
 * own connection to the same database (count-write.ts), and answers each batch when it is stored.
 * Batches are written one at a time, in the order they came.
 */
import fs from "node:fs";
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { type OpenOptions, openDb } from "../lib/db/index.ts";
import { parseTrustProxy } from "../lib/http/client-ip.ts";
import { viewWriter } from "./count-write.ts";

// Counting yields to serving: on Linux this thread takes the lowest scheduling priority (a thread's
// id is a process id to setpriority), so under full load pages go first and the views written
// here catch up when the load eases (they wait in memory, bounded: see counter.ts).
try {
  const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, 19);
} catch {
  // Not Linux, or not allowed: the same priority as serving.
}

const { opened, siteHost, trustProxy } = workerData as { opened: OpenOptions; siteHost: string; trustProxy: string };
const db = openDb({ ...opened, poolSize: 2 });
const write = viewWriter(db, siteHost, parseTrustProxy(trustProxy));
let queue: Promise<unknown> = Promise.resolve();

parentPort?.on("message", (m: { id: number; lines: string[] } | { close: true }) => {
  if ("close" in m) {
    queue = queue.then(() => db.close()).then(() => parentPort?.postMessage({ closed: true }));
    return;
  }
  queue = queue.then(async () => {
    try {
      parentPort?.postMessage({ id: m.id, ...(await write(m.lines)) });
    } catch (err) {
      parentPort?.postMessage({ id: m.id, error: String(err) });
    }
  });
});
