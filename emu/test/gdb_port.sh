# Sourced by the gdb-multiarch checks: gdb_port ERRFILE PID prints the port
# the replay's GDB stub listens on, once it says so (nothing if it never
# does, or the replay exits first).
gdb_port() {
    for _ in $(seq 100); do
        p=$(sed -n 's/^gdb: listening on 127\.0\.0\.1:\([0-9]*\);.*/\1/p' "$1")
        [ -n "$p" ] && { echo "$p"; return 0; }
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
