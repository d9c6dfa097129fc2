#!/usr/bin/env bash
# The one idempotent installer for everything the tests need (see ../shared/notes/real-vscode-here.md):
#   Debian packages   libkrb5-dev ripgrep chromium (+ python3 make g++ for native module builds)
#   Node 24           `npm i node@24` into ~/.cache/bud-chat/node24          (code-server 4.139.1 needs it)
#   code-server       code-server@4.139.1 into ~/.cache/bud-chat/code-server (a real VS Code 1.139.1)
#   code-server       code-server@4.90.3 into ~/.cache/bud-chat/code-server-4.90.3 (VS Code 1.90.2, the minimum that
#                     engines.vscode declares; it runs on Node 20: the machine's own, else `npm i node@20`)
#   repo packages     `npm ci` when node_modules is missing or does not match package-lock.json
# Everything is cached outside the clone; marker files make a second run take seconds.
#
#   bash scripts/setup.sh              install what is missing
#   bash scripts/setup.sh --check-only report what is missing (exit 1 if anything is), install nothing
#
# Environment: BUD_CHAT_CACHE (default ~/.cache/bud-chat) moves the cache.
set -Eeuo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
APT_PACKAGES=(libkrb5-dev ripgrep chromium python3 make g++)
NATIVE_MODULES=(@parcel/watcher @vscode/spdlog @vscode/sqlite3 kerberos @vscode/deviceid @vscode/fs-copyfile @vscode/native-watchdog)
# The release matching engines.vscode's minimum (^1.90.0): the integration suite runs there too.
CODE_SERVER_MIN_VERSION=4.90.3
NODE_MIN_MAJOR=20
NATIVE_MODULES_MIN=(@parcel/watcher @vscode/spdlog kerberos @vscode/deviceid native-watchdog node-pty)
# Outside lib/vscode: argon2 0.31 has no prebuilt binary in its package (4.139.1's argon2 has).
TOP_NATIVE_MODULES_MIN=(argon2)

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${BUD_CHAT_CACHE:-$HOME/.cache/bud-chat}"
NODE24_DIR="$CACHE/node24"
NODE24_BIN="$NODE24_DIR/node_modules/node/bin"
CS_DIR="$CACHE/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
CS_VSCODE="$CS_PKG/lib/vscode"
CS_RG="$CS_VSCODE/node_modules/@vscode/ripgrep/bin/rg"
MARK_NODE="$NODE24_DIR/.bud-installed-node$NODE_MAJOR"
MARK_CS_NPM="$CS_DIR/.bud-npm-$CODE_SERVER_VERSION"
MARK_CS_POST="$CS_DIR/.bud-postinstall-$CODE_SERVER_VERSION"
MARK_CS_NATIVE="$CS_DIR/.bud-native-$CODE_SERVER_VERSION"
MARK_CS_OK="$CS_DIR/.bud-verified-$CODE_SERVER_VERSION"
NODE_MIN_DIR="$CACHE/node$NODE_MIN_MAJOR"
CS_MIN_DIR="$CACHE/code-server-$CODE_SERVER_MIN_VERSION"
CS_MIN_BIN="$CS_MIN_DIR/node_modules/.bin/code-server"
LOGS="$CACHE/logs"

CHECK_ONLY=0
for a in "$@"; do
  case "$a" in
    --check-only) CHECK_ONLY=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument '$a' (use --check-only)" >&2; exit 2 ;;
  esac
done

STEP=start
T0=$(date +%s)
# Subshells inherit the trap (set -E); only the main shell reports, once.
trap 'rc=$?; if [[ $BASHPID == $$ ]]; then echo "setup.sh: step $STEP failed (exit $rc)" >&2; fi; exit $rc' ERR
step() { STEP="$1"; echo "==> setup: $1${2:+ — $2}"; }
elapsed() { echo "$(( $(date +%s) - T0 ))s"; }
# Fails the current step with a message (goes through the ERR trap).
fail() { echo "setup.sh: $*" >&2; return 1; }

# ---------------------------------------------------------------- checks (shared by --check-only)
missing_apt() {
  local p out=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || out+=("$p")
  done
  echo "${out[*]:-}"
}
node24_ok() { [[ -f "$MARK_NODE" && -x "$NODE24_BIN/node" ]]; }
code_server_ok() { [[ -f "$MARK_CS_OK" && -x "$CS_BIN" && -e "$CS_RG" ]]; }
# The folder of a Node $NODE_MIN_MAJOR binary: the machine's own when it is that major, else the cached npm one.
node_min_bin() {
  local sys
  sys=$(command -v node || true)
  if [[ -n "$sys" && "$("$sys" --version 2>/dev/null)" == v$NODE_MIN_MAJOR.* ]]; then
    dirname "$(readlink -f "$sys")"
  else
    echo "$NODE_MIN_DIR/node_modules/node/bin"
  fi
}
code_server_min_ok() {
  [[ -f "$CS_MIN_DIR/.bud-verified-$CODE_SERVER_MIN_VERSION" && -x "$CS_MIN_BIN" && -x "$(node_min_bin)/node" ]]
}
# node_modules matches package-lock.json: every package npm recorded as installed has the locked
# version, and every locked non-optional package is installed. Uses npm's own hidden lockfile.
repo_modules_ok() {
  [[ -f "$REPO/node_modules/.package-lock.json" ]] || return 1
  node -e '
    const fs = require("fs"), path = require("path");
    const repo = process.argv[1];
    const lock = JSON.parse(fs.readFileSync(path.join(repo, "package-lock.json"), "utf8")).packages || {};
    const hidden = JSON.parse(fs.readFileSync(path.join(repo, "node_modules/.package-lock.json"), "utf8")).packages || {};
    const bad = [];
    for (const [k, v] of Object.entries(lock)) {
      if (!k) continue;
      const h = hidden[k];
      if (!h) { if (!v.optional && !v.peer) bad.push(k + " missing"); continue; }
      if (v.version && h.version !== v.version) bad.push(k + " " + h.version + " != " + v.version);
    }
    for (const k of Object.keys(hidden)) if (!lock[k]) bad.push(k + " not in package-lock.json");
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
    for (const d of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }))
      if (!fs.existsSync(path.join(repo, "node_modules", d, "package.json"))) bad.push(d + " not installed");
    if (bad.length) { console.error("node_modules is stale: " + bad.slice(0, 5).join("; ")); process.exit(1); }
  ' "$REPO"
}

if [[ $CHECK_ONLY == 1 ]]; then
  STEP=check
  problems=()
  m=$(missing_apt); [[ -z "$m" ]] || problems+=("apt packages missing: $m")
  node24_ok || problems+=("Node $NODE_MAJOR missing in $NODE24_DIR")
  code_server_ok || problems+=("code-server $CODE_SERVER_VERSION not (fully) installed in $CS_DIR")
  code_server_min_ok || problems+=("code-server $CODE_SERVER_MIN_VERSION not (fully) installed in $CS_MIN_DIR")
  repo_modules_ok 2>/dev/null || problems+=("repo node_modules missing or stale")
  if (( ${#problems[@]} )); then
    printf 'setup.sh --check-only: %s\n' "${problems[@]}"
    exit 1
  fi
  echo "setup.sh --check-only: all present (node24, code-server $CODE_SERVER_VERSION and $CODE_SERVER_MIN_VERSION, chromium, ripgrep, node_modules)"
  exit 0
fi

mkdir -p "$CACHE" "$LOGS"

# ---------------------------------------------------------------- 1. Node 24 (needed before code-server)
step node24 "Node $NODE_MAJOR via npm i node@$NODE_MAJOR into $NODE24_DIR"
if node24_ok; then
  echo "    cached: $("$NODE24_BIN/node" --version)"
else
  command -v npm >/dev/null || fail "npm is not on PATH; install Node.js >= 20 with npm first"
  mkdir -p "$NODE24_DIR"
  [[ -f "$NODE24_DIR/package.json" ]] || echo '{ "name": "bud-chat-node24", "private": true }' > "$NODE24_DIR/package.json"
  (cd "$NODE24_DIR" && npm i --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR")
  v=$("$NODE24_BIN/node" --version) || fail "$NODE24_BIN/node does not run"
  [[ "$v" == v$NODE_MAJOR.* ]] || fail "expected Node $NODE_MAJOR, got $v"
  echo "$v" > "$MARK_NODE"
  echo "    installed $v"
fi
export PATH_NODE24="$NODE24_BIN:$PATH"

step node$NODE_MIN_MAJOR "Node $NODE_MIN_MAJOR for code-server $CODE_SERVER_MIN_VERSION (the machine's own, else npm i node@$NODE_MIN_MAJOR)"
NODE_MIN_BIN=$(node_min_bin)
if [[ -x "$NODE_MIN_BIN/node" ]]; then
  echo "    $NODE_MIN_BIN/node ($("$NODE_MIN_BIN/node" --version))"
else
  mkdir -p "$NODE_MIN_DIR"
  [[ -f "$NODE_MIN_DIR/package.json" ]] || echo '{ "name": "bud-chat-node-min", "private": true }' > "$NODE_MIN_DIR/package.json"
  (cd "$NODE_MIN_DIR" && npm i --no-audit --no-fund --loglevel=error "node@$NODE_MIN_MAJOR")
  v=$("$NODE_MIN_BIN/node" --version) || fail "$NODE_MIN_BIN/node does not run"
  [[ "$v" == v$NODE_MIN_MAJOR.* ]] || fail "expected Node $NODE_MIN_MAJOR, got $v"
  echo "    installed $v"
fi
PATH_NODE_MIN="$NODE_MIN_BIN:$PATH"

# ---------------------------------------------------------------- 2. code-server download (background, takes minutes)
CS_NPM_PID=
if [[ -f "$MARK_CS_NPM" && -f "$CS_PKG/package.json" ]]; then
  step code-server-npm "cached code-server@$CODE_SERVER_VERSION in $CS_DIR"
else
  step code-server-npm "npm i code-server@$CODE_SERVER_VERSION in the background (log: $LOGS/code-server-npm.log)"
  mkdir -p "$CS_DIR"
  [[ -f "$CS_DIR/package.json" ]] || echo '{ "name": "bud-chat-code-server", "private": true }' > "$CS_DIR/package.json"
  ( cd "$CS_DIR" && PATH="$PATH_NODE24" npm i --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" ) \
    > "$LOGS/code-server-npm.log" 2>&1 &
  CS_NPM_PID=$!
fi
# The minimum release's download: scripts off (its postinstall and native builds run in step 9 with what they need).
CS_MIN_NPM_PID=
if [[ -f "$CS_MIN_DIR/.bud-npm-$CODE_SERVER_MIN_VERSION" && -f "$CS_MIN_DIR/node_modules/code-server/package.json" ]]; then
  step code-server-min-npm "cached code-server@$CODE_SERVER_MIN_VERSION in $CS_MIN_DIR"
else
  step code-server-min-npm "npm i code-server@$CODE_SERVER_MIN_VERSION in the background (log: $LOGS/code-server-min-npm.log)"
  mkdir -p "$CS_MIN_DIR"
  echo '{ "name": "bud-chat-code-server-min", "private": true }' > "$CS_MIN_DIR/package.json"
  ( cd "$CS_MIN_DIR" && PATH="$PATH_NODE_MIN" npm i --no-audit --no-fund --loglevel=error --ignore-scripts \
      --save-exact "code-server@$CODE_SERVER_MIN_VERSION" ) > "$LOGS/code-server-min-npm.log" 2>&1 &
  CS_MIN_NPM_PID=$!
fi
trap 'for p in ${CS_NPM_PID:-} ${CS_MIN_NPM_PID:-}; do kill "$p" 2>/dev/null; done; true' EXIT

# ---------------------------------------------------------------- 3. Debian packages
step apt "${APT_PACKAGES[*]}"
missing=$(missing_apt)
if [[ -z "$missing" ]]; then
  echo "    all present"
else
  SUDO=
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || fail "need root (or sudo) to apt-get install $missing"
    SUDO=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  need_update=0
  compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || need_update=1
  for p in $missing; do
    apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]' || need_update=1
  done
  if [[ $need_update == 1 ]]; then
    STEP=apt-update; echo "    apt-get update"
    $SUDO apt-get update -qq
    STEP=apt
  fi
  echo "    apt-get install $missing"
  $SUDO apt-get install -y -qq --no-install-recommends $missing
  [[ -z "$(missing_apt)" ]] || fail "still missing after apt-get install: $(missing_apt)"
fi

# ---------------------------------------------------------------- 4. wait for the code-server download
# Waits for a download started in step 2 and checks the package arrived. Clears the pid variable first, so the EXIT
# trap never kills a pid that has been reused.
wait_code_server_npm() { # <pid variable> <version> <log> <package dir>
  local -n pid_var=$1
  local pid=$pid_var
  pid_var=
  if ! wait "$pid"; then
    tail -n 30 "$3" >&2
    fail "npm i code-server@$2 failed (full log: $3)"
  fi
  [[ -f "$4/package.json" ]] || fail "code-server $2 package missing after npm i"
}
if [[ -n "$CS_NPM_PID" ]]; then
  step code-server-npm "waiting for npm i code-server@$CODE_SERVER_VERSION"
  wait_code_server_npm CS_NPM_PID "$CODE_SERVER_VERSION" "$LOGS/code-server-npm.log" "$CS_PKG"
  rm -f "$MARK_CS_POST" "$MARK_CS_NATIVE" "$MARK_CS_OK"
  touch "$MARK_CS_NPM"
  echo "    downloaded ($(elapsed) since start)"
fi

# ---------------------------------------------------------------- 5. code-server postinstall (npm 11 skips it)
step code-server-postinstall "sh ./postinstall.sh in $CS_PKG"
if [[ -f "$MARK_CS_POST" ]]; then
  echo "    cached"
else
  ( cd "$CS_PKG" && PATH="$PATH_NODE24" npm_config_user_agent="npm/$(npm --version) node/$("$NODE24_BIN/node" --version) linux x64" sh ./postinstall.sh ) \
    > "$LOGS/code-server-postinstall.log" 2>&1 \
    || { tail -n 30 "$LOGS/code-server-postinstall.log" >&2; fail "postinstall.sh failed (log: $LOGS/code-server-postinstall.log)"; }
  rm -f "$MARK_CS_NATIVE" "$MARK_CS_OK"
  touch "$MARK_CS_POST"
  echo "    done"
fi

# ---------------------------------------------------------------- 6. native modules
# Loads every native module with Node 24; prints the ones that fail.
native_broken() {
  (cd "$CS_VSCODE" && "$NODE24_BIN/node" -e '
    const bad = [];
    for (const m of process.argv.slice(1)) { try { require(m); } catch (e) { bad.push(m + " (" + String(e.message).split("\n")[0].slice(0, 120) + ")"); } }
    if (bad.length) { console.log(bad.join("\n")); process.exit(1); }
  ' "${NATIVE_MODULES[@]}")
}
step code-server-native "native modules for Node $NODE_MAJOR: ${NATIVE_MODULES[*]}"
if [[ -f "$MARK_CS_NATIVE" ]]; then
  echo "    cached"
elif native_broken > /dev/null 2>&1; then
  # npm sometimes runs code-server's postinstall itself, which already built them: don't compile twice.
  echo "    already built (all load in Node $NODE_MAJOR)"
  touch "$MARK_CS_NATIVE"
else
  echo "    npm rebuild (about 70 s on 2 idle cores)"
  ( cd "$CS_VSCODE" && PATH="$PATH_NODE24" npm rebuild --dangerously-allow-all-scripts "${NATIVE_MODULES[@]}" ) \
    > "$LOGS/code-server-native.log" 2>&1 \
    || { tail -n 30 "$LOGS/code-server-native.log" >&2; fail "npm rebuild failed (log: $LOGS/code-server-native.log)"; }
  broken=$(native_broken) || fail "native modules still do not load in Node $NODE_MAJOR after npm rebuild: $broken"
  rm -f "$MARK_CS_OK"
  touch "$MARK_CS_NATIVE"
  echo "    done"
fi

# ---------------------------------------------------------------- 7. ripgrep for code-server's search
step ripgrep-link "$CS_RG -> rg on PATH"
RG=$(command -v rg || true)
[[ -n "$RG" ]] || fail "rg not found on PATH after apt step"
mkdir -p "$(dirname "$CS_RG")"
if [[ "$(readlink "$CS_RG" 2>/dev/null || true)" != "$RG" ]]; then
  rm -f "$CS_RG"
  ln -s "$RG" "$CS_RG"
  rm -f "$MARK_CS_OK"
fi
rgv=$("$CS_RG" --version) || fail "$CS_RG does not run"
echo "    ${rgv%%$'\n'*}"

# ---------------------------------------------------------------- 8. verify code-server runs
# Runs a release's `code-server --version` once and keeps its line in the mark file (later runs print the mark).
verify_code_server() { # <PATH> <binary> <version> <mark file>
  local out v
  if [[ -f "$4" && -x "$2" ]]; then
    echo "    cached: $(head -n 1 "$4")"
    return
  fi
  # code-server writes a default config file on first run: keep it inside the cache, not in ~/.config.
  out=$(PATH="$1" XDG_CONFIG_HOME="$CACHE/xdg-config" XDG_DATA_HOME="$CACHE/xdg-data" "$2" --version 2>&1) \
    || { echo "$out" >&2; fail "code-server $3 --version failed"; }
  v=$(grep -E "^$3 " <<<"$out" || true)
  [[ -n "$v" ]] || { echo "$out" >&2; fail "expected code-server $3 from code-server --version"; }
  echo "$v" > "$4"
  echo "    $v"
}
step code-server-verify "code-server --version"
verify_code_server "$PATH_NODE24" "$CS_BIN" "$CODE_SERVER_VERSION" "$MARK_CS_OK"

# ---------------------------------------------------------------- 9. code-server at the engine minimum (VS Code 1.90)
# Like steps 4-8 for code-server $CODE_SERVER_MIN_VERSION on Node $NODE_MIN_MAJOR, with what that release needs besides:
# its postinstall refuses root without npm_config_unsafe_perm; npm would run its dependencies' install scripts (and
# @vscode/ripgrep's download, which cannot work offline), so they are off and the native modules are rebuilt after;
# kerberos' old node-addon-api needs -fpermissive with Node 20.20's headers; argon2 0.31 is built from source.
CS_MIN_PKG="$CS_MIN_DIR/node_modules/code-server"
CS_MIN_VSCODE="$CS_MIN_PKG/lib/vscode"
CS_MIN_RG="$CS_MIN_VSCODE/node_modules/@vscode/ripgrep/bin/rg"
MARK_MIN() { echo "$CS_MIN_DIR/.bud-$1-$CODE_SERVER_MIN_VERSION"; }
if [[ -n "$CS_MIN_NPM_PID" ]]; then
  step code-server-min-npm "waiting for npm i code-server@$CODE_SERVER_MIN_VERSION"
  wait_code_server_npm CS_MIN_NPM_PID "$CODE_SERVER_MIN_VERSION" "$LOGS/code-server-min-npm.log" "$CS_MIN_PKG"
  rm -f "$(MARK_MIN postinstall)" "$(MARK_MIN native)" "$(MARK_MIN verified)"
  touch "$(MARK_MIN npm)"
fi

step code-server-min-postinstall "sh ./postinstall.sh in $CS_MIN_PKG (install scripts off)"
if [[ -f "$(MARK_MIN postinstall)" ]]; then
  echo "    cached"
else
  ( cd "$CS_MIN_PKG" && PATH="$PATH_NODE_MIN" npm_config_ignore_scripts=true npm_config_unsafe_perm=true \
      npm_config_user_agent="npm/$(npm --version) node/$("$NODE_MIN_BIN/node" --version) linux x64" sh ./postinstall.sh ) \
    > "$LOGS/code-server-min-postinstall.log" 2>&1 \
    || { tail -n 30 "$LOGS/code-server-min-postinstall.log" >&2; fail "postinstall.sh failed (log: $LOGS/code-server-min-postinstall.log)"; }
  rm -f "$(MARK_MIN native)" "$(MARK_MIN verified)"
  touch "$(MARK_MIN postinstall)"
  echo "    done"
fi

step code-server-min-ripgrep "$CS_MIN_RG -> $RG"
mkdir -p "$(dirname "$CS_MIN_RG")"
if [[ "$(readlink "$CS_MIN_RG" 2>/dev/null || true)" != "$RG" ]]; then
  rm -f "$CS_MIN_RG"
  ln -s "$RG" "$CS_MIN_RG"
fi

# Loads each module in `dir` with Node $NODE_MIN_MAJOR; prints the ones that fail.
native_min_broken() {
  local dir=$1; shift
  (cd "$dir" && "$NODE_MIN_BIN/node" -e '
    const bad = [];
    for (const m of process.argv.slice(1)) { try { require(m); } catch (e) { bad.push(m + " (" + String(e.message).split("\n")[0].slice(0, 120) + ")"); } }
    if (bad.length) { console.log(bad.join("\n")); process.exit(1); }
  ' "$@")
}
step code-server-min-native "native modules for Node $NODE_MIN_MAJOR: ${NATIVE_MODULES_MIN[*]} ${TOP_NATIVE_MODULES_MIN[*]}"
if [[ -f "$(MARK_MIN native)" ]]; then
  echo "    cached"
else
  echo "    npm rebuild of the modules that do not load (several minutes on 2 busy cores)"
  for spec in "$CS_MIN_VSCODE:${NATIVE_MODULES_MIN[*]}" "$CS_MIN_DIR:${TOP_NATIVE_MODULES_MIN[*]}"; do
    dir=${spec%%:*}; read -r -a mods <<<"${spec#*:}"
    native_min_broken "$dir" "${mods[@]}" >/dev/null 2>&1 && continue
    ( cd "$dir" && PATH="$PATH_NODE_MIN" CXXFLAGS=-fpermissive npm rebuild --dangerously-allow-all-scripts "${mods[@]}" ) \
      >> "$LOGS/code-server-min-native.log" 2>&1 \
      || { tail -n 30 "$LOGS/code-server-min-native.log" >&2; fail "npm rebuild failed (log: $LOGS/code-server-min-native.log)"; }
    broken=$(native_min_broken "$dir" "${mods[@]}") || fail "still not loading in Node $NODE_MIN_MAJOR: $broken"
  done
  rm -f "$(MARK_MIN verified)"
  touch "$(MARK_MIN native)"
  echo "    done"
fi

step code-server-min-verify "code-server --version ($CODE_SERVER_MIN_VERSION)"
verify_code_server "$PATH_NODE_MIN" "$CS_MIN_BIN" "$CODE_SERVER_MIN_VERSION" "$(MARK_MIN verified)"

# ---------------------------------------------------------------- 10. repo packages
step npm-ci "node_modules in $REPO"
if repo_modules_ok; then
  echo "    up to date with package-lock.json"
else
  echo "    running npm ci"
  (cd "$REPO" && npm ci --no-audit --no-fund --loglevel=error)
  repo_modules_ok || fail "node_modules still does not match package-lock.json after npm ci"
fi

# ---------------------------------------------------------------- summary
STEP=summary
cat > "$CACHE/env" <<EOF
# written by scripts/setup.sh
BUD_NODE24_BIN=$NODE24_BIN
BUD_CODE_SERVER=$CS_BIN
BUD_NODE_MIN_BIN=$NODE_MIN_BIN
BUD_CODE_SERVER_MIN=$CS_MIN_BIN
BUD_CHROMIUM=$(command -v chromium || echo /usr/bin/chromium)
BUD_RG=$RG
EOF
echo "==> setup: done in $(elapsed)"
echo "    Node $NODE_MAJOR     $NODE24_BIN/node ($("$NODE24_BIN/node" --version))"
echo "    code-server $CS_BIN ($(head -n 1 "$MARK_CS_OK"))"
echo "    code-server $CS_MIN_BIN ($(head -n 1 "$(MARK_MIN verified)"), Node $("$NODE_MIN_BIN/node" --version))"
chv=$(chromium --version 2>/dev/null || echo '?')
echo "    chromium    $(command -v chromium) (${chv%%$'\n'*})"
echo "    ripgrep     $RG"
echo "    logs        $LOGS"
