#!/usr/bin/env bash
# Install code-server (pinned) for the end-to-end tests, without network access
# beyond the npm registry and Debian's archive.
#
# code-server's own install script and its npm postinstall download things
# (a release tarball, ripgrep from GitHub) and so fail here. This script does
# what its postinstall.sh does, step by step, with the downloads replaced:
#   npm install --ignore-scripts code-server
#   lib/vscode: npm install --omit=dev --ignore-scripts, ripgrep from Debian,
#               npm rebuild (native modules: spdlog, node-pty, kerberos, ...)
#   the symlinks postinstall.sh makes
#   lib/vscode/extensions: npm install --omit=dev
#   npm rebuild at the top (argon2)
#
# Idempotent: once done it writes a marker file and later runs only check that
# the binary still works. Install folder: $PYINTERNALS_CODE_SERVER_DIR, by
# default <repo>/.cache/code-server.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${PYINTERNALS_CODE_SERVER_DIR:-$REPO/.cache/code-server}"
MARKER="$DIR/.installed-$CODE_SERVER_VERSION"
BIN="$DIR/node_modules/.bin/code-server"
VSCODE="$DIR/node_modules/code-server/lib/vscode"

log() { echo "[code-server] $*"; }
die() { echo "[code-server] ERROR: $*" >&2; exit 1; }

# npm's own output is long; keep it in a log and show its tail on failure.
LOG="$(mktemp "${TMPDIR:-/tmp}/install-code-server.XXXXXX.log")"
trap 'rm -f "$LOG"' EXIT
run() {
  if ! "$@" >>"$LOG" 2>&1; then
    echo "[code-server] command failed in $(pwd): $*" >&2
    tail -n 60 "$LOG" >&2
    exit 1
  fi
}

# ---------------------------------------------------------------- Debian packages
# libkrb5-dev, pkg-config: to build the kerberos module; libsecret-1-dev: for native modules that use libsecret;
# ripgrep: the search backend (its npm package downloads rg); chromium: the browser.
need_pkgs=()
for pkg in libkrb5-dev pkg-config libsecret-1-dev ripgrep chromium; do
  case "$pkg" in
    ripgrep) command -v rg >/dev/null 2>&1 && continue ;;
    chromium) command -v chromium >/dev/null 2>&1 && continue ;;
    pkg-config) command -v pkg-config >/dev/null 2>&1 && continue ;;
  esac
  # No `dpkg -s | grep -q`: with pipefail, grep quitting early can fail the pipe.
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [ "$status" != "install ok installed" ]; then
    need_pkgs+=("$pkg")
  fi
done
if ((${#need_pkgs[@]})); then
  if [ "$(id -u)" != 0 ]; then
    die "missing Debian packages: ${need_pkgs[*]}
  install them with:  sudo apt-get update && sudo apt-get install -y ${need_pkgs[*]}"
  fi
  log "installing Debian packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  run apt-get update
  run apt-get install -y --no-install-recommends "${need_pkgs[@]}"
fi
command -v rg >/dev/null 2>&1 || die "rg not found after installing ripgrep"

# ---------------------------------------------------------------- already installed?
works() {
  local out
  [ -x "$BIN" ] || return 1
  # --config: otherwise code-server writes ~/.config/code-server/config.yaml.
  out=$("$BIN" --config "$DIR/config.yaml" --version 2>/dev/null) || return 1
  # The first run also logs "Wrote default config file" on stdout: check the last line.
  [[ "${out##*$'\n'}" == "$CODE_SERVER_VERSION "* ]]
}
if [ -f "$MARKER" ] && works; then
  log "code-server $CODE_SERVER_VERSION already installed in $DIR"
  exit 0
fi
rm -f "$MARKER"

[ "$(node -p 'process.versions.node.split(".")[0]')" = 20 ] ||
  die "code-server $CODE_SERVER_VERSION needs Node 20, found $(node --version)"

start=$SECONDS
mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{"private":true}' >package.json

# ---------------------------------------------------------------- steps
log "npm install code-server@$CODE_SERVER_VERSION (no scripts)"
run npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION"

cd "$VSCODE"
log "lib/vscode: npm install --omit=dev (no scripts)"
run npm install --no-audit --no-fund --omit=dev --ignore-scripts

log "lib/vscode: ripgrep from $(command -v rg)"
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
chmod 755 node_modules/@vscode/ripgrep/bin/rg

log "lib/vscode: npm rebuild (native modules)"
# @vscode/ripgrep's postinstall would download rg again: it skips when bin/rg exists.
run env npm_config_yes=true npm rebuild

log "lib/vscode: links made by code-server's postinstall.sh"
rm -rf node_modules.asar && ln -s node_modules node_modules.asar
(cd bin/remote-cli && rm -rf code-server && ln -s code-linux.sh code-server)
(cd bin/helpers && rm -rf browser.sh && ln -s browser-linux.sh browser.sh)

log "lib/vscode/extensions: npm install --omit=dev"
(cd extensions && run npm install --no-audit --no-fund --omit=dev)

cd "$DIR"
log "npm rebuild argon2"
# Only argon2: a plain rebuild would also run code-server's own postinstall.sh.
run npm rebuild argon2

# ---------------------------------------------------------------- checks
# npm reports some skipped or failed install scripts only as warnings: check
# that the native modules code-server loads at startup were really built.
missing=()
check_native() { # module folder, .node file glob
  local found
  found=$(find "$1" -name '*.node' -path "*$2*" 2>/dev/null | head -n 1)
  [ -n "$found" ] || missing+=("$1 ($2)")
}
check_native "$DIR/node_modules/argon2" argon2.node
check_native "$VSCODE/node_modules/@vscode/spdlog" spdlog.node
check_native "$VSCODE/node_modules/node-pty" pty.node
check_native "$VSCODE/node_modules/kerberos" kerberos.node
check_native "$VSCODE/node_modules/native-watchdog" watchdog.node
check_native "$VSCODE/node_modules/@parcel" watcher.node
((${#missing[@]} == 0)) || die "native modules not built: ${missing[*]} (see npm output above)"
[ -x "$VSCODE/node_modules/@vscode/ripgrep/bin/rg" ] || die "ripgrep missing"

works || die "$BIN --version does not print $CODE_SERVER_VERSION: $("$BIN" --config "$DIR/config.yaml" --version 2>&1 | head -n 5)"
touch "$MARKER"
log "installed code-server $CODE_SERVER_VERSION in $DIR ($((SECONDS - start)) s)"
