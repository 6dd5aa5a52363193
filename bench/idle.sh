#!/bin/sh
# bench/idle.sh [BIN] [SECONDS]: what newswire costs while the display
# schedule has the screen off, next to the same run with the screen on.
# Runs headless (SDL's dummy driver, where SDL itself would poll for events
# at 1 kHz), waits 2 s, then counts over SECONDS (default 10) for all of the
# process's threads: CPU time (from /proc/PID/task/*/schedstat, in ns) and
# wake-ups (voluntary + involuntary context switches); when Xvfb is
# installed, also in kiosk mode on an X server. Prints figures; the
# goal for the screen-off state is at most 10 wake-ups/s and 0.5 % of one
# core.
bin=${1:-build/newswire}
secs=${2:-10}
tmp=$(mktemp -d /tmp/newswire-idle-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# cpu_ns switches threads, summed over the tasks of pid $1
sample() {
    cpu=0
    sw=0
    n=0
    for t in /proc/"$1"/task/*; do
        c=$(cut -d' ' -f1 "$t/schedstat" 2>/dev/null) || continue
        s=$(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status" 2>/dev/null)
        cpu=$((cpu + ${c:-0}))
        sw=$((sw + ${s:-0}))
        n=$((n + 1))
    done
    echo "$cpu $sw $n"
}

measure() { # label, args... (environment from $run_env)
    label=$1
    shift
    env $run_env "$bin" ${mode:---headless} -c /dev/null \
        --set control.socket= "$@" 2>"$tmp/stderr.txt" &
    pid=$!
    sleep 2
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "$label: newswire exited early:"
        cat "$tmp/stderr.txt"
        return 1
    fi
    set -- $(sample "$pid")
    cpu0=$1 sw0=$2
    t0=$(date +%s%N)
    sleep "$secs"
    set -- $(sample "$pid")
    cpu1=$1 sw1=$2 threads=$3
    t1=$(date +%s%N)
    kill "$pid"
    wait "$pid" 2>/dev/null
    awk -v l="$label" -v c=$((cpu1 - cpu0)) -v s=$((sw1 - sw0)) \
        -v t=$((t1 - t0)) -v n="$threads" 'BEGIN {
        printf "%-34s %7.2f wake-ups/s  %7.3f %% of one core  (%d threads, %.1f s)\n",
               l ":", s / (t / 1e9), 100 * c / t, n, t / 1e9 }'
}

off=""
for d in mon tue wed thu fri sat sun; do
    off="$off --set schedule.$d=off"
done
echo "newswire idle cost (headless unless stated), over $secs s after a 2 s warm-up"
run_env=
# shellcheck disable=SC2086
measure "screen off by schedule" $off
# Pings every 10 s; NOTIFY_SOCKET leads nowhere, which costs the same.
run_env="WATCHDOG_USEC=30000000 NOTIFY_SOCKET=$tmp/notify.sock"
# shellcheck disable=SC2086
measure "screen off, systemd watchdog 30 s" $off
run_env=
measure "screen on, 1280x720 (for comparison)" --size 1280x720

# The same in kiosk mode on an X server, when Xvfb is installed.
if command -v Xvfb >/dev/null 2>&1; then
    n=90
    while [ -e "/tmp/.X$n-lock" ] && [ $n -lt 99 ]; do n=$((n + 1)); done
    Xvfb ":$n" -screen 0 1280x720x24 >/dev/null 2>&1 &
    xpid=$!
    sleep 1
    run_env="DISPLAY=:$n"
    mode=--fullscreen
    # shellcheck disable=SC2086
    measure "X11 kiosk mode, screen off" $off
    kill "$xpid"
    wait "$xpid" 2>/dev/null
fi
