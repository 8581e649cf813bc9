#!/usr/bin/env bash
# Filtered tracing cost: bench/syscalls.c (2 threads x N getppid + 1
# socket each) natively, under strace -f --seccomp-bpf -e trace=%network
# and under gtrace -f -c network, in the same run. Prints each wall time
# (best of ROUNDS) and the ratios to native.
#
# usage: bench/run.sh [N] [ROUNDS]     (defaults 300000, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300000}
rounds=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gcc -O2 -pthread -o "$tmp/syscalls" bench/syscalls.c
CGO_ENABLED=0 go build -o "$tmp/gtrace" .

# best TIME_CMD...: the least wall time of $rounds runs, in seconds.
best() {
	local min=
	for _ in $(seq "$rounds"); do
		local t0 t1 dt
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s.%N)
		dt=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$min" ] || [ "$(echo "$dt < $min" | bc -l)" = 1 ]; then min=$dt; fi
	done
	echo "$min"
}

native=$(best "$tmp/syscalls" "$n")
strace=$(best strace -f --seccomp-bpf -e trace=%network -o /dev/null "$tmp/syscalls" "$n")
gtrace=$(best "$tmp/gtrace" -f -c network -o /dev/null "$tmp/syscalls" "$n")

printf '%-44s %8.3f s\n' "native" "$native"
printf '%-44s %8.3f s  %6.2fx native\n' "strace -f --seccomp-bpf -e trace=%network" "$strace" "$(echo "$strace / $native" | bc -l)"
printf '%-44s %8.3f s  %6.2fx native  %6.2fx strace\n' "gtrace -f -c network" "$gtrace" "$(echo "$gtrace / $native" | bc -l)" "$(echo "$gtrace / $strace" | bc -l)"
