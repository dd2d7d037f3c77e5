#!/bin/sh
# Builds the test image progs.elf (and progs-stripped.elf) from progs.s and
# tiny.c, and copies them to the ELF loader's seed corpus. Run from any
# directory after changing the sources; check the outputs in.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here" # the compilation directory is recorded in the DWARF
seeds="$here/../../../corpora/emu_elf_loader/seed"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags="-mcpu=cortex-m4 -mthumb"
arm-none-eabi-as $flags -g --debug-prefix-map "$here"=emu/test/data -o "$tmp/progs.o" "$here/progs.s"
arm-none-eabi-gcc $flags -O1 -g -ffreestanding -fno-pic \
    -fdebug-prefix-map="$here"=emu/test/data -c -o "$tmp/tiny.o" "$here/tiny.c"
arm-none-eabi-ld -T "$here/progs.ld" -o "$here/progs.elf" \
    "$tmp/progs.o" "$tmp/tiny.o"
arm-none-eabi-strip -o "$here/progs-stripped.elf" "$here/progs.elf"
mkdir -p "$seeds"
cp "$here/progs.elf" "$seeds/progs.elf"
cp "$here/progs-stripped.elf" "$seeds/progs-stripped.elf"
