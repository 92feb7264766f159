/**
 * A small pool of worker threads that render Markdown for the importer. Rendering is most of
 * an import's CPU time (markdown-it plus sanitize-html), so on a machine with spare cores the
 * workers render later batches while the main thread reads files and writes earlier ones.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { BatchRenderer, Rendered } from "../content/bulk.ts";
import type { PostKind } from "../lib/db/schema.ts";

type Job = { kind: PostKind; body: string };
interface Chunk {
  id: number;
  jobs: Job[];
  resolve: (r: Rendered[]) => void;
  reject: (e: Error) => void;
}

/** Jobs per message: large enough to amortise messaging, small enough to spread across workers. */
const CHUNK = 25;

/** Default size: the cores beyond the main thread's, at least one, at most four. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

export class RenderPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Chunk[] = [];
  private readonly running = new Map<Worker, Chunk>();
  private nextId = 1;

  constructor(size = defaultPoolSize()) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL("./render-worker.ts", import.meta.url));
      w.on("message", (m: { id: number; results?: Rendered[]; error?: string }) => {
        const chunk = this.running.get(w);
        this.running.delete(w);
        if (chunk) {
          if (m.results) chunk.resolve(m.results);
          else chunk.reject(new Error(m.error ?? "render failed"));
        }
        this.idle.push(w);
        this.pump();
      });
      w.on("error", (err) => {
        this.running.get(w)?.reject(err);
        this.running.delete(w);
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  /** Render a batch; resolves in the order given. */
  render: BatchRenderer = async (jobs) => {
    const parts: Promise<Rendered[]>[] = [];
    for (let i = 0; i < jobs.length; i += CHUNK) {
      const slice = jobs.slice(i, i + CHUNK);
      parts.push(new Promise((resolve, reject) => this.queue.push({ id: this.nextId++, jobs: slice, resolve, reject })));
    }
    this.pump();
    return (await Promise.all(parts)).flat();
  };

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const chunk = this.queue.shift()!;
      this.running.set(w, chunk);
      w.postMessage({ id: chunk.id, jobs: chunk.jobs });
    }
  }

  /** Stop the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
