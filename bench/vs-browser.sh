#!/bin/sh
# vs-browser.sh: newswire side by side with a browser kiosk showing the same
# news. The same 200 stories and the same 1920x1080 layout (rotating cards
# with a fade, the crawl, the clock) run once as a web page (bench/kiosk.*)
# in Debian's Chromium in kiosk mode and once in newswire, each for
# SECONDS (default 30) under one Xvfb at 1920x1080, one after the other.
# Both draw with the CPU: Chromium with --disable-gpu (software
# compositing), newswire with SDL's software renderer. For each it prints
# the CPU seconds of the app (all its processes) and of the X server, the
# proportional set size summed over the app's processes
# (/proc/PID/smaps_rollup), and the frames shown (newswire: --stats;
# Chromium: requestAnimationFrame callbacks counted by the page), then the
# ratios, and a Markdown table for the README.
#
# Usage: bench/vs-browser.sh [SECONDS]   (from the repository root; installs
# chromium, xvfb and x11-utils with apt-get when they are missing)
set -eu
cd "$(dirname "$0")/.."
secs=${1:-30}
out=build/vs-browser
clock=2026-01-01T09:00:00Z
clock_s=1767258000
export TZ=UTC LC_ALL=C

need=
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v Xvfb >/dev/null 2>&1 || need="$need xvfb"
command -v xwininfo >/dev/null 2>&1 || need="$need x11-utils"
if [ -n "$need" ]; then
    sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "vs-browser: installing:$need"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
        --no-install-recommends $need
fi

make --no-print-directory all build/bench/bench_frame >/dev/null
rm -rf "$out"
mkdir -p "$out/fonts" "$out/profile"
build/bench/bench_frame write-feed 200 >"$out/stories-200.json"
feed="file://$(pwd)/$out/stories-200.json"
set -- -c /dev/null --clock "$clock" --set filter.max_stories=200 \
    --feed "$feed"

# The page gets exactly the stories newswire shows: its own --dump-feed.
{
    echo "window.CLOCK_BASE_S = $clock_s;"
    echo "window.STORIES = ["
    build/newswire "$@" --dump-feed | sed '$!s/$/,/'
    echo "];"
} >"$out/stories.js"
cp bench/kiosk.html bench/kiosk.css bench/kiosk.js "$out/"
cp fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf "$out/fonts/"

# ---- measuring processes through /proc ----

# The PID and all its descendants.
tree() {
    awk -v root="$1" '
        FNR == 1 {
            line = $0
            sub(/.*\) /, "", line)
            split(line, f, " ")
            pid = FILENAME
            gsub(/[^0-9]/, "", pid)
            parent[pid] = f[2]
        }
        END {
            keep[root] = 1
            do {
                added = 0
                for (p in parent)
                    if (!(p in keep) && (parent[p] in keep)) {
                        keep[p] = 1
                        added = 1
                    }
            } while (added)
            for (p in keep)
                print p
        }' /proc/[0-9]*/stat 2>/dev/null
}

# CPU clock ticks of the PIDs given (utime + stime + cutime + cstime: the
# children they reaped count too).
ticks() {
    for p in "$@"; do
        sed 's/.*) //' "/proc/$p/stat" 2>/dev/null
    done | awk '{ t += $12 + $13 + $14 + $15 } END { print t + 0 }'
}

# PSS in kB summed over the PIDs given.
pss_kb() {
    for p in "$@"; do
        cat "/proc/$p/smaps_rollup" 2>/dev/null
    done | awk '/^Pss:/ { k += $2 } END { print k + 0 }'
}

hz=$(getconf CLK_TCK)
cpu_s() {
    awk -v t="$1" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'
}

# ---- one X server for both ----

display=99
while [ -e "/tmp/.X$display-lock" ]; do
    display=$((display + 1))
done
Xvfb ":$display" -screen 0 1920x1080x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xpid=$!
trap 'kill $xpid 2>/dev/null || true' EXIT INT TERM
export DISPLAY=":$display"
for _ in $(seq 50); do
    xwininfo -root >/dev/null 2>&1 && break
    sleep 0.1
done

# measure NAME PID: samples the app and the X server SECONDS after the
# start; sets the result variables NAME_app, NAME_x, NAME_pss, NAME_xpss.
measure() {
    sleep "$secs"
    # shellcheck disable=SC2046
    set -- "$1" $(tree "$2")
    name=$1
    shift
    app=$(ticks "$@")
    x=$(($(ticks "$xpid") - x0))
    eval "${name}_app=$app ${name}_x=$x"
    eval "${name}_pss=$(pss_kb "$@") ${name}_xpss=$(pss_kb "$xpid")"
}

# Chromium as a kiosk. As root it needs --no-sandbox; background networking
# and the other start-up fetches are off, since they only reach out.
x0=$(ticks "$xpid")
user=
[ "$(id -u)" = 0 ] && user=--no-sandbox
# shellcheck disable=SC2086
chromium $user --kiosk --disable-gpu --no-first-run --noerrdialogs \
    --disable-background-networking --disable-component-update \
    --disable-sync --disable-quic --disable-default-apps \
    --disable-features=Translate,MediaRouter --password-store=basic \
    --window-position=0,0 --window-size=1920,1080 \
    --user-data-dir="$(pwd)/$out/profile" \
    "file://$(pwd)/$out/kiosk.html" >"$out/chromium.log" 2>&1 &
cpid=$!
measure browser "$cpid"
browser_frames=$(xwininfo -root -tree |
    sed -n 's/.*newswire-kiosk frames=\([0-9]*\).*/\1/p' | head -n 1)
kill $(tree "$cpid") 2>/dev/null || true
wait "$cpid" 2>/dev/null || true
browser_frames=${browser_frames:-0}

# newswire, full screen on the same X server, software renderer.
x0=$(ticks "$xpid")
build/newswire "$@" --set display.renderer=software --fullscreen \
    --size 1920x1080 --stats >"$out/newswire.stats" 2>"$out/newswire.log" &
npid=$!
measure newswire "$npid"
kill -TERM "$npid"
wait "$npid" || true
newswire_frames=$(sed -n 's/^frames \([0-9]*\),.*/\1/p' "$out/newswire.stats")
newswire_frames=${newswire_frames:-0}
renderer=$(sed -n 's/.*info: \(video driver.*\)/\1/p' "$out/newswire.log")

# ---- report ----

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
echo "vs-browser: $(date -u +%Y-%m-%d), $cpu, $(nproc) cores, ${secs} s each under Xvfb 1920x1080x24"
echo "vs-browser: chromium $(chromium --version 2>/dev/null | sed -n 's/^Chromium \([0-9.]*\).*/\1/p'), --kiosk --disable-gpu; newswire: $renderer"
row() { # NAME LABEL
    eval "app=\$${1}_app x=\$${1}_x pss=\$${1}_pss xpss=\$${1}_xpss \
        frames=\$${1}_frames"
    printf '| %s | %s | %s | %s | %.1f | %.1f | %s | %.1f |\n' "$2" \
        "$(cpu_s "$app")" "$(cpu_s "$x")" "$(cpu_s $((app + x)))" \
        "$(awk -v k="$pss" 'BEGIN { print k / 1024 }')" \
        "$(awk -v k="$xpss" 'BEGIN { print k / 1024 }')" "$frames" \
        "$(awk -v f="$frames" -v s="$secs" 'BEGIN { print f / s }')"
}
echo
echo "| app | CPU s, app | CPU s, X server | CPU s, app + X | PSS MB, app | PSS MB, X server | frames | frames/s |"
echo "|---|---|---|---|---|---|---|---|"
row browser "Chromium kiosk"
row newswire "newswire"
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'
}
cpu_ratio=$(ratio $((browser_app + browser_x)) $((newswire_app + newswire_x)))
pss_ratio=$(ratio "$browser_pss" "$newswire_pss")
echo
echo "browser / newswire: CPU (app + X server) $cpu_ratio x, PSS (app) $pss_ratio x, frames $(ratio "$browser_frames" "$newswire_frames") x"
echo "goal: CPU ratio >= 10 ($(awk -v r="$cpu_ratio" 'BEGIN { print (r >= 10) ? "ok" : "MISSED" }')), PSS ratio >= 15 ($(awk -v r="$pss_ratio" 'BEGIN { print (r >= 15) ? "ok" : "MISSED" }')), newswire at 60 frames/s ($(awk -v f="$newswire_frames" -v s="$secs" 'BEGIN { print (f / s >= 59) ? "ok" : "MISSED" }'))"
