#!/usr/bin/env bash
# speed.sh: full tracing, gtrace against strace, in one run. For each
# workload it times the program alone, under strace -f, and under gtrace
# -f three ways: without the idle-CPU latency request (--poll-idle=false),
# as it runs by default, and with --colocate (tracer and program on one
# CPU), each writing its trace to a file, and prints the ratios:
#   gtrace/strace   below 1 means gtrace is faster (target <= 0.9,
#                   <= 0.8 for fork/exec)
#   strace/gtrace   how many times faster gtrace is
#   strace/colocate how many times faster --colocate is (target >= 5)
# Workloads: dd bs=1 count=20000 (40 000 syscalls), a shell loop of 300
# /bin/true, find /usr/share -type f, and 8 threads making 2 000 calls
# each (bench/threads.c). --poll-idle needs root (it is skipped
# otherwise, and the two middle columns then agree).
#   RUNS=3 bench/speed.sh      (best of RUNS runs, default 3)
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -pthread -o "$tmp/threads" "$bench_root/bench/threads.c"

# row NAME CMD...: one line of the table.
row() {
	local name=$1
	shift
	local native st np gt co
	native=$(seconds "$@")
	st=$(seconds strace -f -o "$tmp/trace" "$@")
	np=$(seconds "$GTRACE" -f --poll-idle=false -o "$tmp/trace" "$@")
	gt=$(seconds "$GTRACE" -f -o "$tmp/trace" "$@")
	co=$(seconds "$GTRACE" -f --colocate -o "$tmp/trace" "$@")
	printf '%-22s %7s %7s %8s %7s %8s %14s %14s %16s\n' "$name" "$native" "$st" "$np" "$gt" "$co" \
		"$(ratio "$gt" "$st")" "$(ratio "$st" "$gt")" "$(ratio "$st" "$co")"
}

printf '%-22s %7s %7s %8s %7s %8s %14s %14s %16s\n' workload native strace "no-poll" gtrace colocate gtrace/strace strace/gtrace strace/colocate
row "dd bs=1 count=20000" dd if=/dev/zero of=/dev/null bs=1 count=20000
row "300 x /bin/true" sh -c 'i=0; while [ $i -lt 300 ]; do /bin/true; i=$((i+1)); done'
row "find /usr/share" find /usr/share -type f
row "8 threads x 4000" "$tmp/threads" 2000
printf '(seconds, best of %s runs; %s CPUs)\n' "${RUNS:-3}" "$(nproc)"
