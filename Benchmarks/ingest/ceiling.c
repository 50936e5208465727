/*
 * ceiling — the fastest bare SQLite loop for the rows DeepRelief's monitor ingest writes: the ceiling the server's
 * MLLP throughput is compared with.
 *
 *   gcc -O2 -o ceiling ceiling.c -lsqlite3
 *   ceiling --db PATH --batch B [--obs-per-message K] [--body-bytes L] [--seconds S] [--warmup S] [--no-audit]
 *
 * Same schema as the server's migration M008 (vital_messages with its primary key (sender, control_id) and the
 * partial index on received_us WHERE status = 'quarantined'; vital_observations with its (session_id, observed_us)
 * index) and the audit tables of M002; the same pragmas as SQLiteClinicStore (page_size=16384 for a new file, WAL,
 * synchronous=FULL, cache_size=-32768, mmap_size=256 MiB, temp_store=MEMORY, foreign_keys=ON). Per batch: BEGIN IMMEDIATE; one
 * prepared multi-row `INSERT INTO vital_messages … ON CONFLICT (sender, control_id) DO NOTHING RETURNING sender,
 * control_id` (as the server's insert, which learns which messages were new), one prepared multi-row INSERT into
 * vital_observations (K rows per message; K may be fractional, then rows per batch = round(B × K)); unless
 * --no-audit, one audit_entries row (same columns, a 64-hex hash) and the audit_head upsert — the server writes one
 * audit row per (monitor, session) per minute, so this is at most as much audit work as the server does per batch,
 * usually more; COMMIT. Statements are prepared once per distinct row count and reused; chunks of 2,000 messages /
 * 5,000 observation rows as in SQLRecords. Messages use 6 senders / 6 sessions round-robin, unique control ids,
 * a body of L bytes.
 *
 * Output: one JSON line: messages committed per second (msgs_per_s), observation rows per second, commits per second,
 * the SQLite version linked.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
static int64_t wall_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static sqlite3 *db;
static void check(int rc, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}
static void exec(const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) { fprintf(stderr, "%s: %s\n", sql, err); exit(1); }
}

/* Prepared multi-row statements, cached by row count. */
typedef struct { int rows; sqlite3_stmt *st; } cached_t;
static cached_t msg_cache[8], obs_cache[8];
static sqlite3_stmt *multi(cached_t *cache, int rows, const char *head, const char *tuple, const char *tail) {
    for (int i = 0; i < 8; i++) if (cache[i].st && cache[i].rows == rows) return cache[i].st;
    size_t tl = strlen(tuple), cap = strlen(head) + (size_t)rows * (tl + 1) + strlen(tail) + 1;
    char *sql = malloc(cap), *p = sql;
    p += sprintf(p, "%s", head);
    for (int r = 0; r < rows; r++) { if (r) *p++ = ','; memcpy(p, tuple, tl); p += tl; }
    strcpy(p, tail);
    sqlite3_stmt *st;
    check(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL), "prepare");
    free(sql);
    for (int i = 0; i < 8; i++) if (!cache[i].st) { cache[i].rows = rows; cache[i].st = st; return st; }
    sqlite3_finalize(cache[7].st);
    cache[7].rows = rows; cache[7].st = st;
    return st;
}

static const char *params[] = { "heartRate", "pulseRate", "oxygenSaturation", "respiratoryRate", "endTidalCO2",
                                "systolic", "diastolic", "meanPressure" };

int main(int argc, char **argv) {
    const char *path = NULL;
    int batch = 0, body_bytes = 700, audit = 1;
    double obs_per_msg = 8, seconds = 8, warmup = 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) path = argv[++i];
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc) batch = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--obs-per-message") && i + 1 < argc) obs_per_msg = atof(argv[++i]);
        else if (!strcmp(argv[i], "--body-bytes") && i + 1 < argc) body_bytes = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) warmup = atof(argv[++i]);
        else if (!strcmp(argv[i], "--no-audit")) audit = 0;
        else { fprintf(stderr, "usage: ceiling --db PATH --batch B [--obs-per-message K] [--body-bytes L] [--seconds S] [--warmup S] [--no-audit]\n"); return 2; }
    }
    if (!path || batch < 1 || obs_per_msg < 0 || body_bytes < 1) { fprintf(stderr, "--db and --batch are required\n"); return 2; }

    check(sqlite3_open(path, &db), "open");
    exec("PRAGMA page_size=16384");
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA busy_timeout=15000; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;"
         "PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY");
    exec("CREATE TABLE IF NOT EXISTS vital_messages (sender TEXT NOT NULL, control_id TEXT NOT NULL, device_id TEXT,"
         " source_address TEXT NOT NULL, received_us BIGINT NOT NULL, session_id TEXT, status TEXT NOT NULL,"
         " reason TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (sender, control_id));"
         "CREATE INDEX IF NOT EXISTS vital_messages_quarantined ON vital_messages (received_us) WHERE status = 'quarantined';"
         "CREATE TABLE IF NOT EXISTS vital_observations (session_id TEXT NOT NULL, observed_us BIGINT NOT NULL,"
         " parameter TEXT NOT NULL, value REAL NOT NULL, sender TEXT NOT NULL, control_id TEXT NOT NULL);"
         "CREATE INDEX IF NOT EXISTS vital_observations_session ON vital_observations (session_id, observed_us);"
         "CREATE TABLE IF NOT EXISTS audit_entries (seq BIGINT PRIMARY KEY, at_us BIGINT NOT NULL, actor_id TEXT NOT NULL,"
         " actor_role TEXT NOT NULL, action TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,"
         " outcome TEXT NOT NULL, client TEXT NOT NULL, detail TEXT NOT NULL, hash TEXT NOT NULL);"
         "CREATE INDEX IF NOT EXISTS audit_entries_resource ON audit_entries (resource_type, resource_id);"
         "CREATE INDEX IF NOT EXISTS audit_entries_actor ON audit_entries (actor_id);"
         "CREATE INDEX IF NOT EXISTS audit_entries_at ON audit_entries (at_us);"
         "CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL,"
         " hash TEXT NOT NULL, entry_count BIGINT NOT NULL, seal TEXT NOT NULL);");

    const char *senders[6] = { "MONITOR-1|DEEPRELIEF-SIM", "MONITOR-2|DEEPRELIEF-SIM", "MONITOR-3|DEEPRELIEF-SIM",
                               "MONITOR-4|DEEPRELIEF-SIM", "MONITOR-5|DEEPRELIEF-SIM", "MONITOR-6|DEEPRELIEF-SIM" };
    const char *sessions[6] = { "7C1D3A52-5E0B-4C8E-9B7E-0A1B2C3D4E01", "7C1D3A52-5E0B-4C8E-9B7E-0A1B2C3D4E02",
                                "7C1D3A52-5E0B-4C8E-9B7E-0A1B2C3D4E03", "7C1D3A52-5E0B-4C8E-9B7E-0A1B2C3D4E04",
                                "7C1D3A52-5E0B-4C8E-9B7E-0A1B2C3D4E05", "7C1D3A52-5E0B-4C8E-9B7E-0A1B2C3D4E06" };
    const char *devices[6] = { "0F9A1B2C-3D4E-4F50-8A6B-7C8D9E0F1A01", "0F9A1B2C-3D4E-4F50-8A6B-7C8D9E0F1A02",
                               "0F9A1B2C-3D4E-4F50-8A6B-7C8D9E0F1A03", "0F9A1B2C-3D4E-4F50-8A6B-7C8D9E0F1A04",
                               "0F9A1B2C-3D4E-4F50-8A6B-7C8D9E0F1A05", "0F9A1B2C-3D4E-4F50-8A6B-7C8D9E0F1A06" };
    char *body = malloc((size_t)body_bytes + 1);
    const char *pattern = "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.147842|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20261125101500+0000\r";
    for (int i = 0; i < body_bytes; i++) body[i] = pattern[i % strlen(pattern)];
    body[body_bytes] = 0;
    int obs_rows = (int)(batch * obs_per_msg + 0.5);
    char (*ids)[40] = malloc((size_t)batch * 40);
    char hash[65];
    memset(hash, 'a', 64); hash[64] = 0;

    sqlite3_stmt *head = NULL, *aud = NULL;
    check(sqlite3_prepare_v3(db, "INSERT INTO audit_entries (seq, at_us, actor_id, actor_role, action, resource_type,"
                                 " resource_id, outcome, client, detail, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                             -1, SQLITE_PREPARE_PERSISTENT, &aud, NULL), "prepare audit");
    check(sqlite3_prepare_v3(db, "INSERT INTO audit_head (id, seq, hash, entry_count, seal) VALUES (1, ?, ?, ?, ?)"
                                 " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,"
                                 " entry_count = excluded.entry_count, seal = excluded.seal",
                             -1, SQLITE_PREPARE_PERSISTENT, &head, NULL), "prepare head");

    uint64_t msg_no = 0, seq = 0, measured_msgs = 0, measured_obs = 0, measured_commits = 0, returned = 0;
    double t0 = now_s(), mstart = t0 + warmup, end = mstart + seconds, mend = 0;
    int measuring = 0;
    for (;;) {
        double t = now_s();
        if (!measuring && t >= mstart) { measuring = 1; mstart = t; }
        if (t >= end) { mend = t; break; }
        int64_t now = wall_us();
        exec("BEGIN IMMEDIATE");
        for (int i = 0; i < batch; i++) snprintf(ids[i], 40, "CEIL-%d-%010llu", i % 100, (unsigned long long)(msg_no + i));
        /* messages, in chunks of 2,000 rows */
        for (int s = 0; s < batch; s += 2000) {
            int n = batch - s < 2000 ? batch - s : 2000;
            sqlite3_stmt *st = multi(msg_cache, n,
                "INSERT INTO vital_messages (sender, control_id, device_id, source_address, received_us, session_id, status, reason, body) VALUES ",
                "(?,?,?,?,?,?,?,?,?)", " ON CONFLICT (sender, control_id) DO NOTHING RETURNING sender, control_id");
            int p = 1;
            for (int i = s; i < s + n; i++) {
                int k = (int)((msg_no + (uint64_t)i) % 6);
                sqlite3_bind_text(st, p++, senders[k], -1, SQLITE_STATIC);
                sqlite3_bind_text(st, p++, ids[i], -1, SQLITE_STATIC);
                sqlite3_bind_text(st, p++, devices[k], -1, SQLITE_STATIC);
                sqlite3_bind_text(st, p++, "127.0.0.1", -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, p++, now);
                sqlite3_bind_text(st, p++, sessions[k], -1, SQLITE_STATIC);
                sqlite3_bind_text(st, p++, "filed", -1, SQLITE_STATIC);
                sqlite3_bind_text(st, p++, "", -1, SQLITE_STATIC);
                sqlite3_bind_text(st, p++, body, body_bytes, SQLITE_STATIC);
            }
            int rc;
            while ((rc = sqlite3_step(st)) == SQLITE_ROW) returned++;
            check(rc, "insert vital_messages");
            sqlite3_reset(st);
        }
        /* observations, in chunks of 5,000 rows; message i gets rows i*K … */
        for (int s = 0; s < obs_rows; s += 5000) {
            int n = obs_rows - s < 5000 ? obs_rows - s : 5000;
            sqlite3_stmt *st = multi(obs_cache, n,
                "INSERT INTO vital_observations (session_id, observed_us, parameter, value, sender, control_id) VALUES ",
                "(?,?,?,?,?,?)", "");
            int p = 1;
            for (int r = s; r < s + n; r++) {
                int m = obs_per_msg > 0 ? (int)(r / obs_per_msg) : 0;
                if (m >= batch) m = batch - 1;
                int k = (int)((msg_no + (uint64_t)m) % 6);
                sqlite3_bind_text(st, p++, sessions[k], -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, p++, now - 1000000);
                sqlite3_bind_text(st, p++, params[r % 8], -1, SQLITE_STATIC);
                sqlite3_bind_double(st, p++, 60.0 + r % 40);
                sqlite3_bind_text(st, p++, senders[k], -1, SQLITE_STATIC);
                sqlite3_bind_text(st, p++, ids[m], -1, SQLITE_STATIC);
            }
            check(sqlite3_step(st), "insert vital_observations");
            sqlite3_reset(st);
        }
        if (audit) {
            seq++;
            sqlite3_bind_int64(aud, 1, (sqlite3_int64)seq);
            sqlite3_bind_int64(aud, 2, now);
            sqlite3_bind_text(aud, 3, devices[seq % 6], -1, SQLITE_STATIC);
            sqlite3_bind_text(aud, 4, "device", -1, SQLITE_STATIC);
            sqlite3_bind_text(aud, 5, "create", -1, SQLITE_STATIC);
            sqlite3_bind_text(aud, 6, "vitals", -1, SQLITE_STATIC);
            sqlite3_bind_text(aud, 7, sessions[seq % 6], -1, SQLITE_STATIC);
            sqlite3_bind_text(aud, 8, "success", -1, SQLITE_STATIC);
            sqlite3_bind_text(aud, 9, "127.0.0.1", -1, SQLITE_STATIC);
            sqlite3_bind_text(aud, 10, "hl7", -1, SQLITE_STATIC);
            sqlite3_bind_text(aud, 11, hash, 64, SQLITE_STATIC);
            check(sqlite3_step(aud), "insert audit_entries");
            sqlite3_reset(aud);
            sqlite3_bind_int64(head, 1, (sqlite3_int64)seq);
            sqlite3_bind_text(head, 2, hash, 64, SQLITE_STATIC);
            sqlite3_bind_int64(head, 3, (sqlite3_int64)seq);
            sqlite3_bind_text(head, 4, hash, 64, SQLITE_STATIC);
            check(sqlite3_step(head), "upsert audit_head");
            sqlite3_reset(head);
        }
        exec("COMMIT");
        msg_no += (uint64_t)batch;
        if (measuring) { measured_msgs += (uint64_t)batch; measured_obs += (uint64_t)obs_rows; measured_commits++; }
    }
    double el = mend - mstart;
    if (returned != msg_no) { fprintf(stderr, "RETURNING gave %llu rows for %llu messages\n", (unsigned long long)returned, (unsigned long long)msg_no); return 1; }
    printf("{\"sqlite\":\"%s\",\"batch\":%d,\"obs_per_message\":%.2f,\"obs_rows_per_batch\":%d,\"body_bytes\":%d,\"audit_row_per_batch\":%s,"
           "\"seconds\":%.2f,\"messages\":%llu,\"commits\":%llu,\"msgs_per_s\":%.1f,\"obs_rows_per_s\":%.1f,\"commits_per_s\":%.1f}\n",
           sqlite3_libversion(), batch, obs_per_msg, obs_rows, body_bytes, audit ? "true" : "false", el,
           (unsigned long long)measured_msgs, (unsigned long long)measured_commits,
           measured_msgs / el, measured_obs / el, measured_commits / el);
    sqlite3_close(db);
    return 0;
}
