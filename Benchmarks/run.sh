#!/usr/bin/env bash
# DeepRelief benchmark: a release build serving a 10,000-patient demo clinic on 127.0.0.1.
#
#   bash Benchmarks/run.sh [--binary PATH] [--fill-binary PATH] [--patients N] [--duration S] [--rate R] [--rate-seconds S]
#                          [--page-runs N] [--port P] [--database PATH --demo-password PW] [--keep]
#
# 1. wrk -t2 -c64 on GET /livez (no database work), the authenticated audited chart read and the patient search,
#    in the same run; ratios to /livez.
# 2. A fixed-rate (open-loop) test of the chart read at 500 requests/s (fixed_rate.py; latency from the scheduled
#    send time, so stalls are not hidden by coordinated omission).
# 3. Every staff page, N timed requests each after warm-up (curl time_starttransfer on loopback, plus the server's
#    own mean from its /metrics histogram).
# 4. Stops the server and runs `deeprelief audit verify` on the database that took the load.
# --fill-binary PATH: fill the demo clinic with another build (e.g. one whose demo filler is fixed), stop it, then
# serve the filled database with --binary for every measurement.
# --database PATH: measure a copy of an already filled demo clinic (PATH and its PATH.auditkey are copied, never
# changed) instead of filling one, which takes 5–10 minutes for 10,000 patients; --demo-password is the password its
# demo sign-ins were given (DEEPRELIEF_DEMO_PASSWORD when it was filled).
# Prints Markdown tables and a pass/fail line per target. Exits non-zero when a step fails (errors, audit chain),
# not when a performance target is missed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"

BINARY=""
FILL_BINARY=""       # optional: another build used only to fill the demo clinic
PATIENTS=10000
DURATION=10          # seconds per wrk run
WARMUP=3             # seconds of wrk warm-up per route
THREADS=2
CONNECTIONS=64
RATE=500
RATE_SECONDS=20
PAGE_RUNS=30
PAGE_WARMUP=3
PORT=""
KEEP=0
FILL_TIMEOUT=2400    # seconds allowed for filling the demo clinic
SOURCE_DB=""         # optional: an already filled clinic to copy
SOURCE_DEMO_PW=""

while [[ $# -gt 0 ]]; do
    case "$1" in
        --binary) BINARY="$2"; shift 2 ;;
        --fill-binary) FILL_BINARY="$2"; shift 2 ;;
        --patients) PATIENTS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --rate-seconds) RATE_SECONDS="$2"; shift 2 ;;
        --page-runs) PAGE_RUNS="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --database) SOURCE_DB="$2"; shift 2 ;;
        --demo-password) SOURCE_DEMO_PW="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n 2,19p "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- tools and binary
if ! command -v wrk >/dev/null 2>&1; then
    log "installing wrk"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi
for tool in curl python3 wrk timeout; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing tool: $tool" >&2; exit 1; }
done

if [[ -z "$BINARY" ]]; then
    log "building release (swift build -c release --product deeprelief) in $ROOT"
    (cd "$ROOT" && swift build -c release --product deeprelief) >&2
    BINARY="$(cd "$ROOT" && swift build -c release --show-bin-path)/deeprelief"
fi
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
[[ -x "$BINARY" ]] || { echo "not executable: $BINARY" >&2; exit 1; }
if [[ -n "$FILL_BINARY" ]]; then
    FILL_BINARY="$(cd "$(dirname "$FILL_BINARY")" && pwd)/$(basename "$FILL_BINARY")"
    [[ -x "$FILL_BINARY" ]] || { echo "not executable: $FILL_BINARY" >&2; exit 1; }
fi

# ---------------------------------------------------------------- server
WORK="$(mktemp -d "${TMPDIR:-/tmp}/deeprelief-bench.XXXXXX")"
DB="$WORK/bench.sqlite"
if [[ -z "$PORT" ]]; then
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
fi
BASE="http://127.0.0.1:$PORT"
ADMIN_PW="bench-admin-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
DEMO_PW="bench-demo-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
if [[ -n "$SOURCE_DB" ]]; then
    [[ -f "$SOURCE_DB" && -f "$SOURCE_DB.auditkey" ]] || { echo "no database (and .auditkey) at $SOURCE_DB" >&2; exit 1; }
    [[ -n "$SOURCE_DEMO_PW" ]] || { echo "--database needs --demo-password" >&2; exit 1; }
    cp "$SOURCE_DB" "$DB"
    cp -p "$SOURCE_DB.auditkey" "$DB.auditkey"
    DEMO_PW="$SOURCE_DEMO_PW"
fi
ADMIN_EMAIL="admin@deeprelief.local"
SERVER_PID=""

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
cleanup() {
    stop_server
    if [[ $KEEP -eq 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() {  # binary — starts it on $DB with --demo and waits until it serves
    local bin="$1" deadline
    (cd "$WORK" && DEEPRELIEF_ADMIN_PASSWORD="$ADMIN_PW" DEEPRELIEF_DEMO_PASSWORD="$DEMO_PW" \
        exec "$bin" serve --host 127.0.0.1 --port "$PORT" --database "$DB" --demo --demo-patients "$PATIENTS") \
        >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    deadline=$(( $(date +%s) + FILL_TIMEOUT ))
    until curl -sf -o /dev/null --max-time 2 "$BASE/health"; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "the server exited during start-up:" >&2; tail -20 "$WORK/server.log" >&2; exit 1
        fi
        if (( $(date +%s) > deadline )); then echo "the server was not ready after ${FILL_TIMEOUT}s" >&2; exit 1; fi
        sleep 1
    done
}

LOAD_START="$(cut -d" " -f1-3 /proc/loadavg)"
log "binary: $BINARY"
START_NS=$(date +%s%N)
if [[ -n "$SOURCE_DB" ]]; then
    # The copied clinic's first admin has a password we do not know: add a benchmark admin to the copy.
    ADMIN_EMAIL="bench.admin@deeprelief.local"
    printf '%s\n' "$ADMIN_PW" | "$BINARY" user add --email "$ADMIN_EMAIL" --role admin --database "$DB" >&2
fi
if [[ -n "$FILL_BINARY" ]]; then
    log "filling the demo clinic ($PATIENTS patients) with $FILL_BINARY"
    start_server "$FILL_BINARY"
else
    log "starting the demo clinic ($PATIENTS patients) on $BASE, database $DB"
    start_server "$BINARY"
fi
READY_S=$(awk -v a="$START_NS" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
FILL_LINE="$(grep -m1 'Demo clinic ready' "$WORK/server.log" || true)"
[[ -n "$SOURCE_DB" ]] && FILL_LINE="a copy of the clinic filled earlier in $SOURCE_DB"
log "ready after ${READY_S}s — ${FILL_LINE}"
if [[ -n "$FILL_BINARY" ]]; then
    stop_server
    log "serving the filled database with $BINARY on $BASE"
    start_server "$BINARY"
fi

# ---------------------------------------------------------------- tokens and ids
api_token() {
    curl -sf --max-time 10 -X POST -H 'Content-Type: application/json' \
        -d "{\"email\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/auth/sign-in" \
        | python3 "$HERE/bench_util.py" json 'd["token"]'
}
TOKEN="$(api_token dr.reyes@deeprelief.local "$DEMO_PW")"
[[ -n "$TOKEN" ]] || { echo "no API token" >&2; exit 1; }
AUTH=(-H "Authorization: Bearer $TOKEN")

IDS="$WORK/ids.txt"
: >"$IDS"
TOTAL="$(curl -sf --max-time 10 "${AUTH[@]}" "$BASE/api/v1/patients?limit=1" | python3 "$HERE/bench_util.py" json 'd["total"]')"
# A few hundred ids from across the list (start, middle, end).
for offset in 0 $(( TOTAL / 3 )) $(( 2 * TOTAL / 3 )); do
    curl -sf --max-time 10 "${AUTH[@]}" "$BASE/api/v1/patients?limit=200&offset=$offset" \
        | python3 "$HERE/bench_util.py" ids >>"$IDS"
done
sort -u "$IDS" -o "$IDS"
log "$TOTAL patients; $(wc -l <"$IDS") ids for the chart read"

# ---------------------------------------------------------------- wrk (closed loop)
CLK_TCK=$(getconf CLK_TCK)
server_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }

declare -A RPS P50 P99 MAXL NON2XX CPU
run_wrk() {  # name seconds script [script args...]
    local name="$1" secs="$2" script="$3"; shift 3
    local out="$WORK/wrk-$name.txt" c0 c1
    c0=$(server_cpu_ticks)
    BENCH_TOKEN="$TOKEN" timeout $(( secs + 30 )) \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 5s -s "$HERE/$script" "$BASE" -- "$@" >"$out" 2>&1 \
        || { echo "wrk failed for $name:" >&2; cat "$out" >&2; exit 1; }
    c1=$(server_cpu_ticks)
    local line; line="$(grep '^WRK_RESULT' "$out")"
    RPS[$name]=$(sed -E 's/.* rps=([^ ]+).*/\1/' <<<"$line")
    P50[$name]=$(sed -E 's/.* p50_ms=([^ ]+).*/\1/' <<<"$line")
    P99[$name]=$(sed -E 's/.* p99_ms=([^ ]+).*/\1/' <<<"$line")
    MAXL[$name]=$(sed -E 's/.* max_ms=([^ ]+).*/\1/' <<<"$line")
    NON2XX[$name]=$(( $(sed -E 's/.* non2xx=([^ ]+).*/\1/' <<<"$line") + $(sed -E 's/.* socket_errors=([^ ]+).*/\1/' <<<"$line") ))
    CPU[$name]=$(awk -v a="$c0" -v b="$c1" -v t="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.2f", (b - a) / t / s }')
    log "$name: ${RPS[$name]} req/s, p50 ${P50[$name]} ms, p99 ${P99[$name]} ms, errors ${NON2XX[$name]}, server CPU ${CPU[$name]} cores"
}

log "warm-up (${WARMUP}s per route)"
run_wrk warm-livez "$WARMUP" livez.lua
run_wrk warm-chart "$WARMUP" chart.lua "$IDS"
run_wrk warm-search "$WARMUP" search.lua

log "measuring: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
run_wrk livez "$DURATION" livez.lua
run_wrk chart "$DURATION" chart.lua "$IDS"
run_wrk search "$DURATION" search.lua
run_wrk livez2 "$DURATION" livez.lua

LIVEZ_RPS=$(awk -v a="${RPS[livez]}" -v b="${RPS[livez2]}" 'BEGIN { printf "%.1f", (a + b) / 2 }')
ratio() { awk -v a="$1" -v b="$LIVEZ_RPS" 'BEGIN { printf "%.1f%%", 100 * a / b }'; }
CHART_RATIO_PCT=$(awk -v a="${RPS[chart]}" -v b="$LIVEZ_RPS" 'BEGIN { printf "%.1f", 100 * a / b }')

# ---------------------------------------------------------------- fixed rate
log "fixed rate: $RATE requests/s on the chart read for ${RATE_SECONDS}s"
FIXED_OUT="$WORK/fixed.txt"
c0=$(server_cpu_ticks)
BENCH_TOKEN="$TOKEN" timeout $(( RATE_SECONDS + 90 )) python3 "$HERE/fixed_rate.py" --url "$BASE" --ids "$IDS" \
    --rate "$RATE" --duration "$RATE_SECONDS" >"$FIXED_OUT" 2>&1 \
    || { echo "fixed-rate run failed:" >&2; cat "$FIXED_OUT" >&2; exit 1; }
c1=$(server_cpu_ticks)
FIXED_CPU=$(awk -v a="$c0" -v b="$c1" -v t="$CLK_TCK" -v s="$RATE_SECONDS" 'BEGIN { printf "%.2f", (b - a) / t / s }')
FIXED="$(grep '^FIXED_RESULT' "$FIXED_OUT")"
fx() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$FIXED"; }
log "fixed rate: $FIXED"

# ---------------------------------------------------------------- staff pages
PHYS_JAR="$WORK/physician.cookies"
ADMIN_JAR="$WORK/admin.cookies"
web_sign_in() {  # jar email password
    local code
    code=$(curl -s --max-time 10 -c "$1" -o /dev/null -w '%{http_code}' \
        --data-urlencode "email=$2" --data-urlencode "password=$3" --data-urlencode "next=/patients" "$BASE/sign-in")
    [[ "$code" == 303 || "$code" == 302 ]] || { echo "web sign-in of $2 answered $code" >&2; exit 1; }
}
web_sign_in "$PHYS_JAR" dr.reyes@deeprelief.local "$DEMO_PW"
web_sign_in "$ADMIN_JAR" "$ADMIN_EMAIL" "$ADMIN_PW"

# A patient with a screening (for the screening page).
PID_WITH_SCREENING=""; SCREENING_ID=""
while read -r id; do
    sid="$(curl -sf --max-time 10 "${AUTH[@]}" "$BASE/api/v1/patients/$id" | python3 "$HERE/bench_util.py" json 'd.get("latestScreeningId")')"
    if [[ -n "$sid" ]]; then PID_WITH_SCREENING="$id"; SCREENING_ID="$sid"; break; fi
done < <(head -50 "$IDS")
[[ -n "$SCREENING_ID" ]] || { echo "no screened patient among the first 50 ids" >&2; exit 1; }

PAGES_MD="$WORK/pages.md"
PAGES_FAIL=0
PAGES_WORST=0
: >"$PAGES_MD"
metric() { curl -sf --max-time 10 "$BASE/metrics" | python3 "$HERE/bench_util.py" metric "$1" GET; }
time_page() {  # label jar path route-template [limit-ms, default 100]
    local label="$1" jar="$2" path="$3" route="$4" limit="${5:-100}" times="$WORK/page.times" code t m0 m1 codes_bad=0
    for _ in $(seq 1 "$PAGE_WARMUP"); do curl -s --max-time 10 -b "$jar" -o /dev/null "$BASE$path"; done
    m0="$(metric "$route")"
    : >"$times"
    for _ in $(seq 1 "$PAGE_RUNS"); do
        read -r code t < <(curl -s --max-time 10 -b "$jar" -o /dev/null -w '%{http_code} %{time_starttransfer}\n' "$BASE$path")
        [[ "$code" == 200 ]] || codes_bad=$(( codes_bad + 1 ))
        echo "$t" >>"$times"
    done
    m1="$(metric "$route")"
    local n med p95 mx server_mean verdict
    read -r n med p95 mx < <(python3 "$HERE/bench_util.py" stats <"$times")
    server_mean=$(awk -v a="$m0" -v b="$m1" 'BEGIN { split(a, x, " "); split(b, y, " ");
        if (y[2] - x[2] > 0) printf "%.2f", 1000 * (y[1] - x[1]) / (y[2] - x[2]); else printf "n/a" }')
    if (( codes_bad > 0 )); then verdict="FAIL (non-200: $codes_bad)"; PAGES_FAIL=1
    elif awk -v m="$mx" -v l="$limit" 'BEGIN { exit !(m < l) }'; then verdict="pass"
    else verdict="FAIL"; PAGES_FAIL=1; fi
    LAST_MAX="$mx"
    [[ "$limit" == 100 ]] && PAGES_WORST=$(awk -v a="$PAGES_WORST" -v b="$mx" 'BEGIN { print (b > a ? b : a) }')
    printf '| `%s` | %s | %s | %s | %s | %s | %s (< %s ms) |\n' "$path" "$label" "$med" "$p95" "$mx" "$server_mean" "$verdict" "$limit" >>"$PAGES_MD"
    log "page $path: median $med ms, p95 $p95 ms, max $mx ms, server mean $server_mean ms — $verdict"
}
P1="$(sed -n 1p "$IDS")"
log "staff pages: $PAGE_RUNS requests each after $PAGE_WARMUP warm-up requests"
time_page physician "$PHYS_JAR" "/patients" "/patients"
time_page physician "$PHYS_JAR" "/patients?q=garcia" "/patients"
time_page physician "$PHYS_JAR" "/patients?q=maria%20garcia" "/patients"
time_page physician "$PHYS_JAR" "/patients?offset=5000" "/patients"
time_page physician "$PHYS_JAR" "/patients/$PID_WITH_SCREENING" "/patients/{id}"
time_page physician "$PHYS_JAR" "/patients/$P1/edit" "/patients/{id}/edit"
time_page physician "$PHYS_JAR" "/patients/$PID_WITH_SCREENING/screenings/new" "/patients/{id}/screenings/new"
time_page physician "$PHYS_JAR" "/screenings/$SCREENING_ID" "/screenings/{id}"
time_page physician "$PHYS_JAR" "/patients/new" "/patients/new"
time_page physician "$PHYS_JAR" "/account" "/account"
time_page admin "$ADMIN_JAR" "/admin/users" "/admin/users"
time_page admin "$ADMIN_JAR" "/admin/audit" "/admin/audit"
# Who touched one chart: the per-resource audit index plus the chain's unindexed tail (M015).
time_page admin "$ADMIN_JAR" "/admin/audit?resourceId=$P1" "/admin/audit"
# Follow-up (issue 5): a demo patient with a replayed past course (the demo gives one to patient index 3, MRN DR-0000004),
# the clinic's due list, and the analytics page, whose target is < 200 ms on a 10,000-patient clinic.
HIST_PID="$(curl -sf --max-time 10 "${AUTH[@]}" "$BASE/api/v1/patients?q=DR-0000004" | python3 "$HERE/bench_util.py" ids | head -1)"
[[ -n "$HIST_PID" ]] && time_page physician "$PHYS_JAR" "/patients/$HIST_PID/outcomes" "/patients/{id}/outcomes"
time_page physician "$PHYS_JAR" "/follow-ups" "/follow-ups" 200
time_page physician "$PHYS_JAR" "/analytics" "/analytics" 200
ANALYTICS_MAX="$LAST_MAX"

# ---------------------------------------------------------------- stop, verify the audit chain
LOAD_END="$(cut -d" " -f1-3 /proc/loadavg)"
log "stopping the server"
stop_server
DB_MB=$(du -sm "$DB" | cut -f1)
log "audit verify"
VERIFY_START=$(date +%s%N)
set +e
VERIFY_OUT="$(cd "$WORK" && timeout 600 "$BINARY" audit verify --database "$DB" 2>&1)"
VERIFY_RC=$?
set -e
VERIFY_S=$(awk -v a="$VERIFY_START" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
log "audit verify (exit $VERIFY_RC, ${VERIFY_S}s): $VERIFY_OUT"

# ---------------------------------------------------------------- report
verdict() { if awk "BEGIN { exit !($1) }"; then echo pass; else echo FAIL; fi; }
CHART_VERDICT=$(verdict "$CHART_RATIO_PCT >= 30")
FIXED_VERDICT=$(verdict "$(fx p99_ms) < 10 && $(fx non200) == 0 && $(fx exceptions) == 0")
PAGES_VERDICT=$([[ $PAGES_FAIL -eq 0 ]] && echo pass || echo FAIL)
AUDIT_VERDICT=$([[ $VERIFY_RC -eq 0 ]] && echo pass || echo FAIL)

cat <<EOF

## DeepRelief benchmark — $(date -u +%Y-%m-%dT%H:%MZ)

Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
Binary: \`$BINARY\`${FILL_BINARY:+ (demo clinic filled by \`$FILL_BINARY\`)}
Demo clinic: $TOTAL patients; server ready ${READY_S}s after start (${FILL_LINE:-no fill line})
Load: wrk and the generator run on the same machine as the server, over 127.0.0.1. Load average (1/5/15 min) at start: $LOAD_START; before stopping the server: $LOAD_END.

### Throughput (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, after ${WARMUP}s warm-up each)

| route | requests/s | vs /livez | p50 ms | p99 ms | max ms | errors | server CPU (cores) |
|---|---:|---:|---:|---:|---:|---:|---:|
| \`GET /livez\` (no database), first | ${RPS[livez]} | — | ${P50[livez]} | ${P99[livez]} | ${MAXL[livez]} | ${NON2XX[livez]} | ${CPU[livez]} |
| \`GET /api/v1/patients/{id}\` (audited chart read) | ${RPS[chart]} | $(ratio "${RPS[chart]}") | ${P50[chart]} | ${P99[chart]} | ${MAXL[chart]} | ${NON2XX[chart]} | ${CPU[chart]} |
| \`GET /api/v1/patients?q=…\` (search) | ${RPS[search]} | $(ratio "${RPS[search]}") | ${P50[search]} | ${P99[search]} | ${MAXL[search]} | ${NON2XX[search]} | ${CPU[search]} |
| \`GET /livez\` (no database), last | ${RPS[livez2]} | — | ${P50[livez2]} | ${P99[livez2]} | ${MAXL[livez2]} | ${NON2XX[livez2]} | ${CPU[livez2]} |

Ratios are to the mean of the two /livez runs ($LIVEZ_RPS requests/s).

### Chart read at a fixed $RATE requests/s for ${RATE_SECONDS}s (open loop, latency from the scheduled send time)

| requests | achieved/s | p50 ms | p90 ms | p95 ms | p99 ms | p99.9 ms | max ms | errors | server CPU (cores) |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| $(fx requests) | $(fx achieved_rate) | $(fx p50_ms) | $(fx p90_ms) | $(fx p95_ms) | $(fx p99_ms) | $(fx p999_ms) | $(fx max_ms) | $(( $(fx non200) + $(fx exceptions) )) | $FIXED_CPU |

Send lateness of the generator itself: p99 $(fx late_p99_ms) ms, max $(fx late_max_ms) ms; service time (actual send → response) p50 $(fx svc_p50_ms) ms, p99 $(fx svc_p99_ms) ms.

### Staff pages ($PAGE_RUNS requests each after $PAGE_WARMUP warm-up; ms)

curl's time_starttransfer on loopback (connect + server time + first byte; a proxy for server time); "server mean" is the
mean of the server's own request-duration histogram (/metrics) over the same requests.

| page | session | median | p95 | max | server mean | target |
|---|---|---:|---:|---:|---:|---|
$(cat "$PAGES_MD")

### Audit chain after the load

\`deeprelief audit verify\` exit $VERIFY_RC in ${VERIFY_S}s: $VERIFY_OUT (database ${DB_MB} MB)

### Targets

| target | measured | result |
|---|---|---|
| audited chart read ≥ 30% of /livez | ${CHART_RATIO_PCT}% | $CHART_VERDICT |
| chart read p99 < 10 ms at $RATE requests/s | p99 $(fx p99_ms) ms | $FIXED_VERDICT |
| every staff page < 100 ms | worst max ${PAGES_WORST} ms | $PAGES_VERDICT |
| analytics page < 200 ms on the ${TOTAL}-patient clinic | max ${ANALYTICS_MAX} ms | $(verdict "$ANALYTICS_MAX < 200") |
| audit chain verifies after the load | exit $VERIFY_RC | $AUDIT_VERDICT |
EOF

errors=$(( ${NON2XX[livez]} + ${NON2XX[chart]} + ${NON2XX[search]} + ${NON2XX[livez2]} + $(fx non200) + $(fx exceptions) ))
if (( VERIFY_RC != 0 )); then echo "audit chain verification FAILED" >&2; exit 3; fi
if (( errors > 0 )); then echo "$errors requests failed during the load" >&2; exit 4; fi
exit 0
