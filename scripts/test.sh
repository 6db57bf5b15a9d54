#!/usr/bin/env bash
# npm test [-- <tier>]: runs one test tier, or all of them.
#   unit         *.unit.test.ts — pure modules, no peers: seconds, nothing installed or built
#   integration  *.test.ts (neither unit nor e2e) — a server or the SIP stack, Postgres + NATS, sipp, baresip
#   e2e          *.e2e.test.ts — the built web apps (or the SDK) in headless Chromium against a server
#   all          every tier (the default)
# Extra arguments after the tier are passed to node's test runner (e.g. --test-name-pattern=…).
set -euo pipefail
cd "$(dirname "$0")/.."

tier="${1:-all}"
[ $# -gt 0 ] && shift

case "$tier" in
  unit) pattern=(-name '*.unit.test.ts') ;;
  integration) pattern=(-name '*.test.ts' ! -name '*.unit.test.ts' ! -name '*.e2e.test.ts') ;;
  e2e) pattern=(-name '*.e2e.test.ts') ;;
  # The unit files first, in one process as for `unit` (a process per file cost more than them, and
  # force-exiting a file's process can cut off its last results on their way to the runner).
  all) bash scripts/test.sh unit "$@"; pattern=(-name '*.test.ts' ! -name '*.unit.test.ts') ;;
  *) echo "unknown test tier '$tier' (unit, integration, e2e, all)" >&2; exit 2 ;;
esac

if [ "$tier" != unit ]; then
  bash scripts/ensure-peers.sh
  # The e2e tests drive the built web apps and the CLI's compiled entry point.
  npm run build --silent
fi

cd packages/server
# `source`: @callsight/protocol and @callsight/sdk resolve to their TypeScript source, so the unit tier needs no build.
# The global hook (test/helpers/setup.ts) fails any test during which an error went unhandled.
node_args=(--import tsx --conditions=source --import ./test/helpers/setup.ts)

mapfile -t files < <(find test "${pattern[@]}" | sort)
[ ${#files[@]} -gt 0 ] || { echo "no $tier test files found" >&2; exit 1; }
if [ "$tier" = unit ]; then
  # One process for all of them: pure modules share nothing, and a process per file would take longer than the tests.
  exec node "${node_args[@]}" --test-reporter=spec "$@" ../../scripts/test-in-process.mjs "${files[@]}"
fi
# --test-force-exit: a file ends when its tests have, not when the last peer's socket or timer lets go
# (a registered baresip may take its own time over SIGTERM); peers still running are killed with it.
# Two files at a time (CALLSIGHT_TEST_CONCURRENCY): most of a file's time is waiting on peers,
# browsers and timers, and files share nothing (each server has its own data dir, schema and
# stream; peer ports are claimed across processes, test/helpers/ports.ts).
exec node "${node_args[@]}" --test --test-concurrency="${CALLSIGHT_TEST_CONCURRENCY:-2}" --test-force-exit --test-reporter=spec --test-timeout=180000 "$@" "${files[@]}"
