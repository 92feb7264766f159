/** Worker thread for `ParsePool`: parses feed bytes and maps them to rows, off the main thread. */
import { parentPort } from "node:worker_threads";
import { parseFeed } from "../feed/parse.ts";
import { FeedParseError } from "../feed/types.ts";
import { prepareFeed } from "./rows.ts";

interface Task {
  id: number;
  bytes: Uint8Array;
  url: string;
  contentType: string | null;
}

parentPort?.on("message", (t: Task) => {
  try {
    const prepared = prepareFeed(parseFeed(t.bytes, { url: t.url, contentType: t.contentType }));
    parentPort?.postMessage({ id: t.id, prepared });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    parentPort?.postMessage({ id: t.id, error: { message, feed: err instanceof FeedParseError } });
  }
});
