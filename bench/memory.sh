#!/usr/bin/env bash
# memory.sh: gtrace's peak memory (maximum resident set, from wait4's
# rusage: gtrace's own, or the program's if larger) while tracing
#   - 1000 threads alive at once (testdata/tracees/manythreads.c), and
#   - EVENTS syscalls (default 10 million): 4 threads and 2 processes
#     making getppid calls (testdata/tracees/counts.c), -f -o /dev/null.
# The target is under 64 MiB for both.
#   bench/memory.sh [EVENTS]
source "$(dirname "$0")/lib.sh"
events=${1:-10000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O1 -pthread -o "$tmp/manythreads" "$bench_root/testdata/tracees/manythreads.c"
gcc -O1 -pthread -o "$tmp/counts" "$bench_root/testdata/tracees/counts.c"

# peak CMD...: "SECONDS KIB" of one run of CMD.
peak() { /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1; }

read -r s kib < <(peak "$GTRACE" -f -o /dev/null "$tmp/manythreads" 1000)
printf '%-36s %8s KiB  (%s s)\n' "1000 threads" "$kib" "$s"
per=$(((events + 5) / 6))
read -r s kib < <(peak "$GTRACE" -f --colocate -o /dev/null "$tmp/counts" "$per")
printf '%-36s %8s KiB  (%s s)\n' "$((per * 6)) events" "$kib" "$s"
