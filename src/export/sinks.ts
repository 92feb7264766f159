/**
 * Where an export's files go: a folder (`liner export all DIR`) or a .tar.gz streamed to the
 * owner's browser (tar-stream, gzip from node:zlib). Tar rather than zip: a site's media can pass
 * the 4 GB and 65,535-file limits of plain zip, and tar has neither; macOS, Windows 11 and every
 * Linux open a .tar.gz as they are.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { type Pack, pack as tarPack } from "tar-stream";

/** Where the parts' files go (the parts see it through an `ExportSink` scoped to their path). */
export interface FileSink {
  /** Called before a part writes (`posts/`, `saves.json`): a folder sink with `replace` clears it. */
  begin?(partPath: string): Promise<void>;
  file(path: string, body: string | Uint8Array): Promise<void>;
  copy(path: string, from: string): Promise<void>;
}

/** Plain relative names only: no absolute paths, no `..`, no hidden files, no backslashes. */
const SAFE_PATH = /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*\/?$/;

/** Throw (a programming error: parts name their own files) unless `p` is a safe relative path. */
export function checkPath(p: string): string {
  if (!SAFE_PATH.test(p) || p.split("/").some((seg) => seg === "..")) {
    throw new Error(`export: unsafe file name ${JSON.stringify(p)}`);
  }
  return p;
}

/** Files written under `dir`; with `replace`, each part's folder is emptied first. */
export function folderSink(dir: string, opts: { replace?: boolean } = {}): FileSink {
  const target = (p: string) => path.join(dir, ...checkPath(p).split("/"));
  const made = new Set<string>();
  const parent = async (file: string) => {
    const d = path.dirname(file);
    if (made.has(d)) return;
    await fsp.mkdir(d, { recursive: true });
    made.add(d);
  };
  return {
    async begin(partPath) {
      if (opts.replace && partPath.endsWith("/")) await fsp.rm(target(partPath), { recursive: true, force: true });
      made.clear();
    },
    async file(p, body) {
      const file = target(p);
      await parent(file);
      await fsp.writeFile(file, body);
    },
    async copy(p, from) {
      const file = target(p);
      await parent(file);
      await fsp.copyFile(from, file);
    },
  };
}

/** A .tar.gz of the files, every name under `root/`, as a stream to send. */
export interface ArchiveSink extends FileSink {
  /** The compressed bytes. */
  stream: Readable;
  /** Write the end of the archive. */
  finish(): Promise<void>;
  /** Stop with an error (the download fails rather than ending as if complete). */
  fail(err: Error): void;
}

/** Wait until a stream takes more, or is gone (a cancelled download must not hang the export). */
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

export function tarGzSink(root: string, now: Date): ArchiveSink {
  const pack = tarPack();
  // Fast compression: most of the bytes are media, already compressed; text shrinks well anyway.
  const gzip = createGzip({ level: 3 });
  pack.pipe(gzip);
  pack.on("error", (err) => gzip.destroy(err));
  // A download the browser gave up on: stop the pack, so the next entry fails and the export stops.
  gzip.on("close", () => {
    if (!pack.destroyed) pack.destroy(new Error("the download was cancelled"));
  });
  const name = (p: string) => `${checkPath(root)}/${checkPath(p)}`;
  const header = (p: string, size: number) => ({ name: name(p), size, mtime: now, mode: 0o644 });

  /** Resolve once the entry is in the archive; the pack's callback also carries backpressure. */
  const added = (fill: (done: (err?: Error | null) => void) => void) =>
    new Promise<void>((resolve, reject) => fill((err) => (err ? reject(err) : resolve())));

  return {
    stream: gzip,
    file(p, body) {
      const bytes =
        typeof body === "string" ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.length);
      return added((done) => pack.entry(header(p, bytes.length), bytes, done));
    },
    async copy(p, from) {
      const { size } = await fsp.stat(from);
      let entry: ReturnType<Pack["entry"]> | undefined;
      const inArchive = added((done) => {
        entry = pack.entry(header(p, size), done);
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
    async finish() {
      pack.finalize();
    },
    fail(err) {
      pack.destroy(err);
      gzip.destroy(err);
    },
  };
}
