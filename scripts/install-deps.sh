#!/bin/sh
# Install every Debian package fwfuzz needs; skip what is already present.
# Idempotent. Works as root or through sudo.
set -eu

PACKAGES="
build-essential
cmake
make
pkg-config
clang
llvm
lld
libclang-rt-14-dev
clang-format
afl++
gcc-arm-none-eabi
gdb-multiarch
libnewlib-arm-none-eabi
libcmocka-dev
libunicorn-dev
libelf-dev
libdw-dev
libcapstone-dev
libcjson-dev
nettle-dev
lcov
python3
chromium
firmware-microbit-micropython
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: not root and no sudo; install them and retry" >&2
    exit 1
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
