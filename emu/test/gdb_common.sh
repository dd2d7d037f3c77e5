# Sourced by the gdb-multiarch checks. They set work (their folder) and
# log (the stub's stderr, in work) before calling these.

# Exits 77 (a CTest skip) when configure found no gdb-multiarch.
gdb_need() {
    case "$1" in
    "" | *-NOTFOUND)
        echo "SKIP: gdb-multiarch was not found at configure time" \
            "(Debian package gdb-multiarch, scripts/install-deps.sh)"
        exit 77
        ;;
    esac
}

fail() {
    echo "FAIL: $*"
    echo "--- gdb:"; cat "$work/gdb.out" 2>/dev/null
    echo "--- $log:"; cat "$work/$log" 2>/dev/null
    exit 1
}

# expect REGEX FILE: FILE (in work) has a line matching REGEX.
expect() {
    grep -Eq "$1" "$work/$2" || fail "$2 lacks /$1/"
}

# gdb_port ERRFILE PID prints the port the GDB stub listens on, once it
# says so (nothing if it never does, or the process exits first).
gdb_port() {
    for _ in $(seq 100); do
        p=$(sed -n 's/^gdb: listening on 127\.0\.0\.1:\([0-9]*\);.*/\1/p' "$1")
        [ -n "$p" ] && { echo "$p"; return 0; }
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
