#!/bin/sh
# check-perf: instructions per frame, counted by callgrind for the fixed
# scenario of `bench_frame callgrind` (1920x1080, 200 generated stories, SDL
# dummy driver, software renderer, only the frames themselves instrumented).
# Instruction counts repeat exactly for the same binary and input, unlike
# wall or CPU times, so they can gate CI.
#
#   check-perf.sh BENCH_BIN           compare with bench/baseline.txt; exit 1
#                                     when a phase rises more than 10 % above it
#   check-perf.sh --update BENCH_BIN  rewrite bench/baseline.txt (commit it
#                                     with the reason the count moved)
#   check-perf.sh --report BENCH_BIN  print the figures, never fail
#
# Phases: scene = scene_build alone on a crawl-only frame; crawl = a whole
# crawl-only frame (build, draw, present); card = a frame inside a card fade;
# change = the first visible frame of a new card, whose text is rasterised.
set -eu
mode=check
case ${1:-} in
--update) mode=update; shift ;;
--report) mode=report; shift ;;
esac
bin=${1:?usage: check-perf.sh [--update|--report] BENCH_BIN}
baseline=bench/baseline.txt
tolerance=10 # percent

if ! command -v valgrind >/dev/null 2>&1; then
    echo "check-perf: valgrind is not installed ('make deps' installs it)"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# A fixed, small environment: SDL reads its hints from the environment on
# many calls, so a larger one would move the counts a little.
if ! env -i PATH="$PATH" TZ=UTC LC_ALL=C valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$tmp/cg" "$bin" callgrind >"$tmp/phases" \
    2>"$tmp/log"; then
    cat "$tmp/log"
    echo "check-perf: the callgrind run failed"
    exit 1
fi

# Instructions per frame for phase $1: the dump named after it, divided by
# the frame count bench_frame printed.
per_frame() {
    file=$(grep -l "^desc: Trigger: Client Request: $1\$" "$tmp"/cg.* | head -n 1)
    total=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$file")
    frames=$(sed -n "s/^phase $1 frames \([0-9]*\)\$/\1/p" "$tmp/phases")
    echo $((total / frames))
}

budget_of() {
    case $1 in
    crawl) echo 2500000 ;;
    card) echo 15000000 ;;
    *) echo 0 ;;
    esac
}

describe() {
    case $1 in
    scene) echo "scene_build, crawl-only frame" ;;
    crawl) echo "crawl-only frame" ;;
    card) echo "card-transition frame" ;;
    change) echo "card-change frame (text rasterised)" ;;
    esac
}

phases="scene crawl card change"
if [ "$mode" = update ]; then
    {
        echo "# Instructions per frame for 'make check-perf' (bench/check-perf.sh):"
        echo "# callgrind over 'bench_frame callgrind', 1920x1080, 200 stories,"
        echo "# SDL dummy driver, software renderer, default -O2 build."
        echo "# check-perf fails when a phase rises more than $tolerance % above"
        echo "# its line. Raise a line only in a reviewed commit that says why"
        echo "# ('make perf-baseline' rewrites this file)."
        for p in $phases; do
            echo "$p $(per_frame "$p")"
        done
    } >"$baseline"
    cat "$baseline"
    exit 0
fi

passed=0
failed=0
for p in $phases; do
    n=$(per_frame "$p")
    line=$(printf '%-38s %12d instructions' "$(describe "$p"):" "$n")
    base=$(sed -n "s/^$p \([0-9]*\)\$/\1/p" "$baseline" 2>/dev/null || true)
    if [ -n "$base" ]; then
        # Per mille, in integers: the shell has no floating point.
        delta=$(((n - base) * 1000 / base))
        sign=+
        [ "$delta" -lt 0 ] && sign=- && delta=$((-delta))
        line="$line (baseline $base, $sign$((delta / 10)).$((delta % 10)) %)"
        if [ $((n * 100)) -gt $((base * (100 + tolerance))) ]; then
            line="$line REGRESSION: more than $tolerance % over the baseline"
            failed=$((failed + 1))
        else
            passed=$((passed + 1))
        fi
    else
        line="$line (no baseline)"
        failed=$((failed + 1))
    fi
    budget=$(budget_of "$p")
    if [ "$budget" -gt 0 ]; then
        if [ "$n" -le "$budget" ]; then
            line="$line [budget $budget: ok]"
        else
            line="$line [budget $budget: MISSED]"
        fi
    fi
    echo "check-perf: $line"
done
[ "$mode" = report ] && exit 0
echo "check-perf: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
