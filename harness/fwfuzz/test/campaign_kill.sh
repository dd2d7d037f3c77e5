#!/bin/bash
# e2e/fwfuzz-campaign-kill: kill -9 a short campaign at several moments
# (while fuzzing, and during the corpus merge), each time checking that no
# process it started is left (real afl-fuzz and libFuzzer with their fork
# servers and fork-mode jobs, and a fake engine that leaves a child behind
# in its process group, as libFuzzer's shell-started merge does), that no
# corpus entry or finding saved before the kill is gone or truncated, and
# that merged/ is whole; then a campaign runs to its end on what is left.
#   campaign_kill.sh FWFUZZ MANIFEST WORK FAKE_DIR TARGET...
set -u
export LC_ALL=C
fw=$1 manifest=$2 work=$3 fake=$4
shift 4
targets=("$@")
token="fwfuzz-kill-test-$$-$RANDOM"
rm -rf "$work"
mkdir -p "$work"
fail() {
    echo "FAIL: $*"
    exit 1
}

for t in "${targets[@]}"; do
    grep -qE "\"name\" *: *\"$t\"" "$manifest" || {
        echo "SKIP: $t is not in $manifest (not built)"
        exit 77
    }
done

# the real targets, and fake_spawn (its engine leaves a sleeping child)
extra="{\"name\": \"fake_spawn\", \"component\": \"fake\", \"source\": \"/x.c\", \"corpus\": \"@CORPORA@/fake_spawn\", \"dict\": null, \"afl\": null, \"libfuzzer\": \"$fake/fake_spawn_libfuzzer\", \"replay\": \"$fake/fake_replay\", \"options\": null}"
cmake -DIN="$manifest" -DOUT="$work/manifest.json" \
    "-DTARGETS=$(
        IFS=';'
        echo "${targets[*]}"
    )" \
    -DCORPORA="$work/corpora" "-DEXTRA=$extra" \
    -P "$(dirname "$0")/ManifestSubset.cmake" || fail "manifest copy"

start() { # budget
    FWFUZZ_KILL_TEST_TOKEN=$token "$fw" --manifest "$work/manifest.json" run \
        --budget "$1" --jobs 2 --out "$work/fuzz" --reports "$work/reports" \
        >>"$work/campaign.log" 2>&1 &
    pid=$!
}

# path size of every corpus entry, finding and merged input
snapshot() {
    merged_before=$(for c in "$work"/corpora/*; do [ -d "$c/merged" ] && echo "$c"; done)
    find "$work"/fuzz* "$work/corpora" -type f \
        \( -path '*/corpus/*' -o -path '*/findings/*' -o -path '*/merged/*' \) \
        -printf '%p %s\n' 2>/dev/null | sort
}

# processes that carry the token in their environment
leftovers() {
    local e p
    for e in $(grep -las "$token" /proc/[0-9]*/environ); do
        p=${e%/environ}
        echo "  ${p#/proc/}: $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null | head -c 200)"
    done
}

check_after_kill() { # what
    local left i
    for i in $(seq 1 30); do
        left=$(leftovers)
        [ -z "$left" ] && break
        sleep 0.1
    done
    [ -z "$left" ] || fail "$1: processes left after kill -9:
$left"
    find "$work"/fuzz* "$work/corpora" -type f \
        \( -path '*/corpus/*' -o -path '*/findings/*' -o -path '*/merged/*' \) \
        -printf '%p %s\n' 2>/dev/null | sort >"$work/after"
    # every corpus entry and finding from before is still there, same size
    # (merged/ is replaced whole by design: checked below)
    lost=$(grep -v '/merged/' "$work/before" | comm -23 - "$work/after")
    [ -z "$lost" ] || fail "$1: lost or changed (path size):
$lost"
    # content-named files hold the content their name says
    bad=$(find "$work"/fuzz* -type f \( -path '*/corpus/*' -o -path '*/findings/*' \) \
        -print0 | xargs -0 -r sha1sum |
        awk '{ n = $2; sub(/.*\//, "", n); if (n ~ /[0-9a-f]{40}$/ && substr(n, length(n) - 39) != $1) print $2 }')
    [ -z "$bad" ] || fail "$1: truncated or corrupt: $bad"
    # a merged/ that existed is there, or (killed between the two renames)
    # merged.old/ is, which the next campaign puts back
    for c in $merged_before; do
        [ -d "$c/merged" ] || [ -d "$c/merged.old" ] ||
            fail "$1: $c/merged is gone"
    done
    echo "ok: $1: $(grep -c . "$work/after") files kept, no process left"
}

# kill -9 of `fwfuzz fuzz` itself: its engines get SIGTERM from the kernel
# (PR_SET_PDEATHSIG), and what they leave behind is the guard's
for engine in libfuzzer afl; do
    t=fake_spawn
    [ $engine = afl ] && t=${targets[0]}
    FWFUZZ_KILL_TEST_TOKEN=$token "$fw" --manifest "$work/manifest.json" fuzz \
        "$t" --engine $engine --keep-going --time 30 \
        --out "$work/fuzz-$engine" >>"$work/fuzz.log" 2>&1 &
    pid=$!
    sleep 3
    snapshot >"$work/before"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    check_after_kill "kill -9 of fwfuzz fuzz $t --engine $engine"
done

complete() { # what
    : >"$work/campaign.log"
    start 8
    wait "$pid"
    rc=$?
    [ "$rc" = 0 ] || [ "$rc" = 10 ] || {
        cat "$work/campaign.log"
        fail "$1: the campaign exited $rc"
    }
    [ -f "$work/reports/latest/summary.json" ] ||
        fail "$1: no reports/latest/summary.json"
    [ -z "$(leftovers)" ] || fail "$1: processes left after a normal end"
    echo "ok: $1: exit $rc, $(find "$work/fuzz" -path '*/corpus/*' -type f | wc -l) corpus entries, $(find "$work/corpora" -path '*/merged/*' -type f | wc -l) merged"
}

# while fuzzing: soon after the start, and later
for delay in 3 9; do
    start 14
    sleep "$delay"
    snapshot >"$work/before"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    check_after_kill "kill -9 after ${delay} s"
done
complete "a campaign after the kills"
# during the corpus merge, which replaces the merged/ of the last one
: >"$work/campaign.log"
start 6
for i in $(seq 1 600); do
    grep -q "merging the working corpora" "$work/campaign.log" && break
    sleep 0.05
done
sleep 0.3
snapshot >"$work/before"
kill -9 "$pid"
wait "$pid" 2>/dev/null
check_after_kill "kill -9 during the merge"
complete "a campaign after the kill during the merge"
