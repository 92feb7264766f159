/**
 * Where an export's files go: a folder (`liner export all DIR`) or a .tar.gz streamed to the
 * owner's browser (lib/tar.ts: tar-stream, gzip from node:zlib). Tar rather than zip: a site's
 * media can pass the 4 GB and 65,535-file limits of plain zip, and tar has neither; macOS,
 * Windows 11 and every Linux open a .tar.gz as they are.
 */
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { tarGzWriter } from "../lib/tar.ts";

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

/** The files as a .tar.gz under `root/`, every entry dated `now`. */
export function tarGzSink(root: string, now: Date): ArchiveSink {
  // Fast compression: most of the bytes are media, already compressed; text shrinks well anyway.
  const tar = tarGzWriter({ level: 3, mtime: now, closed: "the download was cancelled" });
  const name = (p: string) => `${checkPath(root)}/${checkPath(p)}`;
  return {
    stream: tar.stream,
    file: (p, body) => tar.add(name(p), body),
    copy: (p, from) => tar.addFile(name(p), from),
    async finish() {
      tar.finish();
    },
    fail: (err) => tar.fail(err),
  };
}
