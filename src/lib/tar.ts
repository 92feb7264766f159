/**
 * A .tar.gz written as a stream: tar-stream for the tar, gzip from node:zlib. The one tar writer
 * of the project, shared by the export download (src/export/sinks.ts) and the backup file
 * (src/backup/archive.ts). Files are streamed from disk with backpressure, never held whole.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import type { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { type Pack, pack as tarPack } from "tar-stream";

/** Entries go in one at a time, in the order added (await each before the next). */
export interface TarGzWriter {
  /** The compressed bytes. */
  stream: Readable;
  /** An entry holding `body`. */
  add(name: string, body: string | Uint8Array): Promise<void>;
  /** An entry holding the file `from`, read as it goes in; a missing file throws before anything is written. */
  addFile(name: string, from: string): Promise<void>;
  /** Write the end of the archive. */
  finish(): void;
  /** Stop with an error (the reader of `stream` sees it fail rather than end as if complete). */
  fail(err: Error): void;
}

/** Wait until a stream takes more, or is gone (a reader that went away must not hang the writer). */
function drained(s: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      s.off("drain", done);
      s.off("close", done);
      resolve();
    };
    s.on("drain", done);
    s.on("close", done);
  });
}

/**
 * A writer of names as given (callers check them). `level` is gzip's; `mtime` stamps every entry
 * (default: a file's own modification time, and the Unix epoch for `add`); `closed` is the error
 * an entry fails with once the reader of `stream` has gone away.
 */
export function tarGzWriter(opts: { level?: number; mtime?: Date; closed?: string } = {}): TarGzWriter {
  const pack = tarPack();
  const gzip = createGzip({ level: opts.level ?? 6 });
  pack.pipe(gzip);
  pack.on("error", (err) => gzip.destroy(err));
  // The reader went away (a cancelled download): stop the pack, so the next entry fails.
  gzip.on("close", () => {
    if (!pack.destroyed) pack.destroy(new Error(opts.closed ?? "the archive was closed before its end"));
  });
  const header = (name: string, size: number, mtime: Date) => ({ name, size, mtime, mode: 0o644 });

  /** Resolve once the entry is in the archive; the pack's callback also carries backpressure. */
  const added = (fill: (done: (err?: Error | null) => void) => void) =>
    new Promise<void>((resolve, reject) => fill((err) => (err ? reject(err) : resolve())));

  return {
    stream: gzip,
    add(name, body) {
      const bytes =
        typeof body === "string" ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.length);
      return added((done) => pack.entry(header(name, bytes.length, opts.mtime ?? new Date(0)), bytes, done));
    },
    async addFile(name, from) {
      const { size, mtime } = await fsp.stat(from);
      let entry: ReturnType<Pack["entry"]> | undefined;
      const inArchive = added((done) => {
        entry = pack.entry(header(name, size, opts.mtime ?? mtime), done);
      });
      inArchive.catch(() => {}); // awaited below, once the file is read
      const read = fs.createReadStream(from);
      try {
        for await (const chunk of read) {
          if (!entry || entry.destroyed) break;
          if (!entry.write(chunk)) await drained(entry);
        }
        entry?.end(null); // (streamx types want an argument; null writes nothing)
      } catch (err) {
        entry?.destroy(err as Error);
      } finally {
        read.destroy();
      }
      await inArchive;
    },
    finish() {
      pack.finalize();
    },
    fail(err) {
      pack.destroy(err);
      gzip.destroy(err);
    },
  };
}
