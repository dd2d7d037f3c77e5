#!/bin/sh
# Stands in for afl-fuzz in fwfuzz's end-to-end tests (installed as
# afl-fuzz in a folder put first on PATH). It takes the arguments fwfuzz
# passes (-i IN -o OUT -M main | -S sN ... -- TARGET), writes AFL++'s
# output layout OUT/NAME/{fuzzer_stats,plot_data,queue,crashes,hangs} and
# acts according to the target build's name:
#   fake_afl_crash      saves a crash, then runs until stopped (SIGINT)
#   fake_afl_hang       saves a hang, then runs until stopped
#   fake_afl_interrupt  sends SIGTERM to fwfuzz (its parent), saves a crash,
#                       and one more while it is being stopped
#   fake_afl_queue      adds to the queue an input of its own and one every
#                       instance finds, then ends as at the end of -V
in=""
out=""
name=""
target=""
while [ $# -gt 0 ]; do
    case "$1" in
    -i) in="$2"; shift ;;
    -o) out="$2"; shift ;;
    -M | -S) name="$2"; shift ;;
    -t | -x) shift ;;
    --) target="$2"; break ;;
    esac
    shift
done
if [ -z "$in" ] || [ -z "$out" ] || [ -z "$name" ] || [ -z "$target" ]; then
    echo "[-] PROGRAM ABORT : fake afl-fuzz: bad arguments"
    exit 1
fi
dir="$out/$name"
mkdir -p "$dir/queue" "$dir/crashes" "$dir/hangs" || exit 1
execs=0

stats() {
    cat >"$dir/fuzzer_stats.tmp" <<EOF
start_time        : 1700000000
last_update       : 1700000001
fuzzer_pid        : $$
execs_done        : $execs
execs_per_sec     : 100.00
corpus_count      : $(ls "$dir/queue" | wc -l)
saved_crashes     : $(ls "$dir/crashes" | grep -c '^id:')
saved_hangs       : $(ls "$dir/hangs" | grep -c '^id:')
bitmap_cvg        : 1.50%
edges_found       : 12
total_edges       : 800
EOF
    mv "$dir/fuzzer_stats.tmp" "$dir/fuzzer_stats"
}

# afl-fuzz writes through a temporary name too: fwfuzz may list the
# folder at any moment
put() {
    printf '%s' "$3" >"$dir/$1/.tmp-$2" && mv "$dir/$1/.tmp-$2" "$dir/$1/$2"
}

# Runs until SIGINT (or 10 s, so that a broken fwfuzz fails the test
# instead of hanging it); then runs the command in $on_stop.
wait_for_stop() {
    stopped=0
    trap 'stopped=1' INT
    i=0
    while [ "$stopped" = 0 ] && [ "$i" -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -n "$on_stop" ] && $on_stop
    echo "[+] We're done here. Have a nice day!"
}

echo "[+] fake afl-fuzz $name: -i $in -o $out -- $target"
echo "# relative_time, cycles_done, cur_item, corpus_count, pending_total, pending_favs, map_size, saved_crashes, saved_hangs, max_depth, execs_per_sec, total_execs, edges_found" >"$dir/plot_data"
n=0
for f in "$in"/*; do
    [ -f "$f" ] || continue
    cp "$f" "$dir/queue/id:$(printf '%06d' $n),time:0,execs:0,orig:$(basename "$f")"
    n=$((n + 1))
done
execs=20
stats
echo "[+] All test cases processed."

late_crash() {
    put crashes 'id:000001,sig:11,src:000000,time:30,execs:40,op:havoc,rep:1' 'AFL-LATE'
}

on_stop=""
case "$(basename "$target")" in
fake_afl_crash)
    put crashes 'id:000000,sig:06,src:000000,time:10,execs:20,op:havoc,rep:2' 'AFL-CRASH'
    echo "Fuzzing test case #1 (1 total, 0 crashes saved)" >"$dir/crashes/README.txt"
    wait_for_stop
    ;;
fake_afl_hang)
    put hangs 'id:000000,src:000000,time:10,execs:20,op:havoc,rep:2' 'AFL-HANG'
    wait_for_stop
    ;;
fake_afl_interrupt)
    # give fwfuzz time to reach its supervision loop
    sleep 0.5
    kill -TERM "$PPID"
    put crashes 'id:000000,sig:06,src:000000,time:10,execs:20,op:havoc,rep:2' 'AFL-KILLED'
    on_stop=late_crash
    wait_for_stop
    ;;
fake_afl_queue | fake_afl_lfmerge | fake_afl_lfmergefail)
    put queue "id:$(printf '%06d' $n),src:000000,time:5,execs:10,op:havoc,rep:1,+cov" 'BOTH-NEW'
    put queue "id:$(printf '%06d' $((n + 1))),src:000000,time:6,execs:11,op:havoc,rep:1,+cov" "$name-NEW"
    ;;
*)
    echo "[-] PROGRAM ABORT : fake afl-fuzz: unknown target $target"
    exit 1
    ;;
esac
execs=100
stats
exit 0
