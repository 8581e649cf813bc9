# Shared helpers for the bench scripts: build gtrace, time commands.
# Source it; it sets GTRACE to a freshly built binary.

set -euo pipefail
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GTRACE=${GTRACE:-}
if [ -z "$GTRACE" ]; then
	GTRACE=$(mktemp -d)/gtrace
	(cd "$bench_root" && CGO_ENABLED=0 go build -o "$GTRACE" .)
fi
command -v strace >/dev/null || { echo "bench: strace is not installed" >&2; exit 1; }

# seconds CMD... prints the best wall time in seconds of $RUNS runs
# (default 3) of CMD, its output discarded.
seconds() {
	local best="" t0 t1 d
	for _ in $(seq "${RUNS:-3}"); do
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || true
		t1=$(date +%s.%N)
		d=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$d < $best" | bc -l)" = 1 ]; then best=$d; fi
	done
	printf '%.3f' "$best"
}

# ratio A B prints A/B with two decimals.
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
