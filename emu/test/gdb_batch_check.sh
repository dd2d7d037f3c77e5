#!/bin/sh
# gdb-multiarch in batch mode against the replay's GDB stub (--gdb 0): a
# breakpoint, a register, a variable, a step, and the stop at the NULL read
# of c_inner (emu/test/data/tiny.c) with SIGSEGV at its PC.
#   gdb_batch_check.sh REPLAY SRCDIR WORK GDB
# REPLAY: fwfuzz_emu_replay; SRCDIR: the source tree (gdb finds tiny.c from
# there); GDB: gdb-multiarch as configure found it ("" or *-NOTFOUND: skip,
# exit 77).
set -u
. "$(dirname "$0")/gdb_common.sh"
replay=$1 src=$2 work=$3 log=replay.err
gdb_need "${4:-}"
gdb=$4
mkdir -p "$work" && rm -f "$work/gdb.out" "$work/replay.err" || exit 1
printf 'N\010' >"$work/null.bin"
cd "$src" || exit 1
image=emu/test/data/progs.elf
FWFUZZ_EMU_IMAGE=$image \
    FWFUZZ_EMU_BOARD=corpora/emu_board/seed/emu-test.json \
    FWFUZZ_EMU_ENTRY=c_entry \
    "$replay" --gdb 0 "$work/null.bin" 2>"$work/replay.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
port=$(gdb_port "$work/replay.err" "$pid")
[ -n "$port" ] || fail "the replay printed no port"
grep -q "attach with: gdb-multiarch $image -ex 'target remote :$port'" \
    "$work/replay.err" || fail "no attach line"
timeout 120 "$gdb" -batch -nx "$image" \
    -ex "target remote :$port" -ex 'break c_inner' -ex continue \
    -ex 'info registers pc' -ex 'print n' -ex step -ex continue \
    >"$work/gdb.out" 2>&1 || fail "gdb exited with $?"
wait "$pid"
rc=$?
trap - EXIT
expect '^Breakpoint 1, c_inner \(p=0x60000ffe .*n=2\) at emu/test/data/tiny\.c:12$' gdb.out
expect '^pc +0x8000158 +0x8000158 <c_inner>$' gdb.out
expect '^\$1 = 2$' gdb.out
expect "^13[[:space:]]+if \(n > 1 && p\[0\] == 'N'\)" gdb.out
expect '^Program received signal SIGSEGV, Segmentation fault\.$' gdb.out
expect '^0x08000168 in c_inner \(.*\) at emu/test/data/tiny\.c:14$' gdb.out
expect '^==FWFUZZ-EMU== null-deref at c_inner emu/test/data/tiny\.c:14$' replay.err
expect '^  pc 0x08000168 in c_inner emu/test/data/tiny\.c:14$' replay.err
[ "$rc" -eq 1 ] || fail "replay exited with $rc, expected 1 (a finding)"
echo "gdb batch session: breakpoint, pc, n, step, SIGSEGV at 0x08000168"
