// test lanes: sqlite only
/**
 * The export's guard rails, without a database: a part writes only inside its own path, no
 * name can leave the export's folder, and two modules cannot claim the same file.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import type { AppContext } from "../lib/context.ts";
import { type ExportPart, moduleHost } from "../lib/module.ts";
import { writeExport } from "./run.ts";
import { checkPath, folderSink } from "./sinks.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "liner-sinks-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Just what an export reads of a context: the modules, the base URL and the clock. */
const contextWith = (...parts: ExportPart[][]) =>
  ({
    host: moduleHost(parts.map((p, i) => ({ name: `m${i}`, exports: async () => p }))),
    config: { baseUrl: "https://notes.example", baseUrlFromEnv: true },
    now: () => new Date("2026-12-05T10:00:00Z"),
  }) as unknown as AppContext;

const part = (p: string, files: string[]): ExportPart => ({
  path: p,
  describe: `The ${p} part.`,
  noun: ["file", "files"],
  async write(_ctx, sink) {
    for (const f of files) await sink.file(f, "x");
    return files.length;
  },
});

test("names that could leave the export's folder are refused", () => {
  for (const bad of ["../x", "posts/../../x", "/etc/passwd", ".hidden", "posts/.git", "a\\b", "", "a//b"]) {
    assert.throws(() => checkPath(bad), /unsafe file name/, bad);
  }
  for (const ok of ["posts/", "posts/hello-world.md", "media/_media.json", "README.txt"]) checkPath(ok);
});

test("a part writes only inside its own path; README.txt lists each part", async () => {
  const dir = path.join(tmp, "ok");
  const results = await writeExport(
    contextWith([part("notes/", ["notes/a.txt", "notes/sub/b.txt"])], [part("one.csv", ["one.csv"])]),
    folderSink(dir),
  );
  assert.deepEqual(
    results.map((r) => r.summary),
    ["2 files", "1 file"],
  );
  assert.equal(fs.readFileSync(path.join(dir, "notes", "sub", "b.txt"), "utf8"), "x");
  const readme = fs.readFileSync(path.join(dir, "README.txt"), "utf8");
  assert.match(readme, /^Liner Notes: an export of https:\/\/notes\.example, made 2026-12-05T10:00:00\.000Z\./);
  assert.match(
    readme,
    /\nnotes\/ \(2 files\)\n {2}The notes\/ part\.\n\none\.csv \(1 file\)\n {2}The one\.csv part\.\n$/,
  );

  await assert.rejects(
    writeExport(contextWith([part("notes/", ["other.csv"])]), folderSink(path.join(tmp, "bad"))),
    /the notes\/ part wrote other\.csv/,
  );
  await assert.rejects(
    writeExport(contextWith([part("one.csv", [])], [part("one.csv", [])]), folderSink(path.join(tmp, "twice"))),
    /two parts write one\.csv/,
  );
  await assert.rejects(
    writeExport(contextWith([part("README.txt", [])]), folderSink(path.join(tmp, "readme"))),
    /two parts write README\.txt/,
  );
});
