#!/usr/bin/env bash
# Performance figures for issues #7 and #17, on this machine, printed at the end as one
# table side by side with the issue's targets:
#  1. `check` of 1,000 claim files (500 copies of each example) in one process: wall
#     time on all cores, and user CPU time on all cores and on one (RAYON_NUM_THREADS=1)
#     (target ≤ 0.3 s);
#  2. one packet for the bundled example, as a whole process, into a new directory each
#     run (target ≤ 0.25 × typst); wall and user CPU time;
#     with JOHAS_BENCH_BASELINE=/path/to/older/johas-claim, that binary too, interleaved;
#  3. typst (its Python binding, `pip install typst`) on the same six pages: the same
#     text, faces, sizes and positions (written by benches/packets.rs), as a ratio; when
#     typst is missing the script says so and prints the rest;
#  4. the size of each file, the per-stage split from inside the process and 1,000
#     packets made by one process on all cores (benches/packets.rs; target ≤ 8 s).
# Uses hyperfine (Debian: apt-get install hyperfine) and /usr/bin/time when present.
# Runs at `nice` priority; other load on the machine still shows in wall times, less in
# CPU times.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/johas-claim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=${JOHAS_BENCH_RUNS:-40}
# The rows of the table, filled as the figures come in.
row_check="not measured"
row_packets="not measured"
row_one="not measured"
row_sizes="not measured"

# 1. check of 1,000 claim files.
mkdir -p "$out/c1000"
for i in $(seq 1 500); do
  cp examples/sangyoui-rouan.toml "$out/c1000/a$i.toml"
  cp examples/shokuba-rouan.toml "$out/c1000/b$i.toml"
done
check_times() { # prints "wall user" in seconds
  local t0 t1
  if [ -x /usr/bin/time ]; then
    "$@" /usr/bin/time -f "%e %U" "$bin" check "$out"/c1000/*.toml --today 2020-10-20 \
      2>&1 >/dev/null | tail -1
  else
    t0=$(date +%s.%N); "$@" "$bin" check "$out"/c1000/*.toml --today 2020-10-20 >/dev/null || true
    t1=$(date +%s.%N); echo "$(echo "$t1 - $t0" | bc) ?"
  fi
}
check_times env >/dev/null # warm the page cache
read -r cw cu < <(check_times nice env)
read -r _ cu1 < <(check_times nice env RAYON_NUM_THREADS=1)
row_check="${cw} s wall on $(nproc) cores (${cu} s user); one core ${cu1} s user"
echo "check of 1,000 files: $row_check"

if ! command -v hyperfine >/dev/null; then
  echo "hyperfine not installed (apt-get install hyperfine): skipping the per-process figures"
  row_one="not measured: hyperfine not installed"
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
  row_one=$(python3 - "$out/h.json" "${names[@]}" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
names = sys.argv[2:]
ms = {n: r["median"] * 1e3 for n, r in zip(names, res)}
s = "%.1f ms median wall" % ms["johas-claim"]
if "typst" in ms:
    s += " = %.2f x typst (%.1f ms)" % (ms["johas-claim"] / ms["typst"], ms["typst"])
else:
    s += " (typst not installed: no ratio)"
print(s)
PY
)
  if [ -f "$out/typst.pdf" ]; then
    echo "typst.pdf (six pages, both faces): $(stat -c %s "$out/typst.pdf") bytes"
  fi
fi

# Sizes, stages and 1,000 packets (benches/packets.rs).
nice cargo bench --quiet --bench packets 2>/dev/null | grep -E '^(sizes|packets|stage):' \
  | tee "$out/bench.txt"
row_packets=$(sed -n 's/^packets: //p' "$out/bench.txt" | head -1)
row_sizes=$(python3 - "$out/bench.txt" <<'PY'
import re, sys
rows = []
for line in open(sys.argv[1]):
    if not line.startswith("sizes: "):
        continue
    ex, files = line[len("sizes: "):].split(": ", 1)
    kb = dict((n, float(k)) for n, k in re.findall(r"(\S+\.pdf) ([0-9.]+) KB", files))
    forms = [v for n, v in kb.items() if n != "packet.pdf"]
    rows.append("%s: packet.pdf %.0f KB / largest form %.0f KB"
                % (ex.split("/")[-1], kb.get("packet.pdf", 0), max(forms or [0])))
print("; ".join(rows))
PY
)

# The table of issue #17, side by side.
echo
printf '%-48s | %-70s | %s\n' "figure" "now" "target"
printf '%-48s | %-70s | %s\n' "check of 1,000 claim files, one process" "$row_check" "<= 0.3 s"
printf '%-48s | %-70s | %s\n' "1,000 packets, one process (benches/packets.rs)" "$row_packets" "<= 8 s"
printf '%-48s | %-70s | %s\n' "one packet as a process, against typst" "$row_one" "<= 0.25 x typst"
printf '%-48s | %-70s | %s\n' "packet.pdf / largest single form" "$row_sizes" "kept"
