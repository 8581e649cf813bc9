#!/usr/bin/env bash
# dd.sh: strace -f against gtrace -f on dd with one-byte blocks (two
# syscalls per byte), in the same run. Prints both times and the ratio
# gtrace/strace (below 1 means gtrace is faster).
#   COUNT=20000 RUNS=3 bench/dd.sh
source "$(dirname "$0")/lib.sh"
count=${COUNT:-20000}
prog=(dd if=/dev/zero of=/dev/null bs=1 count="$count")

native=$(seconds "${prog[@]}")
st=$(seconds strace -f -o /dev/null "${prog[@]}")
gt=$(seconds "$GTRACE" -f -o /dev/null "${prog[@]}")
printf 'dd bs=1 count=%s (best of %s)\n' "$count" "${RUNS:-3}"
printf '  native       %8ss\n' "$native"
printf '  strace -f    %8ss\n' "$st"
printf '  gtrace -f    %8ss   gtrace/strace = %s\n' "$gt" "$(ratio "$gt" "$st")"
