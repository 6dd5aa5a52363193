#!/bin/sh
# install-check: `make install` into a temporary DESTDIR, then the installed
# binary runs headless from there (finding its fonts and demo feed next to
# itself), a second install keeps an edited config, `systemd-analyze verify`
# accepts the installed unit (skipped, and said so, when systemd-analyze is
# absent) and groff reads the man page without a warning. Ends with
# "install-check: N passed, N failed".
dest=$(mktemp -d /tmp/newswire-install-XXXXXX) || exit 1
trap 'rm -rf "$dest"' EXIT INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "[       OK ] $1"; }
bad() { failed=$((failed + 1)); echo "[  FAILED  ] $1"; }
check() { # name, command...
    name=$1
    shift
    if "$@" >"$dest/out.txt" 2>&1; then ok "$name"; else
        bad "$name"
        sed 's/^/    /' "$dest/out.txt" | head -20
    fi
}

root="$dest/root"
if ! make --no-print-directory install DESTDIR="$root" PREFIX=/usr \
    >"$dest/install.txt" 2>&1; then
    cat "$dest/install.txt"
    echo "install-check: 0 passed, 1 failed"
    exit 1
fi
bin="$root/usr/bin/newswire"
conf="$root/etc/newswire/newswire.conf"
unit="$root/usr/lib/systemd/system/newswire.service"

files_present() {
    for f in "$bin" "$conf" "$unit" \
        "$root/usr/share/newswire/fonts/DejaVuSans.ttf" \
        "$root/usr/share/newswire/fonts/DejaVuSans-Bold.ttf" \
        "$root/usr/share/newswire/assets/demo-feed.json" \
        "$root/usr/lib/sysusers.d/newswire.conf" \
        "$root/usr/share/man/man1/newswire.1"; do
        [ -f "$f" ] || { echo "missing $f"; return 1; }
    done
    [ -x "$bin" ] || { echo "$bin is not executable"; return 1; }
}
check "installs binary, fonts, assets, config, unit, sysusers, man page" \
    files_present

unit_paths() {
    grep -qx 'ExecStart=/usr/bin/newswire --fullscreen -c /etc/newswire/newswire.conf' \
        "$unit" || { grep ExecStart "$unit"; return 1; }
}
check "the unit runs the installed binary with the installed config" unit_paths

# The installed binary, run from DESTDIR: no environment pointing at the
# source tree, so fonts and the demo feed come from next to the binary.
run_installed() {
    (cd "$dest" && env -u NEWSWIRE_DATA_DIR "$@")
}
check "the installed config validates" \
    run_installed "$bin" --check-config -c "$conf"

screenshot() {
    run_installed "$bin" -c "$conf" --set control.socket= --headless \
        --clock 2026-01-01T09:00:00Z --at 3 --screenshot "$dest/frame.png" ||
        return 1
    size=$(wc -c <"$dest/frame.png")
    # A frame with text on it; an all-black 1280x720 PNG is a few KB.
    [ "$size" -gt 20000 ] || { echo "frame.png is only $size bytes"; return 1; }
}
check "the installed binary renders the demo feed headless" screenshot

live_run() {
    out=$(run_installed "$bin" -c "$conf" --set control.socket= --headless \
        --exit-after 1 --stats 2>"$dest/stderr.txt") || {
        cat "$dest/stderr.txt"
        return 1
    }
    echo "$out" | grep -q '^frames [1-9]' || { echo "$out"; return 1; }
    grep -q 'video driver dummy' "$dest/stderr.txt" || {
        cat "$dest/stderr.txt"
        return 1
    }
}
check "the installed binary runs its frame loop headless" live_run

keep_config() {
    echo "# edited by the administrator" >>"$conf"
    cp "$conf" "$dest/edited.conf"
    make --no-print-directory install DESTDIR="$root" PREFIX=/usr \
        >"$dest/install2.txt" 2>&1 || { cat "$dest/install2.txt"; return 1; }
    cmp -s "$conf" "$dest/edited.conf" || { echo "config overwritten"; return 1; }
    [ -f "$conf.new" ] || { echo "no $conf.new"; return 1; }
    grep -q "kept $conf" "$dest/install2.txt"
}
check "a second install keeps the edited config" keep_config

if command -v systemd-analyze >/dev/null 2>&1; then
    verify_unit() {
        # verify wants ExecStart to exist: point it at the DESTDIR binary.
        sed "s|^ExecStart=/usr/bin/newswire|ExecStart=$bin|" "$unit" \
            >"$dest/newswire.service"
        out=$(systemd-analyze verify --man=no "$dest/newswire.service" 2>&1)
        rc=$?
        # It exits 0 on unknown keys and bad values; any line is a failure.
        [ $rc -eq 0 ] && [ -z "$out" ] || { echo "$out"; return 1; }
    }
    check "systemd-analyze verify accepts the unit" verify_unit
else
    echo "[  SKIPPED ] systemd-analyze verify: systemd-analyze is not installed"
fi

if command -v systemd-sysusers >/dev/null 2>&1; then
    sysusers() {
        # Into an empty root: creates the user and puts it in the groups.
        mkdir -p "$dest/sysroot/etc"
        : >"$dest/sysroot/etc/passwd"
        : >"$dest/sysroot/etc/group"
        systemd-sysusers --root="$dest/sysroot" \
            "$root/usr/lib/sysusers.d/newswire.conf" || return 1
        grep -q '^newswire:x:[0-9]*:[0-9]*:.*:/usr/sbin/nologin$' \
            "$dest/sysroot/etc/passwd" || return 1
        for g in video render input; do
            grep -q "^$g:x:[0-9]*:newswire\$" "$dest/sysroot/etc/group" ||
                { echo "newswire is not in $g"; cat "$dest/sysroot/etc/group"; return 1; }
        done
    }
    check "systemd-sysusers creates the service user in video, render, input" \
        sysusers
else
    echo "[  SKIPPED ] sysusers check: systemd-sysusers is not installed"
fi

if command -v groff >/dev/null 2>&1; then
    man_page() {
        out=$(groff -man -ww -z -Tutf8 "$root/usr/share/man/man1/newswire.1" 2>&1)
        [ -z "$out" ] || { echo "$out"; return 1; }
        groff -man -Tutf8 -P-cbu "$root/usr/share/man/man1/newswire.1" 2>/dev/null |
            grep -q 'breaking TEXT'
    }
    check "groff reads the man page without warnings" man_page
else
    echo "[  SKIPPED ] man page check: groff is not installed"
fi

echo "install-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
