#!/usr/bin/env bash
# Performance figures for issue #7, on this machine:
#  1. one packet for the bundled example, as a whole process (target: median ≤ 20 ms);
#  2. the per-stage split, from inside the process, and the size of each file
#     (targets: packet.pdf ≤ 160 KB, a single form ≤ 70 KB);
#  3. 1,000 packets made by one process on all cores (target: ≤ 8 s);
#  4. typst on the same kind of page, when its Python binding is installed
#     (`pip install typst`), as a ratio.
# Uses hyperfine when installed (Debian: apt-get install hyperfine), else a timed loop.
# Runs at `nice` priority; other load on the machine still shows in the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/johas-claim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=${JOHAS_BENCH_RUNS:-50}
one="$bin packet examples/sangyoui-rouan.toml -o $out/p --force --today 2026-11-21"

# Median wall time of a command in ms, by hyperfine or by a loop of `date +%s%N`.
median_ms() {
  if command -v hyperfine >/dev/null; then
    nice hyperfine -N --warmup 5 --runs "$runs" --export-json "$out/h.json" "$1" >/dev/null 2>&1
    python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print('%.1f' % (r['median']*1e3))" "$out/h.json"
  else
    for _ in 1 2 3 4 5; do $1 >/dev/null 2>&1 || true; done
    for _ in $(seq "$runs"); do
      s=$(date +%s%N); $1 >/dev/null 2>&1 || true; e=$(date +%s%N)
      echo $(((e - s) / 1000))
    done | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f\n", m/1000}'
  fi
}

tool=$(command -v hyperfine >/dev/null && echo hyperfine || echo "date loop")
ms=$(median_ms "$one")
echo "one packet, whole process: median $ms ms ($runs runs, $tool)"

# typst, if its Python binding is there: the same six-page order of magnitude is not
# reproduced here; one page of Japanese in IPAex Mincho, compiled by a fresh process.
if python3 -c 'import typst' 2>/dev/null; then
  cat >"$out/page.typ" <<'TYP'
#set page(paper: "a4")
#set text(font: "IPAexMincho", lang: "ja", size: 10.5pt)
= 様式第1号 産業医活動助成金支給申請書
#for i in range(38) [株式会社サンプル製作所 東京工場 令和7年4月1日から令和8年3月31日まで 金 100,000円 \ ]
TYP
  py="import typst,sys; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=['fonts'])"
  tms=$(median_ms "python3 -c \"$py\" $out/page.typ $out/page.pdf")
  echo "typst (python binding), one page, whole process: median $tms ms; johas-claim/typst = $(python3 -c "print('%.2f' % ($ms/$tms))")"
else
  echo "typst: python binding not installed (pip install typst), skipped"
fi

# Sizes, stages and 1,000 packets (benches/packets.rs).
nice cargo bench --quiet --bench packets 2>/dev/null | grep -E '^(sizes|packets|stage):'
