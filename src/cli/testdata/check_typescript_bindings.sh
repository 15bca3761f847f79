#!/usr/bin/env bash
# Builds each example module with `spacetime build`, generates TypeScript bindings for it with
# `spacetime generate` (from the .wasm, and again from `spacetime extract-schema` JSON, which must give the same
# files), type-checks them with tsc --strict against the installed `spacetimedb` package, bundles and loads them
# with esbuild + node, and compares the tables and reducers the SDK sees with the expected wire names.
#
#   check_typescript_bindings.sh <spacetime> <tests/node dir> <work dir> <example dir>...
set -euo pipefail
spacetime=$1
node_dir=$2
work=$3
shift 3

if [ ! -x "$node_dir/node_modules/.bin/tsc" ] || [ ! -d "$node_dir/node_modules/spacetimedb" ]; then
  echo "FAIL: npm packages missing in $node_dir/node_modules; run scripts/setup (npm ci in tests/node)" >&2
  exit 1
fi

expected_summary() {
  case "$1" in
    scheduled-reminders/bindings-private)
      echo '{"tables":{"firing":"firing","reminderSchedule":"reminder_schedule","reminder_schedule":"reminder_schedule"},"reducers":{"sendReminder":"send_reminder","scheduleReminder":"schedule_reminder","cancelReminder":"cancel_reminder"}}' ;;
    quickstart-chat/bindings-private)
      expected_summary quickstart-chat/bindings ;;
    keynote-transfer/bindings-private)
      expected_summary keynote-transfer/bindings ;;
    quickstart-chat/bindings)
      echo '{"tables":{"message":"message","user":"user"},"reducers":{"sendMessage":"send_message","setName":"set_name"}}' ;;
    keynote-transfer/bindings)
      echo '{"tables":{"accounts":"accounts"},"reducers":{"seed":"seed","transfer":"transfer"}}' ;;
    scheduled-reminders/bindings)
      # send_reminder is the schedule's reducer: private, so not callable by clients.
      echo '{"tables":{"firing":"firing"},"reducers":{"scheduleReminder":"schedule_reminder","cancelReminder":"cancel_reminder"}}' ;;
    *) echo "" ;;
  esac
}

rm -rf "$work"
mkdir -p "$work"
status=0
for example in "$@"; do
  name=$(basename "$example")
  dir="$work/$name"
  mkdir -p "$dir"
  cp -r "$example" "$dir/module"
  echo "== $name: build"
  "$spacetime" build -p "$dir/module"
  echo "== $name: generate"
  "$spacetime" generate --lang typescript -o "$dir/bindings" -b "$dir/module/build/lib.wasm"
  "$spacetime" extract-schema "$dir/module/build/lib.wasm" > "$dir/module_def.json"
  "$spacetime" generate --lang typescript -o "$dir/bindings-from-json" --module-def "$dir/module_def.json"
  if ! diff -r "$dir/bindings" "$dir/bindings-from-json"; then
    echo "FAIL: $name: bindings from --module-def differ from bindings from the .wasm" >&2
    status=1
  fi
  "$spacetime" generate --lang typescript -o "$dir/bindings-private" -b "$dir/module/build/lib.wasm" --include-private
  for variant in bindings bindings-private; do
    check="$dir/check-$variant"
    mkdir -p "$check"
    echo "== $name/$variant: tsc"
    cat > "$check/client.ts" <<TS
import { DbConnection, tables, reducers, type EventContext, type SubscriptionEventContext } from '../$variant/index';
export const conn = DbConnection.builder()
  .withUri('ws://127.0.0.1:3000')
  .withDatabaseName('example')
  .onConnect((c: DbConnection) => {
    c.subscriptionBuilder()
      .onApplied((_ctx: SubscriptionEventContext) => {})
      .subscribeToAllTables();
  });
export const handlers = (ctx: EventContext) => ctx.db;
export { tables, reducers };
TS
    cat > "$check/tsconfig.json" <<TSCONFIG
{
  "compilerOptions": {
    "target": "ES2022", "module": "ESNext", "moduleResolution": "Bundler", "strict": true, "noEmit": true,
    "skipLibCheck": true, "types": [], "typeRoots": [], "baseUrl": ".",
    "paths": { "spacetimedb": ["$node_dir/node_modules/spacetimedb"] }
  },
  "include": ["client.ts", "../$variant/**/*.ts"]
}
TSCONFIG
    if ! (cd "$check" && "$node_dir/node_modules/.bin/tsc" -p tsconfig.json); then
      echo "FAIL: $name/$variant: the generated bindings do not type-check" >&2
      status=1
    fi
    echo "== $name/$variant: esbuild + node"
    summary=$(node "$(dirname "$0")/bindings_summary.mjs" "$dir/$variant" "$node_dir/node_modules")
    expected=$(expected_summary "$name/$variant")
    echo "$summary"
    if [ -n "$expected" ]; then
      if ! node -e 'const [a,b]=process.argv.slice(1).map(JSON.parse);
        const norm=o=>JSON.stringify({tables:Object.fromEntries(Object.entries(o.tables).sort()),reducers:Object.fromEntries(Object.entries(o.reducers).sort())});
        if(norm(a)!==norm(b)){console.error("expected",norm(b),"\ngot     ",norm(a));process.exit(1)}' "$summary" "$expected"; then
        echo "FAIL: $name/$variant: the SDK sees other tables or reducers than expected" >&2
        status=1
      fi
    fi
  done
done
if [ $status -eq 0 ]; then echo "PASS: bindings of $# modules type-check, bundle and load"; fi
exit $status
