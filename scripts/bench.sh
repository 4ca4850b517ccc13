#!/usr/bin/env bash
# Performance figures for issue #7, on this machine, side by side:
#  1. one packet for the bundled example, as a whole process, into a new directory each
#     run (target: median ≤ 20 ms, ≤ 0.25 × typst); wall and user CPU time;
#     with JOHAS_BENCH_BASELINE=/path/to/older/johas-claim, that binary too, interleaved;
#  2. typst (its Python binding, `pip install typst`) on the same six pages: the same
#     text, faces, sizes and positions (written by benches/packets.rs), as a ratio;
#  3. the size of each file, the per-stage split from inside the process and 1,000
#     packets made by one process on all cores (benches/packets.rs; target ≤ 8 s).
# Uses hyperfine (Debian: apt-get install hyperfine). Runs at `nice` priority; other
# load on the machine still shows in wall times, less in CPU times.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/johas-claim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=${JOHAS_BENCH_RUNS:-40}
if ! command -v hyperfine >/dev/null; then
  echo "hyperfine not installed (apt-get install hyperfine): skipping the per-process figures"
else
  cmds=()
  names=()
  one() { echo "$1 packet examples/sangyoui-rouan.toml -o $out/p --today 2026-11-21"; }
  cmds+=("$(one "$bin")")
  names+=("johas-claim")
  if [ -n "${JOHAS_BENCH_BASELINE:-}" ]; then
    cmds+=("$(one "$JOHAS_BENCH_BASELINE")")
    names+=("baseline")
  fi
  if python3 -c 'import typst' 2>/dev/null; then
    JOHAS_BENCH_TYP="$out/packet.typ" cargo bench --quiet --bench packets >/dev/null 2>&1
    cmds+=("python3 -c \"import typst,sys; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=['fonts'])\" $out/packet.typ $out/typst.pdf")
    names+=("typst")
  else
    echo "typst: python binding not installed (pip install typst), skipped"
  fi
  nice hyperfine -N --warmup 3 --runs "$runs" --prepare "rm -rf $out/p" \
    --export-json "$out/h.json" "${cmds[@]}" >/dev/null 2>&1
  python3 - "$out/h.json" "${names[@]}" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
names = sys.argv[2:]
ms = {}
for name, r in zip(names, res):
    ms[name] = r["median"] * 1e3
    print("one packet, whole process: %-12s median %6.1f ms wall, mean user %5.1f ms, system %4.1f ms (%d runs)"
          % (name, r["median"] * 1e3, r["user"] * 1e3, r["system"] * 1e3, len(r["times"])))
for name in names[1:]:
    print("ratio johas-claim / %s: %.2f (median wall)" % (name, ms["johas-claim"] / ms[name]))
PY
  if [ -f "$out/typst.pdf" ]; then
    echo "typst.pdf (six pages, both faces): $(stat -c %s "$out/typst.pdf") bytes"
  fi
fi

# Sizes, stages and 1,000 packets (benches/packets.rs).
nice cargo bench --quiet --bench packets 2>/dev/null | grep -E '^(sizes|packets|stage):'
