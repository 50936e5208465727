#!/usr/bin/env python3
"""Alarm latency of the live room board: from just before a hypertensive cuff reading is sent over MLLP to the
arrival of the board's Server-Sent Event for that chair showing a high-priority alarm.

    python3 alarm_latency.py --http-port P --mllp-port M --password PW [--email nurse.okafor@deeprelief.local]
                             [--count 100] [--interval 0.3] [--chairs 6]

Signs in through the web form (POST /sign-in; the cookie `dr_session`), reads the chair ids from GET /board, opens
GET /board/events on a raw socket (chunked transfer decoded here; every event is time-stamped as soon as its bytes
arrive) and keeps one MLLP connection per demo monitor (MONITOR-1…N, MSH-4 DEEPRELIEF-SIM). Then, `count` times,
`interval` apart, rotating over the chairs: sends an ORU^R01 with the usual 8 OBX whose cuff reading is 190/125
(mean 147; OBX-14 = now, with milliseconds, so it is a new reading) and waits for an `event: chair` whose id is that
chair and whose HTML contains `alarm-high`; right after, sends a normal reading 120/80 (mean 93) on the same
connection, which clears the alarm (clinical-reference §3: a reading within limits clears), so the next crisis on
that chair raises it again. Before each crisis it checks that the chair's latest event no longer shows `alarm-high`
(else it waits for one up to 3 s and counts the round as "not cleared").

What is measured: receipt → parse → group commit → alarm engine → board event → SSE write, plus the local network
(loopback) and this script's own scheduling; the generator and the server share the machine. ACK round trips of the
crisis messages are reported too.

Output: a JSON line (n, p50/p90/p99/max/mean ms, ack_p50/ack_p99 ms, timeouts, not_cleared, non_aa). Exit status 1
when a message was not AA'd or an alarm never arrived.
"""
import argparse
import json
import re
import socket
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timezone

ap = argparse.ArgumentParser()
ap.add_argument("--host", default="127.0.0.1")
ap.add_argument("--http-port", type=int, required=True)
ap.add_argument("--mllp-port", type=int, required=True)
ap.add_argument("--email", default="nurse.okafor@deeprelief.local")
ap.add_argument("--password", required=True)
ap.add_argument("--count", type=int, default=100)
ap.add_argument("--interval", type=float, default=0.3)
ap.add_argument("--chairs", type=int, default=6)
ap.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for one alarm event")
args = ap.parse_args()
sys.setswitchinterval(0.0005)
RUN = "AL%x" % int(time.time())


# ------------------------------------------------------------------ HTTP helpers (raw sockets, HTTP/1.1)
def http(method, path, body=None, headers=None):
    s = socket.create_connection((args.host, args.http_port), timeout=15)
    h = {"Host": "%s:%d" % (args.host, args.http_port), "Connection": "close"}
    h.update(headers or {})
    data = body.encode() if body is not None else b""
    if body is not None:
        h["Content-Length"] = str(len(data))
    req = "%s %s HTTP/1.1\r\n" % (method, path) + "".join("%s: %s\r\n" % kv for kv in h.items()) + "\r\n"
    s.sendall(req.encode() + data)
    raw = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        raw += chunk
    s.close()
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = [tuple(x.split(":", 1)) for x in lines[1:] if ":" in x]
    if any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in hdrs):
        rest = dechunk_all(rest)
    return status, hdrs, rest.decode("utf-8", "replace")


def dechunk_all(b):
    out, i = b"", 0
    while True:
        j = b.index(b"\r\n", i)
        n = int(b[i:j].split(b";")[0], 16)
        if n == 0:
            return out
        out += b[j + 2:j + 2 + n]
        i = j + 2 + n + 2


# ------------------------------------------------------------------ sign in, chair ids
status, _, page = http("GET", "/sign-in")
fields = set(re.findall(r'name="([^"]+)"', page))
if status != 200 or not {"email", "password", "next"} <= fields:
    sys.exit("unexpected sign-in form (status %d, fields %s)" % (status, sorted(fields)))
form = {"email": args.email, "password": args.password, "next": "/board"}
if "csrf" in fields:  # not needed today; kept in case the form grows one
    m = re.search(r'name="csrf" value="([^"]*)"', page)
    form["csrf"] = m.group(1) if m else ""
status, hdrs, _ = http("POST", "/sign-in", urllib.parse.urlencode(form),
                       {"Content-Type": "application/x-www-form-urlencoded"})
cookie = None
for k, v in hdrs:
    if k.lower() == "set-cookie" and v.strip().startswith("dr_session="):
        cookie = v.strip().split(";", 1)[0]
if status not in (302, 303) or not cookie:
    sys.exit("sign-in failed (status %d)" % status)
COOKIE = {"Cookie": cookie}

status, _, board = http("GET", "/board", headers=COOKIE)
if status != 200:
    sys.exit("GET /board answered %d" % status)
chair_of = {}  # monitor number -> chair uuid
for m in re.finditer(r'<article class="chair-card[^"]*" id="chair-([0-9A-Fa-f-]{36})".*?</header>', board, re.S):
    card = m.group(0)
    dev = re.search(r'<span class="muted">[^<]*?(\d+)</span>', card)
    title = re.search(r'<h2[^>]*>[^<]*?(\d+)</h2>', card)
    n = int(dev.group(1)) if dev else (int(title.group(1)) if title else None)
    if n is not None:
        chair_of[n] = m.group(1).upper()
missing = [k for k in range(1, args.chairs + 1) if k not in chair_of]
if missing:
    sys.exit("no chair found on /board for monitors %s" % missing)

# ------------------------------------------------------------------ SSE reader
cond = threading.Condition()
events = []          # (arrival perf_counter, chair id, has alarm-high)
latest = {}          # chair id -> has alarm-high, from its latest event
reader_error = []


def sse_reader():
    try:
        s = socket.create_connection((args.host, args.http_port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        req = ("GET /board/events HTTP/1.1\r\nHost: %s:%d\r\nAccept: text/event-stream\r\nCookie: %s\r\n\r\n"
               % (args.host, args.http_port, cookie))
        s.sendall(req.encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                raise RuntimeError("event stream closed before headers")
            buf += chunk
        head, _, buf = buf.partition(b"\r\n\r\n")
        if b" 200" not in head.split(b"\r\n")[0]:
            raise RuntimeError("event stream: " + head.split(b"\r\n")[0].decode())
        chunked = b"chunked" in head.lower()
        raw, text = buf, b""
        while True:
            if chunked:   # decode as many whole chunks as we have
                while True:
                    j = raw.find(b"\r\n")
                    if j < 0:
                        break
                    n = int(raw[:j].split(b";")[0], 16)
                    if n == 0:
                        raise RuntimeError("event stream ended")
                    if len(raw) < j + 2 + n + 2:
                        break
                    text += raw[j + 2:j + 2 + n]
                    raw = raw[j + 2 + n + 2:]
            else:
                text, raw = text + raw, b""
            while b"\n\n" in text:
                block, _, text = text.partition(b"\n\n")
                now = time.perf_counter()
                name, data = None, []
                for line in block.decode("utf-8", "replace").split("\n"):
                    if line.startswith("event:"):
                        name = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].lstrip())
                if name == "chair" and data:
                    d = json.loads("\n".join(data))
                    cid, high = d.get("id", "").upper(), "alarm-high" in d.get("html", "")
                    with cond:
                        events.append((now, cid, high))
                        latest[cid] = high
                        cond.notify_all()
            chunk = s.recv(65536)
            if not chunk:
                raise RuntimeError("event stream closed")
            raw += chunk
    except Exception as e:  # reported by the main thread
        with cond:
            reader_error.append(repr(e))
            cond.notify_all()


threading.Thread(target=sse_reader, daemon=True).start()
time.sleep(0.5)  # let the stream open (its first write is `retry:`)
if reader_error:
    sys.exit("event stream: " + reader_error[0])


# ------------------------------------------------------------------ MLLP
def hl7_time(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y%m%d%H%M%S.") + "%03d+0000" % (int(t * 1000) % 1000)


def message(k, n, sys_, dia, mean):
    now = time.time()
    ts = hl7_time(now)
    app, cid = "MONITOR-%d" % k, "%s-%d-%d" % (RUN, k, n)
    seg = [
        "MSH|^~\\&|%s|DEEPRELIEF-SIM|DEEPRELIEF|CLINIC|%s||ORU^R01^ORU_R01|%s|P|2.6|||NE|AL||UNICODE UTF-8|||"
        "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO" % (app, ts, cid),
        "OBR|1|%s^%s|%s^%s|182777000^monitoring of patient^SCT|||%s" % (cid, app, cid, app, ts),
    ]
    rows = [("147842", "MDC_ECG_HEART_RATE", "1.1.1.147842", 74, "264864^MDC_DIM_BEAT_PER_MIN^MDC"),
            ("149530", "MDC_PULS_OXIM_PULS_RATE", "1.2.1.149530", 74, "264864^MDC_DIM_BEAT_PER_MIN^MDC"),
            ("150456", "MDC_PULS_OXIM_SAT_O2", "1.2.1.150456", 97, "262688^MDC_DIM_PERCENT^MDC"),
            ("151562", "MDC_RESP_RATE", "1.4.1.151562", 14, "264928^MDC_DIM_RESP_PER_MIN^MDC"),
            ("151708", "MDC_AWAY_CO2_ET", "1.4.1.151708", 38, "266016^MDC_DIM_MMHG^MDC"),
            ("150021", "MDC_PRESS_BLD_NONINV_SYS", "1.3.1.150021", sys_, "266016^MDC_DIM_MMHG^MDC"),
            ("150022", "MDC_PRESS_BLD_NONINV_DIA", "1.3.1.150022", dia, "266016^MDC_DIM_MMHG^MDC"),
            ("150023", "MDC_PRESS_BLD_NONINV_MEAN", "1.3.1.150023", mean, "266016^MDC_DIM_MMHG^MDC")]
    for i, (code, text, sub, value, unit) in enumerate(rows, 1):
        seg.append("OBX|%d|NM|%s^%s^MDC|%s|%d|%s|||||R|||%s" % (i, code, text, sub, value, unit, ts))
    return cid, b"\x0b" + ("\r".join(seg) + "\r").encode() + b"\x1c\x0d"


class Monitor:
    def __init__(self, k):
        self.k, self.n, self.buf = k, 0, b""
        self.s = socket.create_connection((args.host, args.mllp_port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, sys_, dia, mean):
        self.n += 1
        cid, frame = message(self.k, self.n, sys_, dia, mean)
        self.s.sendall(frame)
        return cid

    def ack(self):
        while b"\x1c\x0d" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise RuntimeError("MLLP connection closed")
            self.buf += chunk
        frame, _, self.buf = self.buf.partition(b"\x1c\x0d")
        frame = frame[frame.find(b"\x0b") + 1:].decode("utf-8", "replace")
        m = re.search(r"(?:^|\r)MSA\|([^|\r]*)\|([^|\r]*)", frame)
        return (m.group(1), m.group(2)) if m else ("?", "")


monitors = {k: Monitor(k) for k in range(1, args.chairs + 1)}


def wait_for(pred, since_index, deadline):
    """The first event from `since_index` on that satisfies pred, or None at the deadline."""
    with cond:
        i = since_index
        while True:
            while i < len(events):
                if pred(events[i]):
                    return events[i]
                i += 1
            left = deadline - time.perf_counter()
            if left <= 0 or reader_error:
                return None
            cond.wait(left)


latencies, acks = [], []
timeouts = not_cleared = non_aa = 0
start = time.perf_counter()
for i in range(args.count):
    slot = start + i * args.interval
    while time.perf_counter() < slot:
        time.sleep(min(0.01, max(0.0, slot - time.perf_counter())))
    k = i % args.chairs + 1
    chair, mon = chair_of[k], monitors[k]
    with cond:
        still_high = latest.get(chair, False)
        mark = len(events)
    if still_high:  # the previous crisis on this chair has not shown as cleared yet
        if wait_for(lambda e: e[1] == chair and not e[2], mark, time.perf_counter() + 3) is None:
            not_cleared += 1
            continue
    with cond:
        mark = len(events)
    t0 = time.perf_counter()
    cid = mon.send(190, 125, 147)
    code, acked = mon.ack()
    t_ack = time.perf_counter()
    if code != "AA" or acked != cid:
        non_aa += 1
    acks.append((t_ack - t0) * 1000)
    e = wait_for(lambda e: e[1] == chair and e[2], mark, t0 + args.timeout)
    if e is None:
        timeouts += 1
    else:
        latencies.append((e[0] - t0) * 1000)
    cid = mon.send(120, 80, 93)  # within limits: clears the alarm
    code, acked = mon.ack()
    if code != "AA" or acked != cid:
        non_aa += 1


def pct(xs, q):
    if not xs:
        return None
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, max(0, int(q * len(xs) + 0.999999) - 1))], 3)


out = {"n": len(latencies), "rounds": args.count, "p50_ms": pct(latencies, 0.5), "p90_ms": pct(latencies, 0.9),
       "p99_ms": pct(latencies, 0.99), "max_ms": round(max(latencies), 3) if latencies else None,
       "mean_ms": round(sum(latencies) / len(latencies), 3) if latencies else None,
       "ack_p50_ms": pct(acks, 0.5), "ack_p99_ms": pct(acks, 0.99),
       "timeouts": timeouts, "not_cleared": not_cleared, "non_aa": non_aa,
       "reader_error": reader_error[0] if reader_error else None}
print(json.dumps(out))
sys.exit(1 if non_aa or timeouts or reader_error else 0)
