#!/usr/bin/env bash
# Measures the eBPF engine against the program alone, strace -f and the
# ptrace engine, in one run, on three workloads:
#   dd     dd if=/dev/zero of=/dev/null bs=1 count=50000 (100 000 syscalls)
#   threads  8 threads making 20 000 calls each (bench/threads.c)
#   forkexec 200 fork + exec /bin/true + wait (pkg/tracer/testdata/forkexec.c)
# Each figure is the median wall time of RUNS runs (default 5), gtrace and
# strace writing their trace to a file. For dd it also gives dd's own
# time (dd's "copied, ... s"), which leaves out gtrace's start-up, and
# checks that every one of the 50 000 reads is in the eBPF trace.
#
# Needs root (the eBPF engine), strace, gcc and go. Usage: bench/ebpf.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

CGO_ENABLED=0 go build -o "$tmp/gtrace" .
gcc -O2 -pthread -o "$tmp/threads" bench/threads.c
gcc -O2 -o "$tmp/forkexec" pkg/tracer/testdata/forkexec.c

# seconds prints the wall time of a command in seconds.
seconds() {
	local start end
	start=$(date +%s%N)
	"$@" >/dev/null 2>"$tmp/stderr" || true
	end=$(date +%s%N)
	awk -v ns=$((end - start)) 'BEGIN { printf "%.4f\n", ns / 1e9 }'
}

# median prints the median of the numbers on standard input.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure NAME CMD...: median wall time of CMD over $runs runs; for dd,
# also the median of dd's own time (from its stderr, or from the trace
# file's program output when gtrace runs it).
measure() {
	local name=$1
	shift
	: >"$tmp/wall" >"$tmp/self" >"$tmp/lost"
	for _ in $(seq "$runs"); do
		seconds "$@" >>"$tmp/wall"
		sed -n 's/.*copied, \([0-9.]*\) s.*/\1/p' "$tmp/stderr" >>"$tmp/self"
		sed -n 's/^gtrace: \([0-9]*\) events lost.*/\1/p' "$tmp/stderr" >>"$tmp/lost"
	done
	sort -g "$tmp/lost" | tail -1 >"$tmp/$name.lost"
	wall=$(median <"$tmp/wall")
	self=$(median <"$tmp/self")
	printf '%s\n' "$wall" >"$tmp/$name.wall"
	printf '%s\n' "${self:-}" >"$tmp/$name.self"
}

dd_cmd=(dd if=/dev/zero of=/dev/null bs=1 count=50000)
row() {
	local work=$1
	shift
	measure "$work-native" "$@"
	measure "$work-ebpf" "$tmp/gtrace" --engine=ebpf -f -o "$tmp/$work.ebpf.trace" "$@"
	measure "$work-ptrace" "$tmp/gtrace" --engine=ptrace -f -o "$tmp/$work.ptrace.trace" "$@"
	measure "$work-strace" strace -f -o "$tmp/$work.strace.trace" "$@"
}

row dd "${dd_cmd[@]}"
row threads "$tmp/threads"
row forkexec "$tmp/forkexec" 200

reads=$(grep -c 'read(0, "\\0", 1) *= 1$' "$tmp/dd.ebpf.trace" || true)

echo "gtrace eBPF engine benchmark ($(uname -r), $(nproc) CPUs, median of $runs runs, wall seconds)"
printf '%-9s %9s %9s %9s %9s %11s %13s\n' workload native ebpf ptrace strace ebpf/native strace/ebpf
for w in dd threads forkexec; do
	n=$(cat "$tmp/$w-native.wall") e=$(cat "$tmp/$w-ebpf.wall") p=$(cat "$tmp/$w-ptrace.wall") s=$(cat "$tmp/$w-strace.wall")
	awk -v w="$w" -v n="$n" -v e="$e" -v p="$p" -v s="$s" \
		'BEGIN { printf "%-9s %9.4f %9.4f %9.4f %9.4f %10.1fx %12.1fx\n", w, n, e, p, s, e / n, s / e }'
done
n=$(cat "$tmp/dd-native.self") e=$(cat "$tmp/dd-ebpf.self") s=$(cat "$tmp/dd-strace.self")
awk -v n="$n" -v e="$e" -v s="$s" \
	'BEGIN { printf "time dd reports itself: native %.4f s, under ebpf %.4f s (%.1fx), under strace %.4f s (%.1fx)\n", n, e, e / n, s, s / n }'
echo "reads of dd in the eBPF trace: $reads of 50000"
for w in dd threads forkexec; do
	lost=$(cat "$tmp/$w-ebpf.lost")
	printf 'events the eBPF engine lost on %s (worst run): %s\n' "$w" "${lost:-0}"
done
