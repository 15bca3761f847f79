#!/usr/bin/env bash
# The README's Quickstart as a test: every command of the `## Quickstart` section's ```sh blocks is run, in order,
# as a new user would type it, in a clean temporary HOME, and its output is checked.
#
#   readme_quickstart.sh <spacetime executable> <repository root> <work dir>
#
# The steps below mirror the README one by one: each `step` names the README command it runs, and the test fails
# as soon as that is not the README's next command, or when README commands are left over. Only the first
# block (make build, PATH) is replaced, by the build under test. Commands the README runs in terminals of their own
# (the server, the subscription) run in the background here.
#
# Isolation: the commands use the README's defaults (server on 127.0.0.1:3000, data and config under ~), so the
# test re-runs itself in a private network namespace (unshare) where port 3000 is its own and other tests or a
# developer's `make run` do not interfere. Without namespaces it runs directly and needs port 3000 free. npm
# installs from the local npm cache (filled by scripts/setup from tests/node/package-lock.json, a superset of the
# client's dependencies) with no network.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 <spacetime executable> <repository root> <work dir>" >&2
  exit 2
fi

if [ -z "${QUICKSTART_IN_NETNS:-}" ] && unshare -rn true 2>/dev/null; then
  export QUICKSTART_IN_NETNS=1
  export QUICKSTART_NPM_CACHE=${QUICKSTART_NPM_CACHE:-$(npm config get cache)}
  exec unshare -rn bash -c 'ip link set lo up && exec bash "$@"' bash "$0" "$@"
fi

spacetime=$(realpath "$1")
repo=$(realpath "$2")
work=$3
npm_cache=${QUICKSTART_NPM_CACHE:-$(npm config get cache)}
readme="$repo/README.md"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# --- The README's commands -----------------------------------------------------------------------------------
# Lines of the ```sh blocks between "## Quickstart" and the next "## " heading; blank and comment lines dropped.
mapfile -t readme_commands < <(awk '
  /^## / { in_section = ($0 == "## Quickstart") }
  in_section && /^```/ { if (in_block) { in_block = 0 } else if ($0 == "```sh") { in_block = 1 }; next }
  in_section && in_block && !/^[[:space:]]*(#|$)/ { sub(/^[[:space:]]+/, ""); sub(/[[:space:]]+$/, ""); print }
' "$readme")
[ ${#readme_commands[@]} -gt 0 ] || fail "no commands found in the ## Quickstart section of $readme"
next_command=0

# Claims the README's next command, which must be exactly $1.
claim() {
  local expected=${readme_commands[$next_command]:-<end of the Quickstart section>}
  [ "$1" = "$expected" ] || fail "this test and README.md disagree: the README's next command is
    $expected
but the test's next step is
    $1
Change both together."
  next_command=$((next_command + 1))
}

# --- A clean world: HOME, a copy of the repository's files the README uses, no network for npm -------------------
rm -rf "$work"
mkdir -p "$work/home" "$work/repo" "$work/out"
# The tracked (and new, not ignored) files only: no node_modules, bindings or builds from a developer's tree.
(cd "$repo" && git ls-files --cached --others --exclude-standard -z examples) |
  (cd "$repo" && xargs -0 cp --parents -t "$work/repo")
export HOME="$work/home"
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME SPACETIMEDB_CPP_SDK
export npm_config_cache="$npm_cache" npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false
if [ -n "${QUICKSTART_IN_NETNS:-}" ]; then export npm_config_offline=true; else export npm_config_prefer_offline=true; fi
cd "$work/repo"

# --- Running steps and checking their output ---------------------------------------------------------------------
step_number=0
output=""
status=0
background_pids=()

cleanup() {
  for pid in "${background_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# step <command>: runs the README's next command in this shell (so `cd` and `export` last), recording its output
# in $output and its exit status in $status.
step() {
  claim "$1"
  step_number=$((step_number + 1))
  output="$work/out/$step_number.txt"
  echo "== step $step_number: $1"
  status=0
  eval "$1" >"$output" 2>&1 </dev/null || status=$?
  sed 's/^/   | /' "$output"
  echo "   (exit status $status)"
}

# step_background <command>: the README runs it in a terminal of its own; here it runs in the background with
# its output in $output and its process id in $background_pid.
step_background() {
  claim "$1"
  step_number=$((step_number + 1))
  output="$work/out/$step_number.txt"
  echo "== step $step_number (in the background): $1"
  eval "exec $1" >"$output" 2>&1 </dev/null &
  background_pid=$!
  background_pids+=("$background_pid")
}

# step_instead <command> <what this test does instead>: a README command this test cannot run as is.
step_instead() {
  claim "$1"
  echo "== instead of \`$1\`: $2"
}

expect_status() {
  [ "$status" -eq "$1" ] || fail "step $step_number exited with status $status, expected $1 (output above)"
}

# expect_output <extended regex>...: each pattern matches some line of the step's output.
expect_output() {
  for pattern in "$@"; do
    grep -Eq -- "$pattern" "$output" || fail "step $step_number: no output line matches /$pattern/ (output above)"
  done
}

# wait_for_output <file> <extended regex> <what>: until a line of the (growing) file matches; 120 s at most, so
# a broken step fails instead of hanging.
wait_for_output() {
  for _ in $(seq 1200); do
    if grep -Eq -- "$2" "$1"; then return 0; fi
    sleep 0.1
  done
  sed 's/^/   | /' "$1"
  fail "gave up waiting for $3"
}

# wait_for_exit <pid> <what>: the background process's exit status in $status; 120 s at most.
wait_for_exit() {
  for _ in $(seq 1200); do
    if ! kill -0 "$1" 2>/dev/null; then
      status=0
      wait "$1" || status=$?
      return 0
    fi
    sleep 0.1
  done
  fail "gave up waiting for $2 to exit"
}

# --- 1. Build and PATH -------------------------------------------------------------------------------------------
step_instead 'make build' "the build under test is $spacetime"
step_instead 'export PATH="$PWD/build/bin:$PATH"' "PATH starts with $(dirname "$spacetime")"
export PATH="$(dirname "$spacetime"):$PATH"
[ "$(command -v spacetime)" = "$spacetime" ] || fail "spacetime on PATH is $(command -v spacetime), not $spacetime"

# --- 2. The server -----------------------------------------------------------------------------------------------
if [ -z "${QUICKSTART_IN_NETNS:-}" ] && (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null; then
  fail "127.0.0.1:3000 is in use and no private network namespace is available (unshare -rn failed)"
fi
step_background 'spacetime start'
server_pid=$background_pid
server_output=$output
wait_for_output "$server_output" 'listening on http://127\.0\.0\.1:3000' "the server to listen on 127.0.0.1:3000"
expect_output "data directory: $HOME/\.local/share/spacetime/data"

# --- 3. A module -------------------------------------------------------------------------------------------------
step 'spacetime init --lang cpp ~/quickstart-chat'
expect_status 0
expect_output 'Project successfully created'
[ -f "$HOME/quickstart-chat/src/lib.cpp" ] || fail "init did not create ~/quickstart-chat/src/lib.cpp"

step 'cp examples/quickstart-chat/src/lib.cpp ~/quickstart-chat/src/lib.cpp'
expect_status 0
step 'cp -r examples/quickstart-chat/client ~/quickstart-chat/client'
expect_status 0
step 'cd ~/quickstart-chat'
expect_status 0

step 'spacetime build'
expect_status 0
expect_output 'Build finished successfully'
[ -s build/lib.wasm ] || fail "spacetime build wrote no build/lib.wasm"

# --- 4. Publish --------------------------------------------------------------------------------------------------
step 'spacetime publish quickstart-chat'
expect_status 0
expect_output 'Logged in with identity c200[0-9a-f]{60}' \
  '^Created new database with name: quickstart-chat, identity: c200[0-9a-f]{60}$'
[ -f "$HOME/.config/spacetime/cli.json" ] || fail "no ~/.config/spacetime/cli.json after the first login"

# --- 5. Call, SQL, logs ------------------------------------------------------------------------------------------
step "spacetime call quickstart-chat set_name '\"Alice\"'"
expect_status 0
step "spacetime call quickstart-chat send_message '\"Hello, World!\"'"
expect_status 0
step "spacetime call quickstart-chat send_message '\"\"'"
expect_status 1
expect_output '^Error: the reducer `send_message` failed: Messages must not be empty$'

step 'spacetime sql quickstart-chat "SELECT * FROM message"'
expect_status 0
expect_output '^ *sender +\| +sent +\| +text *$' \
  '^ *0xc200[0-9a-f]{60} +\| +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+\+00:00 +\| +"Hello, World!" *$'
[ "$(grep -c '| "' "$output")" -eq 1 ] || fail "expected exactly one message row (the failed call stores nothing)"

step 'spacetime logs quickstart-chat'
expect_status 0
expect_output 'INFO: database created: 2 tables, 4 reducers'

# --- 6. Subscribe ------------------------------------------------------------------------------------------------
step_background 'spacetime subscribe quickstart-chat "SELECT * FROM message" --print-initial-update -n 1'
subscriber_pid=$background_pid
subscriber_output=$output
wait_for_output "$subscriber_output" '"text":"Hello, World!"' "the subscription's initial rows"

step "spacetime call quickstart-chat send_message '\"Is anyone there?\"'"
expect_status 0
wait_for_exit "$subscriber_pid" "spacetime subscribe -n 1"
output=$subscriber_output
echo "== the subscription printed:"
sed 's/^/   | /' "$output"
expect_status 0
expect_output '^\{"message":\{"deletes":\[\],"inserts":\[\{"sender":\{"__identity__":"0xc200[0-9a-f]{60}"\},"sent":\{"__timestamp_micros_since_unix_epoch__":[0-9]+\},"text":"Is anyone there\?"\}\]\}\}$'
[ "$(wc -l <"$output")" -eq 2 ] || fail "expected two lines from the subscription: the initial rows and one update"

# --- 7. The TypeScript client ------------------------------------------------------------------------------------
step 'spacetime generate --lang typescript --out-dir client/src/module_bindings --bin-path build/lib.wasm'
expect_status 0
expect_output 'Generate finished successfully'
for file in index.ts message_table.ts user_table.ts send_message_reducer.ts set_name_reducer.ts types.ts; do
  [ -f "client/src/module_bindings/$file" ] || fail "generate did not write client/src/module_bindings/$file"
done

step 'cd client'
expect_status 0

step 'npm install'
if [ "$status" -ne 0 ]; then
  fail "npm install failed; it installs offline from the npm cache, which scripts/setup fills from
tests/node/package-lock.json: every dependency of examples/quickstart-chat/client must be pinned there too"
fi
[ -d node_modules/spacetimedb ] || fail "npm install did not install spacetimedb"

step 'npm start -- Hello from TypeScript'
expect_status 0
expect_output '^Connected to quickstart-chat as c200[0-9a-f]{60}$' '^Alice: Hello, World!$' '^Alice: Is anyone there\?$' \
  '^c200[0-9a-f]{4}: Hello from TypeScript$'

[ "$next_command" -eq "${#readme_commands[@]}" ] ||
  fail "README.md has commands this test does not run, from: ${readme_commands[$next_command]}"

# --- Ctrl-C stops the server -------------------------------------------------------------------------------------
echo "== Ctrl-C (SIGINT) to the server"
kill -INT "$server_pid"
wait_for_exit "$server_pid" "the server after SIGINT"
output=$server_output
sed 's/^/   | /' "$output"
expect_status 0
echo "PASS: the README's Quickstart (${#readme_commands[@]} commands) works as written"
