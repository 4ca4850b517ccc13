#!/usr/bin/env bash
# Performance figures for issue #3, as whole processes on this machine:
#  1. one packet for the bundled example (target: median ≤ 30 ms wall);
#  2. 1,000 packets made by one process (target: ≤ 10 s, peak memory ≤ 100 MB).
# Needs hyperfine for (1) (Debian: apt-get install hyperfine); (2) needs only cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/johas-claim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 5 --runs 50 --export-json "$out/one.json" \
    "$bin packet examples/sangyoui-rouan.toml -o $out/p --force --today 2026-11-21" >/dev/null
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print('one packet: median %.1f ms, mean %.1f ms (50 runs)' % (r['median']*1e3, r['mean']*1e3))" "$out/one.json"
else
  echo "one packet: hyperfine not installed, skipped"
fi
cargo bench --quiet --bench packets 2>/dev/null | grep '^packets:'
