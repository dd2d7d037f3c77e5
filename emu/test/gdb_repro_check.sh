#!/bin/sh
# `fwfuzz repro TARGET CASE --gdb` on a whole image, driven by gdb-multiarch
# in batch mode: a breakpoint on FUNCTION is hit from the post-boot
# snapshot, and continuing ends in the finding's signal.
#   gdb_repro_check.sh FWFUZZ TARGET CASE IMAGE FUNCTION WORK GDB
set -u
. "$(dirname "$0")/gdb_port.sh"
fw=$1 target=$2 case=$3 image=$4 func=$5 work=$6 gdb=${7:-}
case "$gdb" in
"" | *-NOTFOUND)
    echo "SKIP: gdb-multiarch was not found at configure time"
    exit 77
    ;;
esac
fail() {
    echo "FAIL: $*"
    echo "--- gdb:"; cat "$work/gdb.out" 2>/dev/null
    echo "--- repro:"; cat "$work/repro.err" 2>/dev/null
    exit 1
}
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
grep -Eq "^Breakpoint 1, .*$func" "$work/gdb.out" || fail "no stop in $func"
grep -Eq '^Program received signal SIG(ABRT|SEGV)' "$work/gdb.out" ||
    fail "no signal at the finding"
echo "PASS: $target under gdb-multiarch: breakpoint in $func, then the finding"
