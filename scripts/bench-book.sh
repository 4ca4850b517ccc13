#!/usr/bin/env bash
# Benchmark (not a test): a generated book of N clients (default 300) made from the example
# book, timed for check, packet and deadlines with the release binary; at the end the
# figures side by side. User/system time and peak memory from /usr/bin/time when present.
#   bash scripts/bench-book.sh [N]
set -euo pipefail
n="${1:-300}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${JOHAS_BIN:-$root/target/release/johas-claim}"
[ -x "$bin" ] || cargo build --release --manifest-path "$root/Cargo.toml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
book="$work/book"
mkdir -p "$book"
clients=("$root"/examples/book/*/)
for i in $(seq 1 "$n"); do
  src="${clients[$(( (i - 1) % ${#clients[@]} ))]}"
  dst="$book/$(printf '%03d' "$i")-$(basename "$src")"
  cp -r "$src" "$dst"
  sed -i "s/^name = \"\(.*\)\"/name = \"\1 $(printf '%03d' "$i")\"/" "$dst/client.toml"
done
echo "book: $n clients, $(find "$book" -path '*/claims/*.toml' | wc -l) claims, $(nproc) cores"
export JOHAS_TODAY=2020-10-01
measure() {
  local label="$1"; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "$label: %e s wall, %U s user, %S s system, peak %M KB" "$@" >/dev/null 2>"$work/time" || true
    tail -1 "$work/time" | tee -a "$work/rows"
  else
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
    echo "$label: $(echo "$t1 - $t0" | bc) s wall" | tee -a "$work/rows"
  fi
}
measure check "$bin" check "$book"
measure packet "$bin" packet "$book" -o "$work/out"
measure deadlines "$bin" deadlines "$book" --ics "$work/d.ics"
echo "packets: $(find "$work/out" -name packet.pdf | wc -l)"
# The figures side by side (issue #17's rows for a book: check and packet of N clients).
echo
printf '%-10s | %s\n' "command" "wall, CPU and memory ($n clients, $(nproc) cores)"
sed 's/^\([a-z]*\): /\1\t/' "$work/rows" | while IFS=$'\t' read -r label rest; do
  printf '%-10s | %s\n' "$label" "$rest"
done
