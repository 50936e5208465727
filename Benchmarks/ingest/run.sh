#!/usr/bin/env bash
# DeepRelief monitor-ingest benchmark: HL7 v2 ORU^R01 over MLLP into a release build serving the demo clinic.
#
#   bash Benchmarks/ingest/run.sh [--binary PATH] [--duration S] [--warmup S] [--window W] [--connections "1 10 100"]
#                                 [--rate R] [--rate-seconds S] [--rate-connections C] [--alarm-count N]
#                                 [--ceiling-seconds S] [--threads T] [--demo-patients N] [--no-postgres] [--perf] [--keep]
#
# 1. Builds loadgen.c and ceiling.c (gcc) into a temporary directory.
# 2. Starts the server (--demo --demo-patients 24: six registered monitors MONITOR-1…6 at 127.0.0.1, a patient infusing
#    in each of the six chairs — with 12 demo patients only five qualify and chair 6 stays empty, so MONITOR-6's
#    messages would be quarantined) on spare ports with a fresh SQLite database; warms up; runs loadgen closed-loop with 1, 10 and 100 connections (window W, D s each;
#    connection c sends as MONITOR-(c mod 6 + 1)), reading the mean group-commit batch size from /metrics deltas and
#    the server's CPU from /proc/PID/stat; runs loadgen open-loop at R messages/s (latency from the scheduled send
#    time); runs alarm_latency.py (cuff 190/125 → SSE `alarm-high` on /board/events).
# 3. Stops the server, counts the observation rows it stored per message, and runs ceiling.c (bare SQLite, same
#    rows, batch = the server's mean batch at 100 connections).
# 4. PostgreSQL (unless --no-postgres, or when no PostgreSQL is installed): initdb + pg_ctl as user postgres on a
#    spare port (ci-recipes), the server with DATABASE_URL, the same closed-loop runs; stopped by a trap.
# --perf: `perf record -g` on the server for 5 s during the 100-connection SQLite run; prints the top symbols.
# Prints Markdown tables and a pass/fail line per target. Exits non-zero on errors (non-AA, lost ACKs, a crashed
# server, failed tools), not on a missed performance target.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

ARGS="$*"
BINARY=""
DURATION=10
WARMUP=3
WINDOW=32
CONNECTION_SET="1 10 100"
RATE=1000
RATE_SECONDS=10
RATE_CONNECTIONS=10
ALARM_COUNT=100
CEILING_SECONDS=8
THREADS=1
DEMO_PATIENTS=24
POSTGRES=1
PERF=0
KEEP=0

while [[ $# -gt 0 ]]; do
    case "$1" in
        --binary) BINARY="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --window) WINDOW="$2"; shift 2 ;;
        --connections) CONNECTION_SET="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --rate-seconds) RATE_SECONDS="$2"; shift 2 ;;
        --rate-connections) RATE_CONNECTIONS="$2"; shift 2 ;;
        --alarm-count) ALARM_COUNT="$2"; shift 2 ;;
        --ceiling-seconds) CEILING_SECONDS="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --demo-patients) DEMO_PATIENTS="$2"; shift 2 ;;
        --no-postgres) POSTGRES=0; shift ;;
        --perf) PERF=1; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n 2,24p "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
MAXC=$(tr ' ' '\n' <<<"$CONNECTION_SET" | sort -n | tail -1)

log() { printf '[ingest %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
COMMAND="bash Benchmarks/ingest/run.sh${ARGS:+ $ARGS}"

# ---------------------------------------------------------------- binary and tools
if [[ -z "$BINARY" ]]; then
    log "no --binary: building release in $ROOT"
    (cd "$ROOT" && swift build -c release --product deeprelief) >&2
    BINARY="$(cd "$ROOT" && swift build -c release --show-bin-path)/deeprelief"
fi
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
[[ -x "$BINARY" ]] || { echo "not executable: $BINARY" >&2; exit 1; }
if [[ ! -f /usr/include/sqlite3.h ]]; then
    log "installing libsqlite3-dev"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get install -y -qq libsqlite3-dev >/dev/null
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/deeprelief-ingest.XXXXXX")"
chmod 755 "$WORK"
gcc -O2 -Wall -pthread -o "$WORK/loadgen" "$HERE/loadgen.c"
gcc -O2 -Wall -o "$WORK/ceiling" "$HERE/ceiling.c" -lsqlite3

spare_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ADMIN_PW="bench-admin-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
DEMO_PW="bench-demo-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
SERVER_PID=""
PG_DIR=""
PGBIN=""
CLK_TCK=$(getconf CLK_TCK)

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
stop_postgres() {
    if [[ -n "$PG_DIR" && -f "$PG_DIR/data/postmaster.pid" ]]; then
        su postgres -c "$PGBIN/pg_ctl -D $PG_DIR/data stop -m fast" >/dev/null 2>&1 || true
    fi
}
cleanup() {
    stop_server
    stop_postgres
    if [[ $KEEP -eq 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() {  # label [--database PATH] — env DATABASE_URL for PostgreSQL
    local label="$1"; shift
    PORT="$(spare_port)"; MLLP="$(spare_port)"
    while [[ "$MLLP" == "$PORT" ]]; do MLLP="$(spare_port)"; done
    BASE="http://127.0.0.1:$PORT"
    (cd "$WORK" && DEEPRELIEF_ADMIN_PASSWORD="$ADMIN_PW" DEEPRELIEF_DEMO_PASSWORD="$DEMO_PW" \
        exec "$BINARY" serve --host 127.0.0.1 --port "$PORT" --mllp-port "$MLLP" "$@" --demo --demo-patients "$DEMO_PATIENTS") \
        >>"$WORK/server-$label.log" 2>&1 &
    SERVER_PID=$!
    local deadline=$(( $(date +%s) + 300 ))
    until curl -sf -o /dev/null --max-time 2 "$BASE/health" \
          && python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1).close()" "$MLLP" 2>/dev/null; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "the server ($label) exited during start-up:" >&2; tail -20 "$WORK/server-$label.log" >&2; exit 1
        fi
        (( $(date +%s) > deadline )) && { echo "the server ($label) was not ready after 300 s" >&2; exit 1; }
        sleep 0.5
    done
    ROOM_LINE="$(grep -m1 'Demo room:' "$WORK/server-$label.log" | sed 's/, each with.*//' || true)"
    log "$label server pid $SERVER_PID on $BASE, MLLP 127.0.0.1:$MLLP — ${ROOM_LINE:-no demo room line}"
    [[ "$ROOM_LINE" == *"6 patients infusing in 6 chairs"* ]] \
        || log "WARNING: not every chair has a patient infusing; some monitors' messages will be quarantined"
}
server_alive() {
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server crashed:" >&2; tail -20 "$WORK"/server-*.log >&2; exit 5; }
}
server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
metric() {  # name [label filter] — the sum of the samples of a counter
    curl -sf --max-time 10 "$BASE/metrics" | awk -v n="$1" -v f="${2:-}" '
        $1 ~ ("^" n "([{]|$)") && (f == "" || index($1, f) > 0) { s += $NF } END { printf "%.0f", s + 0 }'
}
jget() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); v=d
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"; }

declare -A R       # results: R[<db>-<conns>-<field>]
ERRORS=0
run_load() {  # db conns seconds [extra loadgen args…] — closed loop unless -r is passed
    local db="$1" c="$2" secs="$3"; shift 3
    local tag="${db:0:2}$(date +%s%N | tail -c 9)c$c" b0 m0 t0 b1 m1 t1 s0 s1 out rc=0
    b0=$(metric deeprelief_vitals_batches_total); m0=$(metric deeprelief_vitals_batched_messages_total)
    t0=$(server_ticks); s0=$(date +%s%N)
    out="$("$WORK/loadgen" -p "$MLLP" -c "$c" -w "$WINDOW" -d "$secs" -t "$THREADS" -T "$tag" "$@")" || rc=$?
    s1=$(date +%s%N); t1=$(server_ticks)
    b1=$(metric deeprelief_vitals_batches_total); m1=$(metric deeprelief_vitals_batched_messages_total)
    server_alive
    [[ -n "$out" ]] || { echo "loadgen produced no result (exit $rc)" >&2; exit 6; }
    LAST="$out"; LAST_TAG="$tag"
    LAST_BATCH=$(awk -v a="$((b1 - b0))" -v m="$((m1 - m0))" 'BEGIN { if (a > 0) printf "%.1f", m / a; else print "n/a" }')
    LAST_CPU=$(awk -v a="$t0" -v b="$t1" -v t="$CLK_TCK" -v s0="$s0" -v s1="$s1" 'BEGIN { printf "%.2f", (b - a) / t / ((s1 - s0) / 1e9) }')
    local e; e=$(jget "$out" errors)
    if (( e > 0 || rc != 0 )); then
        ERRORS=$(( ERRORS + e + (rc != 0 ? 1 : 0) ))
        log "ERRORS in this run: $out"
    fi
    log "$db c=$c: $(jget "$out" msgs_per_s) AA/s, p50 $(jget "$out" p50_ms) ms, p99 $(jget "$out" p99_ms) ms, batch $LAST_BATCH, server CPU $LAST_CPU"
}
store_result() {  # key
    local k="$1"
    R[$k-rate]=$(jget "$LAST" msgs_per_s); R[$k-p50]=$(jget "$LAST" p50_ms); R[$k-p90]=$(jget "$LAST" p90_ms)
    R[$k-p99]=$(jget "$LAST" p99_ms); R[$k-max]=$(jget "$LAST" max_ms); R[$k-sent]=$(jget "$LAST" sent)
    R[$k-aa]=$(jget "$LAST" aa); R[$k-err]=$(jget "$LAST" errors); R[$k-batch]=$LAST_BATCH; R[$k-cpu]=$LAST_CPU
    R[$k-gencpu]=$(jget "$LAST" generator_cpu_s); R[$k-tag]=$LAST_TAG
    R[$k-us]=$(awk -v c="$LAST_CPU" -v r="${R[$k-rate]}" 'BEGIN { if (r > 0) printf "%.0f", c * 1e6 / r; else print "n/a" }')
}

LOAD_START="$(cut -d" " -f1-3 /proc/loadavg)"
log "binary: $BINARY"

# ---------------------------------------------------------------- SQLite
DB="$WORK/ingest.sqlite"
start_server sqlite --database "$DB"
log "warm-up: 10 connections, ${WARMUP}s"
run_load sqlite 10 "$WARMUP"
PERF_TXT=""
PERF_PID=""
for c in $CONNECTION_SET; do
    if [[ $PERF -eq 1 && "$c" == "$MAXC" ]] && command -v perf >/dev/null; then
        ( sleep 2; exec perf record -F 999 -g -p "$SERVER_PID" -o "$WORK/perf.data" -- sleep 5 ) >/dev/null 2>&1 &
        PERF_PID=$!
    fi
    run_load sqlite "$c" "$DURATION"
    store_result "sqlite-$c"
done
[[ -n "$PERF_PID" ]] && { wait "$PERF_PID" || true; }
if [[ $PERF -eq 1 && -f "$WORK/perf.data" ]]; then
    PERF_TXT="$WORK/perf.txt"
    demangle() { if command -v swift-demangle >/dev/null; then swift-demangle --simplified; else cat; fi; }
    perf report -i "$WORK/perf.data" --no-children --stdio --sort dso,symbol --percent-limit 1.5 2>/dev/null \
        | grep -E '^ +[0-9.]+%' | head -25 | demangle | sed -E 's/ +$//; s/ +- +- *$//' | cut -c1-170 >"$PERF_TXT" || true
    # Inclusive time of the project's own frames (and SQLite / sqlite-nio), the NIO and runtime plumbing left out.
    perf report -i "$WORK/perf.data" --children --stdio --sort symbol --percent-limit 3 -g none 2>/dev/null \
        | grep -E '^ +[0-9.]+%' | grep -E 'Clinic|SQLite|sqlite3' | demangle | grep -v 'partial apply' | head -20 \
        | sed -E 's/ +$//; s/ +- +- *$//' | cut -c1-170 \
        >"$WORK/perf-children.txt" || true
fi

log "fixed rate: $RATE msgs/s, $RATE_CONNECTIONS connections, ${RATE_SECONDS}s"
run_load sqlite "$RATE_CONNECTIONS" "$RATE_SECONDS" -r "$RATE"
store_result fixed
FIXED_LATE=$(jget "$LAST" late_p99_ms)

log "alarm latency: $ALARM_COUNT crises"
ALARM_OUT="$(python3 "$HERE/alarm_latency.py" --http-port "$PORT" --mllp-port "$MLLP" --password "$DEMO_PW" \
    --count "$ALARM_COUNT")" || { log "alarm_latency failed: $ALARM_OUT"; ERRORS=$(( ERRORS + 1 )); }
[[ -n "$ALARM_OUT" ]] || { echo "alarm_latency.py produced no result" >&2; exit 7; }
server_alive
log "alarm: $ALARM_OUT"
OUTCOMES="$(curl -sf "$BASE/metrics" | grep '^deeprelief_mllp_messages_total' | sed -E 's/.*outcome="([^"]+)".* ([0-9.e+]+)$/\1=\2/' | tr '\n' ' ')"
LOAD_MID="$(cut -d" " -f1-3 /proc/loadavg)"
stop_server

MSG_BYTES=$(jget "$LAST" message_bytes)
ROWS="$(python3 - "$DB" "${R[sqlite-$MAXC-tag]}" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
tag = sys.argv[2] + "-%"
m = db.execute("SELECT count(*) FROM vital_messages WHERE control_id LIKE ? AND status = 'filed'", (tag,)).fetchone()[0]
o = db.execute("SELECT count(*) FROM vital_observations WHERE control_id LIKE ?", (tag,)).fetchone()[0]
print(m, o, "%.2f" % (o / m if m else 0))
EOF
)"
read -r ROW_MSGS ROW_OBS OBS_PER_MSG <<<"$ROWS"
log "stored by the ${MAXC}-connection run: $ROW_MSGS messages, $ROW_OBS observation rows ($OBS_PER_MSG per message)"

CEIL_BATCH=$(awk -v b="${R[sqlite-$MAXC-batch]}" 'BEGIN { b = int(b + 0.5); print (b < 1 ? 1 : b) }')
log "ceiling: bare SQLite, batch $CEIL_BATCH, $OBS_PER_MSG observation rows per message, body $MSG_BYTES bytes"
CEIL_OUT="$("$WORK/ceiling" --db "$WORK/ceiling.sqlite" --batch "$CEIL_BATCH" --obs-per-message "$OBS_PER_MSG" \
    --body-bytes "$MSG_BYTES" --seconds "$CEILING_SECONDS" --warmup 2)"
CEIL_RATE=$(jget "$CEIL_OUT" msgs_per_s)
log "ceiling: $CEIL_OUT"

# ---------------------------------------------------------------- PostgreSQL
PG_NOTE=""
if [[ $POSTGRES -eq 1 ]] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && id postgres >/dev/null 2>&1; then
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
    PG_PORT="$(spare_port)"
    PG_DIR="$WORK/pg"; mkdir -p "$PG_DIR"; chown postgres "$PG_DIR"
    su postgres -c "$PGBIN/initdb -D $PG_DIR/data -A trust -U postgres" >/dev/null
    su postgres -c "$PGBIN/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR' -l $PG_DIR/log start -w" >/dev/null
    psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "create database deeprelief_bench" >/dev/null
    PG_VERSION="$(psql -tA -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 'show server_version')"
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/deeprelief_bench"
    start_server postgres
    run_load postgres 10 "$WARMUP"
    for c in $CONNECTION_SET; do
        run_load postgres "$c" "$DURATION"
        store_result "postgres-$c"
    done
    stop_server
    unset DATABASE_URL
    stop_postgres
    PG_NOTE="PostgreSQL $PG_VERSION (Debian package, default settings: fsync on, synchronous_commit on), same machine."
else
    POSTGRES=0
    PG_NOTE="PostgreSQL: not run (--no-postgres or not installed)."
fi
LOAD_END="$(cut -d" " -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- report
BINDIR="$(dirname "$BINARY")"
NIO_SQLITE="$(cat "$BINDIR"/../checkouts/sqlite-nio/Sources/*/include/*sqlite3.h "$BINDIR"/../../checkouts/sqlite-nio/Sources/*/include/*sqlite3.h \
    "$ROOT"/.build*/checkouts/sqlite-nio/Sources/*/include/*sqlite3.h 2>/dev/null \
    | sed -n 's/^#define SQLITE_VERSION *"\(.*\)"/\1/p' | head -1 || true)"
verdict() { if awk "BEGIN { exit !($1) }"; then echo pass; else echo FAIL; fi; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f%%", 100 * a / b; else print "n/a" }'; }
RATIO=$(awk -v a="${R[sqlite-$MAXC-rate]}" -v b="$CEIL_RATE" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
A_P50=$(jget "$ALARM_OUT" p50_ms); A_P99=$(jget "$ALARM_OUT" p99_ms); A_MAX=$(jget "$ALARM_OUT" max_ms)
A_P99_NUM=$([[ "$A_P99" == None ]] && echo 1e9 || echo "$A_P99")

table_rows() {  # db
    local db="$1" c k
    for c in $CONNECTION_SET; do
        k="$db-$c"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$c" "$WINDOW" "${R[$k-rate]}" \
            "$(pct "${R[$k-rate]}" "$CEIL_RATE")" "${R[$k-p50]}" "${R[$k-p90]}" "${R[$k-p99]}" "${R[$k-max]}" \
            "${R[$k-batch]}" "${R[$k-cpu]}" "${R[$k-us]}" "${R[$k-gencpu]}" "${R[$k-err]}"
    done
}

cat <<EOF

## DeepRelief monitor ingest (HL7 v2 / MLLP) — $(date -u +%Y-%m-%dT%H:%MZ)

Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo); $(. /etc/os-release && echo "$PRETTY_NAME")
Binary: \`$BINARY\` ($(date -u -r "$BINARY" +%Y-%m-%dT%H:%MZ))
Command: \`$COMMAND\`
Load average (1/5/15 min): at start $LOAD_START; after the SQLite runs $LOAD_MID; at the end $LOAD_END. The generator, the server (and PostgreSQL) share the machine over 127.0.0.1.
Demo clinic: --demo-patients $DEMO_PATIENTS — ${ROOM_LINE:-?}.
Messages: ORU^R01 v2.6, 8 OBX (MDC: HR, pulse, SpO₂, RR, EtCO₂, NIBP sys/dia/mean), $MSG_BYTES bytes; the cuff reading is repeated in every message (as PCD-01 gateways do) and stored once, so the server wrote $OBS_PER_MSG observation rows per message. Connection c sends as MONITOR-(c mod 6 + 1).

### SQLite — closed loop (each connection keeps $WINDOW messages unacknowledged; ${DURATION}s after ${WARMUP}s warm-up)

| connections | window | AA msgs/s | vs ceiling | ACK p50 ms | p90 ms | p99 ms | max ms | mean batch | server CPU (cores) | server CPU µs/msg | generator CPU (s) | errors |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(table_rows sqlite)

ACK p50 under closed loop is mostly queueing: connections × window messages are outstanding at any time (Little's law).

Ceiling (\`ceiling.c\`, SQLite $(jget "$CEIL_OUT" sqlite) from Debian, same schema, indexes and pragmas; batch $CEIL_BATCH = the server's mean batch at $MAXC connections; $(jget "$CEIL_OUT" obs_rows_per_batch) observation rows + one audit row and the audit-head upsert per commit): **$CEIL_RATE messages/s** ($(jget "$CEIL_OUT" commits_per_s) commits/s). The server links sqlite-nio's bundled SQLite (${NIO_SQLITE:-version not found}).

### Fixed rate: $RATE messages/s for ${RATE_SECONDS}s, $RATE_CONNECTIONS connections (open loop, latency from the scheduled send time)

| sent | AA | achieved AA/s | ACK p50 ms | p90 ms | p99 ms | max ms | mean batch | server CPU (cores) | server CPU µs/msg | errors |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| ${R[fixed-sent]} | ${R[fixed-aa]} | ${R[fixed-rate]} | ${R[fixed-p50]} | ${R[fixed-p90]} | ${R[fixed-p99]} | ${R[fixed-max]} | ${R[fixed-batch]} | ${R[fixed-cpu]} | ${R[fixed-us]} | ${R[fixed-err]} |

Generator send lateness p99: $FIXED_LATE ms.

### Alarm latency: cuff 190/125 sent → SSE \`event: chair\` with \`alarm-high\` on /board/events

$(jget "$ALARM_OUT" n) of $(jget "$ALARM_OUT" rounds) crises, ~0.3 s apart, rotating over chairs 1–6 (a 120/80 reading after each clears the alarm). Measures receipt → group commit → alarm engine → SSE write, plus loopback and the Python reader.

| p50 ms | p90 ms | p99 ms | max ms | ACK p50 / p99 ms | timeouts | not cleared | non-AA |
|---:|---:|---:|---:|---:|---:|---:|---:|
| $A_P50 | $(jget "$ALARM_OUT" p90_ms) | $A_P99 | $A_MAX | $(jget "$ALARM_OUT" ack_p50_ms) / $(jget "$ALARM_OUT" ack_p99_ms) | $(jget "$ALARM_OUT" timeouts) | $(jget "$ALARM_OUT" not_cleared) | $(jget "$ALARM_OUT" non_aa) |

Server MLLP outcomes (SQLite server, whole run): $OUTCOMES
EOF
if [[ $POSTGRES -eq 1 ]]; then
cat <<EOF

### PostgreSQL — closed loop (same runs; "vs ceiling" is against the SQLite ceiling)

$PG_NOTE

| connections | window | AA msgs/s | vs ceiling | ACK p50 ms | p90 ms | p99 ms | max ms | mean batch | server CPU (cores) | server CPU µs/msg | generator CPU (s) | errors |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(table_rows postgres)
EOF
else
    echo; echo "$PG_NOTE"
fi
if [[ -n "$PERF_TXT" ]]; then
cat <<EOF

### perf: server during the $MAXC-connection SQLite run (5 s, self time, dso / symbol, ≥ 1.5 %)

\`\`\`
$(cat "$PERF_TXT")
\`\`\`
Children-inclusive, the project's frames and SQLite only (≥ 3 %):
\`\`\`
$(cat "$WORK/perf-children.txt")
\`\`\`
EOF
fi
cat <<EOF

### Targets

| target | measured | result |
|---|---|---|
| SQLite ingest at $MAXC connections ≥ 20,000 msgs/s (absolute: drifts with the machine's neighbours) | ${R[sqlite-$MAXC-rate]} msgs/s | $(verdict "${R[sqlite-$MAXC-rate]} >= 20000") |
| SQLite ingest at $MAXC connections ≥ 40 % of the bare-SQLite ceiling | ${R[sqlite-$MAXC-rate]} / $CEIL_RATE msgs/s = ${RATIO}% | $(verdict "$RATIO >= 40") |
| ACK p99 < 20 ms at $RATE msgs/s | p99 ${R[fixed-p99]} ms | $(verdict "${R[fixed-p99]} < 20") |
| alarm (cuff 190/125 → SSE alarm-high) p99 < 50 ms | p99 $A_P99 ms | $(verdict "$A_P99_NUM < 50") |
EOF

if (( ERRORS > 0 )); then echo "$ERRORS errors (non-AA, lost ACKs or failed tools) during the runs" >&2; exit 4; fi
exit 0
