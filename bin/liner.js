#!/usr/bin/env node
// Entry point for the `liner` CLI. The source is TypeScript run through Node's built-in type
// stripping (on by default from Node 22.18), so there is no build step.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `liner: Node.js 22.18 or newer is required (this is ${process.version}).\n` +
      'On a machine with an older Node, run: eval "$(bash scripts/bootstrap-node.sh)" to use Node 24 from .tools/\n',
  );
  process.exit(2);
}
await import("../src/cli/main.ts");
