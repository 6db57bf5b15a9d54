#!/usr/bin/env bash
# npm test: installs the real peers the tests talk to, builds, then runs every
# test file (unit, integration on SQLite+in-process and Postgres+NATS, e2e in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-peers.sh

# The e2e tests drive the built web apps and the CLI's compiled entry point.
npm run build --silent

cd packages/server
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-reporter=spec --test-timeout=180000 "${files[@]}"
