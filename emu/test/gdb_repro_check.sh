#!/bin/sh
# `fwfuzz repro TARGET CASE --gdb` on a whole image, driven by gdb-multiarch
# in batch mode: a breakpoint on FUNCTION is hit from the post-boot
# snapshot, and continuing ends in the finding's signal.
#   gdb_repro_check.sh FWFUZZ TARGET CASE IMAGE FUNCTION WORK GDB
set -u
. "$(dirname "$0")/gdb_common.sh"
fw=$1 target=$2 case=$3 image=$4 func=$5 work=$6 log=repro.err
gdb_need "${7:-}"
gdb=$7
mkdir -p "$work" && rm -f "$work/gdb.out" "$work/repro.err" || exit 1
"$fw" repro "$target" "$case" --gdb >"$work/repro.out" 2>"$work/repro.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
port=$(gdb_port "$work/repro.err" "$pid")
[ -n "$port" ] || fail "repro printed no port"
timeout 120 "$gdb" -batch -nx "$image" \
    -ex "target remote :$port" -ex "break $func" -ex continue -ex bt \
    -ex continue >"$work/gdb.out" 2>&1 || fail "gdb exited with $?"
wait "$pid"
trap - EXIT
expect "^Breakpoint 1, .*$func" gdb.out
expect '^Program received signal SIG(ABRT|SEGV)' gdb.out
echo "PASS: $target under gdb-multiarch: breakpoint in $func, then the finding"
