/**
 * Feed parsing for a poll pass, inline or in worker threads. Parsing and sanitizing is about half
 * of a large pass's CPU time and the database writes most of the rest, so on a machine with a
 * spare core the workers parse while the main thread fetches and writes (SQLite writes stay on
 * one thread). Small passes parse inline: starting a worker costs more than it saves.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import { parseFeed } from "../feed/parse.ts";
import { FeedParseError } from "../feed/types.ts";
import { type PreparedFeed, prepareFeed } from "./rows.ts";

export interface ParseInput {
  url: string;
  contentType: string | null;
}

/** Parses feed bytes into rows; throws FeedParseError for a bad feed. */
export interface FeedParser {
  parse(bytes: Uint8Array, input: ParseInput): Promise<PreparedFeed>;
  close(): Promise<void>;
}

/** Parse on the calling thread. */
export const inlineParser: FeedParser = {
  parse: async (bytes, input) => prepareFeed(parseFeed(bytes, input)),
  close: async () => {},
};

/** Workers for a machine: one per core but one (the main thread writes), at most three. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(3, os.availableParallelism() - 1));
}

type Pending = { resolve: (p: PreparedFeed) => void; reject: (e: Error) => void };
type Reply = { id: number; prepared?: PreparedFeed; error?: { message: string; feed: boolean } };

/** A pool of parse workers; if every worker dies, parsing carries on inline. */
export class ParsePool implements FeedParser {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private nextId = 1;

  constructor(size = defaultWorkers()) {
    for (let i = 0; i < size; i++) {
      // A small young generation: parse garbage dies young, and the pass's memory stays bounded.
      const worker = new Worker(new URL("./parse-worker.ts", import.meta.url), {
        resourceLimits: { maxYoungGenerationSizeMb: 8 },
      });
      const slot = { worker, pending: new Map<number, Pending>() };
      worker.on("message", (m: Reply) => {
        const p = slot.pending.get(m.id);
        slot.pending.delete(m.id);
        if (!p) return;
        if (m.prepared) p.resolve(m.prepared);
        else if (m.error?.feed) p.reject(new FeedParseError(m.error.message));
        else p.reject(new Error(m.error?.message ?? "parse worker failed"));
      });
      worker.on("error", (err) => this.drop(slot, err));
      worker.on("exit", () => this.drop(slot, new Error("parse worker exited")));
      this.workers.push(slot);
    }
  }

  private drop(slot: (typeof this.workers)[number], err: Error): void {
    const i = this.workers.indexOf(slot);
    if (i >= 0) this.workers.splice(i, 1);
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
  }

  async parse(bytes: Uint8Array, input: ParseInput): Promise<PreparedFeed> {
    if (!this.workers.length) return inlineParser.parse(bytes, input);
    // The least busy worker takes it.
    const slot = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise<PreparedFeed>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, bytes, url: input.url, contentType: input.contentType });
    });
  }

  async close(): Promise<void> {
    const all = this.workers.splice(0);
    await Promise.all(all.map((s) => s.worker.terminate()));
  }
}
