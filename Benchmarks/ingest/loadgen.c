/*
 * loadgen — MLLP load generator for DeepRelief's monitor ingest (HL7 v2 ORU^R01 over MLLP).
 *
 *   gcc -O2 -pthread -o loadgen loadgen.c
 *   loadgen -p MLLP_PORT [-H 127.0.0.1] [-c CONNS] [-w WINDOW] [-d SECONDS] [-r RATE] [-t THREADS]
 *           [-s SENDERS] [-T RUNTAG] [-D DRAIN_SECONDS]
 *
 * C connections, each pipelining up to W unacknowledged messages. Every message is the same pre-encoded, framed
 * ORU^R01 (IHE PCD-01 style, 8 OBX with MDC codes: HR, pulse rate, SpO2, RR, EtCO2 and a repeated NIBP
 * systolic/diastolic/mean reading) whose control id (MSH-10, also in OBR-2/OBR-3) is patched in place with a
 * fixed-width counter: `<runtag>-<conn>-<n>`, unique per sender. Connection c sends as MONITOR-((c mod S) + 1),
 * MSH-4 DEEPRELIEF-SIM (the demo clinic's registered monitors with S = 6).
 *
 * ACKs are read as they come, matched by MSA-2 (any order) and their latency recorded in a log-linear histogram
 * (1 µs exact below 2 ms, then 1/1024 relative precision), CLOCK_MONOTONIC.
 *
 * Modes:
 *   closed loop (-r 0, the default): each connection keeps its window full for D seconds; latency = write → ACK.
 *   open loop (-r RATE): message k of connection c is scheduled at start + (k*C + c)/RATE; it is written when its
 *     time has come and the window has room, and its latency is measured from the *scheduled* time, so a stall
 *     counts against every message that should have been sent during it (no coordinated omission). The send
 *     lateness (actual write − scheduled) is reported separately.
 * After D seconds nothing more is sent; outstanding ACKs are awaited up to DRAIN seconds (default 15).
 *
 * Output: one JSON line on stdout. msgs_per_s = AA received before the D-second deadline / D. Anything other than
 * AA (AE, AR, unmatched or missing ACKs, lost connections) is an error; the exit status is 1 when there were any.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define RING (1u << 17)          /* per-connection slots for outstanding messages (indexed by n mod RING) */
#define NDIGITS 10               /* fixed width of the message counter in the control id */
#define RBUF (1 << 20)

/* ------------------------------------------------------------------ histogram (microseconds) */
#define H_EXACT 2048
#define H_SUB 1024
#define H_SIZE (H_EXACT + 40 * H_SUB)
typedef struct { uint64_t count[H_SIZE]; uint64_t n, max_ns; double sum_ns; } hist_t;

static int h_index(uint64_t us) {
    if (us < H_EXACT) return (int)us;
    int e = 63 - __builtin_clzll(us);             /* >= 11 */
    int sub = (int)((us >> (e - 10)) - H_SUB);    /* 0 .. 1023 */
    int i = H_EXACT + (e - 11) * H_SUB + sub;
    return i < H_SIZE ? i : H_SIZE - 1;
}
static double h_value_us(int i) {                 /* the middle of bucket i */
    if (i < H_EXACT) return i + 0.5;
    int e = (i - H_EXACT) / H_SUB + 11, sub = (i - H_EXACT) % H_SUB;
    double lo = (double)((uint64_t)(H_SUB + sub) << (e - 10)), w = (double)(1ull << (e - 10));
    return lo + w / 2;
}
static void h_add(hist_t *h, uint64_t ns) {
    h->count[h_index(ns / 1000)]++;
    h->n++;
    h->sum_ns += (double)ns;
    if (ns > h->max_ns) h->max_ns = ns;
}
static void h_merge(hist_t *a, const hist_t *b) {
    for (int i = 0; i < H_SIZE; i++) a->count[i] += b->count[i];
    a->n += b->n; a->sum_ns += b->sum_ns;
    if (b->max_ns > a->max_ns) a->max_ns = b->max_ns;
}
static double h_pct_ms(const hist_t *h, double q) {
    if (h->n == 0) return 0;
    uint64_t rank = (uint64_t)(q * (double)h->n + 0.999999), c = 0;
    if (rank < 1) rank = 1;
    for (int i = 0; i < H_SIZE; i++) {
        c += h->count[i];
        if (c >= rank) {
            double v = h_value_us(i) / 1000.0, mx = (double)h->max_ns / 1e6;
            return v < mx ? v : mx;
        }
    }
    return (double)h->max_ns / 1e6;
}

/* ------------------------------------------------------------------ settings */
static const char *host = "127.0.0.1";
static int port = 0, conns = 1, window = 32, threads = 1, senders = 6;
static double duration = 10, rate = 0, drain = 15;
static char runtag[32];

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------------ connections */
typedef struct {
    int fd, id, dead;
    char *tmpl;                   /* the framed message; the counter is patched at off[0..2] */
    size_t len;
    size_t off[3];
    char prefix[48];              /* "<runtag>-<conn>-" as it comes back in MSA-2 */
    size_t prefix_len;
    uint64_t next_n;              /* messages written so far */
    uint64_t outstanding;
    uint64_t *slot_n;             /* ring: the n occupying the slot + 1 (0 = free) */
    uint64_t *slot_t;             /* ring: the time latency is measured from */
    char *out; size_t out_len, out_cap, out_pos;
    char *in; size_t in_len;
} conn_t;

typedef struct {
    int index, ep, tfd;
    conn_t *c; int nc;
    uint64_t start, deadline, drain_end, armed;
    hist_t lat, late;
    uint64_t sent, aa, ae, ar, other, unmatched, aa_in_window, lost, conn_errors;
} worker_t;

static void format_time(char *buf, size_t n, time_t t) {
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y%m%d%H%M%S+0000", &tm);
}

/* The message of connection `id`; "##########" marks the counter (NDIGITS wide). */
static void build_template(conn_t *c) {
    char now[32], cuff[32], text[4096], id[64], app[32];
    time_t t = time(NULL);
    format_time(now, sizeof now, t);
    format_time(cuff, sizeof cuff, t - 60);     /* a cuff reading taken a minute ago, repeated in every message */
    snprintf(app, sizeof app, "MONITOR-%d", c->id % senders + 1);
    snprintf(c->prefix, sizeof c->prefix, "%s-%d-", runtag, c->id);
    c->prefix_len = strlen(c->prefix);
    snprintf(id, sizeof id, "%s##########", c->prefix);
    int hr = 68 + c->id % 12;
    int n = snprintf(text, sizeof text,
        "MSH|^~\\&|%s|DEEPRELIEF-SIM|DEEPRELIEF|CLINIC|%s||ORU^R01^ORU_R01|%s|P|2.6|||NE|AL||UNICODE UTF-8|||"
        "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r"
        "OBR|1|%s^%s|%s^%s|182777000^monitoring of patient^SCT|||%s\r"
        "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.147842|%d|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||%s\r"
        "OBX|2|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC|1.2.1.149530|%d|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||%s\r"
        "OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.2.1.150456|97|262688^MDC_DIM_PERCENT^MDC|||||R|||%s\r"
        "OBX|4|NM|151562^MDC_RESP_RATE^MDC|1.4.1.151562|14|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R|||%s\r"
        "OBX|5|NM|151708^MDC_AWAY_CO2_ET^MDC|1.4.1.151708|38|266016^MDC_DIM_MMHG^MDC|||||R|||%s\r"
        "OBX|6|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.3.1.150021|118|266016^MDC_DIM_MMHG^MDC|||||R|||%s\r"
        "OBX|7|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.3.1.150022|76|266016^MDC_DIM_MMHG^MDC|||||R|||%s\r"
        "OBX|8|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.3.1.150023|90|266016^MDC_DIM_MMHG^MDC|||||R|||%s\r",
        app, now, id, id, app, id, app, now, hr, now, hr, now, now, now, now, cuff, cuff, cuff);
    c->len = (size_t)n + 3;
    c->tmpl = malloc(c->len);
    c->tmpl[0] = 0x0b;
    memcpy(c->tmpl + 1, text, (size_t)n);
    c->tmpl[n + 1] = 0x1c;
    c->tmpl[n + 2] = 0x0d;
    int k = 0;
    for (size_t i = 0; i + NDIGITS <= c->len && k < 3; i++)
        if (memcmp(c->tmpl + i, "##########", NDIGITS) == 0) { c->off[k++] = i; i += NDIGITS - 1; }
    if (k != 3) { fprintf(stderr, "template error\n"); exit(2); }
}

static int connect_one(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) { fprintf(stderr, "bad host %s\n", host); exit(2); }
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); exit(2); }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* Scheduled time of connection c's message k (open loop). */
static inline uint64_t scheduled(worker_t *w, conn_t *c, uint64_t k) {
    double s = ((double)k * conns + c->id) / rate;
    return w->start + (uint64_t)(s * 1e9);
}

static void kill_conn(worker_t *w, conn_t *c) {
    if (c->dead) return;
    c->dead = 1;
    w->conn_errors++;
    w->lost += c->outstanding;
    c->outstanding = 0;
    epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
}

static void flush_out(worker_t *w, conn_t *c) {
    while (c->out_pos < c->out_len) {
        ssize_t k = write(c->fd, c->out + c->out_pos, c->out_len - c->out_pos);
        if (k > 0) { c->out_pos += (size_t)k; continue; }
        if (k < 0 && errno == EINTR) continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
            epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &ev);
            return;
        }
        kill_conn(w, c);
        return;
    }
    if (c->out_pos == c->out_len && c->out_len > 0) {
        c->out_pos = c->out_len = 0;
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
        epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &ev);
    }
}

static void append_message(worker_t *w, conn_t *c, uint64_t from_ns) {
    uint64_t n = c->next_n, s = n % RING;
    if (c->out_len + c->len > c->out_cap) {
        c->out_cap = (c->out_len + c->len) * 2;
        c->out = realloc(c->out, c->out_cap);
    }
    char *m = c->out + c->out_len;
    memcpy(m, c->tmpl, c->len);
    char digits[NDIGITS];
    uint64_t v = n;
    for (int i = NDIGITS - 1; i >= 0; i--) { digits[i] = (char)('0' + v % 10); v /= 10; }
    for (int k = 0; k < 3; k++) memcpy(m + c->off[k], digits, NDIGITS);
    c->out_len += c->len;
    c->slot_n[s] = n + 1;
    c->slot_t[s] = from_ns;
    c->next_n++;
    c->outstanding++;
    w->sent++;
}

/* Writes what the window (and, open loop, the schedule) allows. */
static void try_send(worker_t *w, conn_t *c, uint64_t now, int sending) {
    if (c->dead || !sending) return;
    if (c->out_pos < c->out_len) return;            /* still waiting for the socket to drain */
    int added = 0;
    while (c->outstanding < (uint64_t)window && c->slot_n[c->next_n % RING] == 0) {
        if (rate > 0) {
            uint64_t t = scheduled(w, c, c->next_n);
            if (t > now || t >= w->deadline) break;
            h_add(&w->late, now - t);
            append_message(w, c, t);
        } else {
            append_message(w, c, now);
        }
        added = 1;
    }
    if (added) flush_out(w, c);
}

static void on_frame(worker_t *w, conn_t *c, const char *p, size_t n, uint64_t now) {
    /* find the MSA segment */
    const char *msa = NULL;
    for (size_t i = 0; i + 4 <= n; i++)
        if ((i == 0 || p[i - 1] == '\r' || p[i - 1] == '\n') && memcmp(p + i, "MSA|", 4) == 0) { msa = p + i; break; }
    if (!msa) { w->unmatched++; return; }
    const char *end = p + n, *f1 = msa + 4, *q = f1;
    while (q < end && *q != '|' && *q != '\r') q++;
    size_t code_len = (size_t)(q - f1);
    const char *f2 = (q < end && *q == '|') ? q + 1 : q, *r = f2;
    while (r < end && *r != '|' && *r != '\r' && *r != '^') r++;
    size_t id_len = (size_t)(r - f2);
    if (id_len != c->prefix_len + NDIGITS || memcmp(f2, c->prefix, c->prefix_len) != 0) { w->unmatched++; return; }
    uint64_t num = 0;
    for (size_t i = c->prefix_len; i < id_len; i++) {
        if (f2[i] < '0' || f2[i] > '9') { w->unmatched++; return; }
        num = num * 10 + (uint64_t)(f2[i] - '0');
    }
    uint64_t s = num % RING;
    if (c->slot_n[s] != num + 1) { w->unmatched++; return; }
    c->slot_n[s] = 0;
    c->outstanding--;
    uint64_t from = c->slot_t[s];
    if (code_len == 2 && f1[0] == 'A' && f1[1] == 'A') {
        w->aa++;
        if (now <= w->deadline) w->aa_in_window++;
        h_add(&w->lat, now > from ? now - from : 0);
    } else if (code_len == 2 && f1[0] == 'A' && f1[1] == 'E') w->ae++;
    else if (code_len == 2 && f1[0] == 'A' && f1[1] == 'R') w->ar++;
    else w->other++;
}

static void on_readable(worker_t *w, conn_t *c) {
    for (;;) {
        if (c->in_len == RBUF) { fprintf(stderr, "frame larger than the read buffer\n"); kill_conn(w, c); return; }
        size_t want = RBUF - c->in_len;
        ssize_t k = read(c->fd, c->in + c->in_len, want);
        if (k == 0) { kill_conn(w, c); return; }
        if (k < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            kill_conn(w, c);
            return;
        }
        c->in_len += (size_t)k;
        uint64_t now = now_ns();
        size_t pos = 0;
        for (;;) {
            char *sb = memchr(c->in + pos, 0x0b, c->in_len - pos);
            if (!sb) { pos = c->in_len; break; }
            size_t start = (size_t)(sb - c->in) + 1, e = start;
            int found = 0;
            for (; e + 1 < c->in_len; e++) if (c->in[e] == 0x1c && c->in[e + 1] == 0x0d) { found = 1; break; }
            if (!found) { pos = start - 1; break; }
            on_frame(w, c, c->in + start, e - start, now);
            pos = e + 2;
        }
        if (pos > 0) { memmove(c->in, c->in + pos, c->in_len - pos); c->in_len -= pos; }
        if ((size_t)k < want) break;  /* drained */
    }
}

static void arm_timer(worker_t *w, uint64_t at) {
    if (at == w->armed) return;
    w->armed = at;
    struct itimerspec its = { 0 };
    its.it_value.tv_sec = (time_t)(at / 1000000000ull);
    its.it_value.tv_nsec = (long)(at % 1000000000ull);
    if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) its.it_value.tv_nsec = 1;
    timerfd_settime(w->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void *run_worker(void *arg) {
    worker_t *w = arg;
    struct epoll_event evs[256];
    for (;;) {
        uint64_t now = now_ns();
        int sending = now < w->deadline;
        uint64_t outstanding = 0;
        for (int i = 0; i < w->nc; i++) {
            try_send(w, &w->c[i], now, sending);
            outstanding += w->c[i].outstanding;
        }
        if (!sending && (outstanding == 0 || now >= w->drain_end)) break;
        /* next wake-up: the deadline / drain end, and (open loop) the next scheduled send with room in its window */
        uint64_t wake = sending ? w->deadline : w->drain_end;
        if (rate > 0 && sending) {
            for (int i = 0; i < w->nc; i++) {
                conn_t *c = &w->c[i];
                if (c->dead || c->outstanding >= (uint64_t)window || c->out_pos < c->out_len) continue;
                uint64_t t = scheduled(w, c, c->next_n);
                if (t < wake) wake = t;
            }
        }
        arm_timer(w, wake);
        int n = epoll_wait(w->ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == NULL) {
                uint64_t x;
                if (read(w->tfd, &x, sizeof x) < 0) { /* timer already consumed */ }
                w->armed = 0;
                continue;
            }
            conn_t *c = evs[i].data.ptr;
            if (c->dead) continue;
            if (evs[i].events & (EPOLLERR | EPOLLHUP)) {
                on_readable(w, c);
                kill_conn(w, c);
                continue;
            }
            if (evs[i].events & EPOLLIN) on_readable(w, c);
            if (!c->dead && (evs[i].events & EPOLLOUT)) flush_out(w, c);
        }
    }
    for (int i = 0; i < w->nc; i++) {
        conn_t *c = &w->c[i];
        w->lost += c->outstanding;   /* never acknowledged within the drain time */
        if (!c->dead) close(c->fd);
    }
    return NULL;
}

static void usage(void) {
    fprintf(stderr, "usage: loadgen -p PORT [-H HOST] [-c CONNS] [-w WINDOW] [-d SECONDS] [-r RATE (0 = closed loop)] "
                    "[-t THREADS] [-s SENDERS] [-T RUNTAG] [-D DRAIN_SECONDS]\n");
    exit(2);
}

int main(int argc, char **argv) {
    int opt;
    snprintf(runtag, sizeof runtag, "LG%lx%x", (unsigned long)time(NULL), (unsigned)getpid() & 0xfff);
    while ((opt = getopt(argc, argv, "H:p:c:w:d:r:t:s:T:D:h")) != -1) {
        switch (opt) {
        case 'H': host = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'c': conns = atoi(optarg); break;
        case 'w': window = atoi(optarg); break;
        case 'd': duration = atof(optarg); break;
        case 'r': rate = atof(optarg); break;
        case 't': threads = atoi(optarg); break;
        case 's': senders = atoi(optarg); break;
        case 'T': snprintf(runtag, sizeof runtag, "%s", optarg); break;
        case 'D': drain = atof(optarg); break;
        default: usage();
        }
    }
    if (port <= 0 || conns < 1 || window < 1 || window > (int)(RING / 2) || threads < 1 || senders < 1 || duration <= 0)
        usage();
    if (threads > conns) threads = conns;

    conn_t *cs = calloc((size_t)conns, sizeof(conn_t));
    for (int i = 0; i < conns; i++) {
        conn_t *c = &cs[i];
        c->id = i;
        build_template(c);
        c->fd = connect_one();
        c->slot_n = calloc(RING, sizeof(uint64_t));
        c->slot_t = calloc(RING, sizeof(uint64_t));
        c->in = malloc(RBUF);
        c->out_cap = (size_t)window * c->len + 1;
        c->out = malloc(c->out_cap);
    }
    /* Connections are refused by closing them: give the server a moment, then check none closed. */
    usleep(100000);

    worker_t *ws = calloc((size_t)threads, sizeof(worker_t));
    uint64_t start = now_ns() + 20000000ull;
    for (int t = 0; t < threads; t++) {
        worker_t *w = &ws[t];
        w->index = t;
        w->ep = epoll_create1(0);
        w->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
        struct epoll_event tev = { .events = EPOLLIN, .data.ptr = NULL };
        epoll_ctl(w->ep, EPOLL_CTL_ADD, w->tfd, &tev);
        w->c = malloc(sizeof(conn_t) * (size_t)conns);
        w->start = start;
        w->deadline = start + (uint64_t)(duration * 1e9);
        w->drain_end = w->deadline + (uint64_t)(drain * 1e9);
    }
    /* Each worker owns a copy of its connections' structs (distributed round-robin). */
    for (int i = 0; i < conns; i++) {
        worker_t *w = &ws[i % threads];
        w->c[w->nc++] = cs[i];
    }
    for (int t = 0; t < threads; t++) {
        worker_t *w = &ws[t];
        for (int i = 0; i < w->nc; i++) {
            struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &w->c[i] };
            epoll_ctl(w->ep, EPOLL_CTL_ADD, w->c[i].fd, &ev);
        }
    }
    while (now_ns() < start) usleep(1000);
    pthread_t *tids = calloc((size_t)threads, sizeof(pthread_t));
    for (int t = 0; t < threads; t++) pthread_create(&tids[t], NULL, run_worker, &ws[t]);
    for (int t = 0; t < threads; t++) pthread_join(tids[t], NULL);
    uint64_t finished = now_ns();

    static hist_t lat, late;
    uint64_t sent = 0, aa = 0, ae = 0, ar = 0, other = 0, unmatched = 0, aa_win = 0, lost = 0, cerr = 0;
    for (int t = 0; t < threads; t++) {
        worker_t *w = &ws[t];
        h_merge(&lat, &w->lat);
        h_merge(&late, &w->late);
        sent += w->sent; aa += w->aa; ae += w->ae; ar += w->ar; other += w->other;
        unmatched += w->unmatched; aa_win += w->aa_in_window; lost += w->lost; cerr += w->conn_errors;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    uint64_t errors = ae + ar + other + unmatched + lost;
    printf("{\"mode\":\"%s\",\"connections\":%d,\"window\":%d,\"threads\":%d,\"duration_s\":%.1f,\"rate_target\":%.0f,"
           "\"message_bytes\":%zu,\"obx_per_message\":8,\"sent\":%llu,\"aa\":%llu,\"ae\":%llu,\"ar\":%llu,\"other\":%llu,"
           "\"unmatched\":%llu,\"unacked\":%llu,\"connection_errors\":%llu,\"errors\":%llu,"
           "\"msgs_per_s\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,"
           "\"mean_ms\":%.3f,\"late_p99_ms\":%.3f,\"late_max_ms\":%.3f,\"elapsed_s\":%.2f,\"generator_cpu_s\":%.2f,\"run\":\"%s\"}\n",
           rate > 0 ? "open" : "closed", conns, window, threads, duration, rate, cs[0].len - 3,
           (unsigned long long)sent, (unsigned long long)aa, (unsigned long long)ae, (unsigned long long)ar,
           (unsigned long long)other, (unsigned long long)unmatched, (unsigned long long)lost, (unsigned long long)cerr,
           (unsigned long long)errors, (double)aa_win / duration,
           h_pct_ms(&lat, 0.50), h_pct_ms(&lat, 0.90), h_pct_ms(&lat, 0.99), h_pct_ms(&lat, 0.999),
           (double)lat.max_ns / 1e6, lat.n ? lat.sum_ns / (double)lat.n / 1e6 : 0.0,
           h_pct_ms(&late, 0.99), (double)late.max_ns / 1e6, (double)(finished - start) / 1e9, cpu_s, runtag);
    return errors || cerr ? 1 : 0;
}
