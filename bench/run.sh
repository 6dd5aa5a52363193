#!/bin/sh
# bench/run.sh BIN BENCH_BIN: what `make bench` runs. Prints one line per
# figure, each with its budget where the project has one. Headless figures
# use the SDL dummy driver and the software renderer with vsync off at
# 1920x1080; stories come from generated NewsAPI documents (the same text
# on every run). Takes about five minutes on two cores.
set -eu
bin=$1
bench=$2
out=build/bench
mkdir -p "$out"
abs=$(cd "$out" && pwd)
clock=2026-01-01T09:00:00Z
export TZ=UTC LC_ALL=C

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
echo "newswire bench $(date -u +%Y-%m-%d), $cpu, $(nproc) cores"

"$bench" write-feed 200 >"$out/stories-200.json"
"$bench" write-feed 10000 -9800 >"$out/stories-10000.json"

# Frames: throughput, per-frame cost and text counters.
"$bench" frames

# Instructions per frame (callgrind; the same figures `make check-perf`
# compares with bench/baseline.txt).
if command -v valgrind >/dev/null 2>&1; then
    sh bench/check-perf.sh --report "$bench" | sed 's/^check-perf: /instructions per /'
else
    echo "instructions per frame: not measured (valgrind missing; make deps)"
fi

# Start-up of the real binary: exec to the first presented frame and to the
# first frame that shows stories, median of 7 runs after one warm-up run.
common="-c /dev/null --headless --size 1920x1080 --clock $clock \
--set filter.max_stories=200 --set fetch.max_kb=16384"
# Warm cache: one run fills fetch.cache_dir from the feed file, then the
# timed runs start with the feed unreachable, so the stories on the first
# frame come from the offline cache alone.
for n in 200 10000; do
    cache="$abs/startup-cache-$n"
    rm -rf "$cache"
    # shellcheck disable=SC2086
    "$bin" $common --set "fetch.cache_dir=$cache" \
        --feed "file://$abs/stories-$n.json" --exit-after 2 >/dev/null 2>&1
    budget=250
    [ "$n" = 200 ] || budget=400
    printf 'time to first frame, warm cache from a %s-story feed, feed unreachable: ' "$n"
    # shellcheck disable=SC2086
    "$bench" startup 7 "$budget" -- "$bin" $common \
        --set "fetch.cache_dir=$cache" --feed "http://127.0.0.1:9/feed.json"
done

# The real binary for 20 s at 1080p: peak RSS as the app reports it.
# shellcheck disable=SC2086
stats=$("$bin" $common --feed "file://$abs/stories-200.json" --exit-after 20 \
    --stats 2>/dev/null)
rss=$(echo "$stats" | sed -n 's/.*peak rss \([0-9.]*\) MB.*/\1/p')
echo "peak RSS of newswire --headless at 1920x1080, 200 stories, 20 s: $rss MB ($stats)"

# RSS over a simulated day, and the peak.
"$bench" day

# Screen off: measured by the display schedule's own target when the build
# has one.
if make -n bench-idle >/dev/null 2>&1; then
    make --no-print-directory bench-idle
else
    echo "screen off (CPU and wake-ups per second): not available, this build has no display schedule"
fi

# Decode times for the 200- and 10,000-story documents.
if make -n bench-decode >/dev/null 2>&1; then
    make --no-print-directory bench-decode
else
    echo "decode times: not measured here; they come from 'make bench-decode', which this build does not have yet"
fi
