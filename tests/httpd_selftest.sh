#!/usr/bin/env bash
#
# Self-test of tests/httpd.c, the loopback server behind the integration
# tests and the network fault matrix. Starts it on an ephemeral port with a
# temporary root, checks the routes the other tests lean on, then stops it
# and checks that no process is left behind.
#
# Usage: tests/httpd_selftest.sh
#   HTTPD=path  use this server binary instead of building one
#   CC=cc       compiler used to build it
# Exit: 0 all passed, 1 a check failed, 77 skipped (no curl).

set -u

if ! command -v curl >/dev/null 2>&1; then
    echo "httpd: skipped (curl not installed)"
    exit 77
fi

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
work=$(mktemp -d "${TMPDIR:-/tmp}/httpd-selftest.XXXXXX")
passed=0
failed=0
server_pid=
child_pids=()

cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT

check() { # check NAME CONDITION-STATUS [DETAIL]
    if [ "$2" -eq 0 ]; then
        echo "ok   $1"
        passed=$((passed + 1))
    else
        echo "FAIL $1${3:+: $3}"
        failed=$((failed + 1))
    fi
}

# Children of a pid, from the portable ps columns.
children_of() {
    ps -e -o pid= -o ppid= | awk -v p="$1" '$2 == p { print $1 }'
}

alive() {
    local pid
    for pid in "$@"; do
        # A zombie waiting for init counts as gone.
        if kill -0 "$pid" 2>/dev/null &&
            [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" != Z ]; then
            return 0
        fi
    done
    return 1
}

# start_server MAX_SECONDS: sets server_pid and base, or exits.
start_server() {
    rm -f "$work/port"
    "$httpd" --root "$work/root" --port-file "$work/port" \
        --max-seconds "$1" --log "$work/log" >"$work/stdout" 2>"$work/stderr" &
    server_pid=$!
    for _ in $(seq 100); do
        [ -s "$work/port" ] && break
        sleep 0.05
    done
    if [ ! -s "$work/port" ]; then
        echo "httpd: server did not start: $(cat "$work/stderr")"
        exit 1
    fi
    base="http://127.0.0.1:$(cat "$work/port")"
}

# Header value of NAME in a curl -D dump (case-insensitive, CR stripped).
header() {
    tr -d '\r' <"$1" | awk -v n="$2" '
        tolower($0) ~ "^" tolower(n) ":" { sub(/^[^:]*: */, ""); print; exit }'
}

httpd=${HTTPD:-}
if [ -z "$httpd" ]; then
    httpd=$work/httpd
    if ! ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O1 \
        "$repo/tests/httpd.c" -o "$httpd"; then
        echo "httpd: cannot build the server"
        exit 1
    fi
fi

mkdir -p "$work/root"
printf '{"version":"https://jsonfeed.org/version/1.1","items":[]}\n' \
    >"$work/root/feed.json"
touch -d '2024-03-01 12:00:00 UTC' "$work/root/feed.json"
start_server 30

# 1. A file: status, body and type.
code=$(curl -s -o "$work/body" -D "$work/head" -w '%{http_code}' \
    "$base/files/feed.json")
cmp -s "$work/body" "$work/root/feed.json"
check "files: 200 and the file's bytes" $(( $? != 0 || code != 200 )) \
    "status $code"
etag=$(header "$work/head" ETag)
last_modified=$(header "$work/head" Last-Modified)

# 2. The ETag it gave comes back as If-None-Match: 304 without a body.
rm -f "$work/body" # curl leaves the old file when no body arrives
code=$(curl -s -o "$work/body" -w '%{http_code}' \
    -H "If-None-Match: $etag" "$base/files/feed.json")
[ -n "$etag" ] && [ "$code" = 304 ] && [ ! -s "$work/body" ]
check "files: If-None-Match $etag gives 304" $? "status $code"

# 3. Last-Modified is the mtime; sent back as If-Modified-Since: 304.
code=$(curl -s -o /dev/null -w '%{http_code}' \
    -H "If-Modified-Since: $last_modified" "$base/files/feed.json")
[ "$last_modified" = "Fri, 01 Mar 2024 12:00:00 GMT" ] && [ "$code" = 304 ]
check "files: If-Modified-Since gives 304" $? \
    "Last-Modified '$last_modified', status $code"

# 4. An error status with Retry-After and the JSON error body.
code=$(curl -s -o "$work/body" -D "$work/head" -w '%{http_code}' \
    "$base/status/503?retry_after=120")
retry=$(header "$work/head" Retry-After)
[ "$code" = 503 ] && [ "$retry" = 120 ] &&
    grep -q '"message":"status 503"' "$work/body"
check "status: 503 with Retry-After: 120" $? "status $code, '$retry'"

# 5. Two redirects, then the file.
out=$(curl -s -L -o "$work/body" -w '%{http_code} %{num_redirects}' \
    "$base/redirect/2/feed.json")
cmp -s "$work/body" "$work/root/feed.json" && [ "$out" = "200 2" ]
check "redirect: /redirect/2 follows 2 hops to the file" $? "$out"

# 6. Exactly the announced number of bytes.
out=$(curl -s -w '%{http_code} %{size_download}' -o /dev/null "$base/big/1000")
[ "$out" = "200 1000" ]
check "big: /big/1000 sends 1000 bytes" $? "$out"

# 7. The captive portal is HTML, not JSON.
type=$(curl -s -o /dev/null -w '%{content_type}' "$base/html")
case $type in text/html*) ok=0 ;; *) ok=1 ;; esac
check "html: text/html content type" $ok "'$type'"

# 8. The gzip bomb is small on the wire and inflates, through the zlib that
# libcurl uses (which checks distances and the CRC), to 200 MB.
wire=$(curl -s "$base/gzip-bomb" | wc -c)
inflated=$(set -o pipefail; curl -s --compressed "$base/gzip-bomb" | wc -c)
rc=$?
[ "$wire" -lt 300000 ] && [ "$rc" -eq 0 ] && [ "$inflated" -eq 200000000 ]
check "gzip-bomb: $wire bytes inflate to 200000000" $? \
    "curl exit $rc, got $inflated"

# 9. ".." cannot leave the root.
code=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' \
    "$base/files/../root/feed.json")
[ "$code" = 403 ]
check "files: .. is refused with 403" $? "status $code"

# 10. A stalled response leaves a live child; SIGTERM must end it too.
curl -s -m 30 -o /dev/null "$base/stall/feed.json" &
curl_pid=$!
sleep 0.5
mapfile -t child_pids < <(children_of "$server_pid")
kill -TERM "$server_pid"
wait "$server_pid"
rc=$?
server_pid=
sleep 0.2
wait "$curl_pid" 2>/dev/null
! alive "${child_pids[@]}" && [ "${#child_pids[@]}" -gt 0 ] && [ "$rc" -eq 0 ]
check "shutdown: SIGTERM exits 0 and kills the stalled child" $? \
    "exit $rc, children '${child_pids[*]}'"

# 11. --max-seconds ends the server, and its children, by itself.
start_server 1
curl -s -m 30 -o /dev/null "$base/chunked-endless" &
curl_pid=$!
sleep 0.5
mapfile -t child_pids < <(children_of "$server_pid")
for _ in $(seq 60); do
    alive "$server_pid" || break
    sleep 0.05
done
wait "$server_pid"
rc=$?
gone_pid=$server_pid
server_pid=
wait "$curl_pid" 2>/dev/null
! alive "$gone_pid" "${child_pids[@]}" && [ "${#child_pids[@]}" -gt 0 ] &&
    [ "$rc" -eq 0 ]
check "shutdown: --max-seconds 1 exits 0 and kills the endless child" $? \
    "exit $rc, children '${child_pids[*]}'"

# 12. The request log has one line per request with the validators.
grep -q "^GET	/files/feed.json	$etag	-	304\$" "$work/log" &&
    grep -q "^GET	/status/503	-	-	503\$" "$work/log"
check "log: method, path, validators and status per request" $?

echo "httpd: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
