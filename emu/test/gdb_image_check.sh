#!/bin/sh
# gdb-multiarch against the GDB stub on a whole image (test/sys/sys_test.S):
# the run starts where the boot's snapshot is (uart_loop), a breakpoint on
# the planted fault's block stops with the '!' just read in r0, and the
# store through NULL+4 ends in SIGSEGV at its PC.
#   gdb_image_check.sh REPLAY IMAGE BOARD WORK GDB
set -u
. "$(dirname "$0")/gdb_common.sh"
replay=$1 image=$2 board=$3 work=$4 log=replay.err
gdb_need "${5:-}"
gdb=$5
[ -f "$image" ] || { echo "SKIP: $image was not built"; exit 77; }
mkdir -p "$work" && rm -f "$work/gdb.out" "$work/replay.err" || exit 1
printf 'ab!' >"$work/bang.bin"
FWFUZZ_EMU_IMAGE=$image FWFUZZ_EMU_BOARD=$board FWFUZZ_EMU_ENTRY=@reset \
    "$replay" --gdb 0 "$work/bang.bin" 2>"$work/replay.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
port=$(gdb_port "$work/replay.err" "$pid")
[ -n "$port" ] || fail "the replay printed no port"
timeout 120 "$gdb" -batch -nx "$image" \
    -ex "target remote :$port" -ex 'info registers pc' -ex 'break crash' \
    -ex continue -ex 'info registers r0' -ex continue \
    >"$work/gdb.out" 2>&1 || fail "gdb exited with $?"
wait "$pid"
trap - EXIT
expect '^pc +0x8000150 +0x8000150 <uart_loop>$' gdb.out
expect '^Breakpoint 1, 0x0800[0-9a-f]+ in crash \(\)$' gdb.out
expect '^r0 +0x21 +33$' gdb.out
expect '^Program received signal SIGSEGV, Segmentation fault\.$' gdb.out
expect 'null-deref at crash\+0x2' replay.err
expect '^uart output \(3 bytes\):$' replay.err
expect '^  \| ab!$' replay.err
echo "PASS"
