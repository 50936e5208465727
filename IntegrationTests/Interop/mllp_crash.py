#!/usr/bin/env python3
"""Crash safety of the MLLP ingest: stream messages, SIGKILL the server mid-stream, restart it on the same database and
prove that every AA-acknowledged message is stored exactly once (DESIGN §6: AA only after the commit; a resend is
acknowledged again but stored once).

1. Starts the real `deeprelief serve` on a fresh SQLite demo clinic (spare ports, a temp dir; 20 demo patients so all
   six demo chairs have a patient infusing).
2. Opens seven MLLP connections — MONITOR-1…6 (filed under their chair's session) and MONITOR-99 (an unknown sender:
   quarantined) — each streaming ORU^R01 messages with unique MSH-10s, pipelined (up to WINDOW unacknowledged per
   connection), 1–7 mapped OBX rows each (plus an unmapped one now and then, which must not be stored). Every ACK is
   read with a raw-socket MLLP reader and recorded by MSA-2.
3. After RUN_SECONDS (longer on a slow machine, until MIN_AA were acknowledged) sends SIGKILL to the server while thousands of messages are in flight.
4. Restarts the server on the same database file (with --demo again, which must add nothing to a non-empty database)
   and checks with read-only sqlite3:
   - every AA'd (sender, MSH-10) is in vital_messages, exactly once, with the right status and the body as sent;
   - a filed message has exactly as many vital_observations rows as it had mapped OBX rows (not doubled, not partial);
     a quarantined one has none; no observation row belongs to a message that is not stored (no torn batch).
5. Resends a sample of AA'd messages (AA "Duplicate…", still stored once) and every message that was sent but never
   acknowledged, as a real sender must (AA; "Duplicate…" exactly for those the crash had already stored); then sends
   new messages, which must be acknowledged and stored. Finally every message ever sent is stored exactly once.
6. Right after the restart, MONITOR-1 repeats its latest stored cuff (NIBP) reading with the same time in a new message:
   the server stores a repeated cuff reading once, and that must survive a restart.
7. Stops the restarted server with SIGTERM: it must close its database and exit 0.

Prints counts (sent, AA'd before the kill, stored, unacknowledged-but-stored) and a PASS/FAIL line per check; exits
non-zero on any violation.

Usage: mllp_crash.py /path/to/deeprelief
"""
import contextlib
import datetime
import os
import random
import signal
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request

BIN = sys.argv[1]
FACILITY = "DEEPRELIEF-SIM"
MONITORS = [f"MONITOR-{n}" for n in range(1, 7)] + ["MONITOR-99"]
WINDOW = 200  # unacknowledged messages per connection
RUN_SECONDS = 2.5  # then SIGKILL, once at least MIN_AA messages were acknowledged (at most MAX_SECONDS)
MIN_AA = 1000
MAX_SECONDS = 15
DUPLICATE = "Duplicate of a message already stored"
passed, failed = 0, 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"PASS {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name} {str(detail)[-1200:]}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# (MDC code, reference id, value, MDC_DIM unit code, unit reference id): one mapped OBX each.
MAPPED = [
    ("147842", "MDC_ECG_HEART_RATE", "72", "264864", "MDC_DIM_BEAT_PER_MIN"),
    ("150456", "MDC_PULS_OXIM_SAT_O2", "97", "262688", "MDC_DIM_PERCENT"),
    ("149530", "MDC_PULS_RATE", "71", "264864", "MDC_DIM_BEAT_PER_MIN"),
    ("150021", "MDC_PRESS_BLD_NONINV_SYS", "121", "266016", "MDC_DIM_MMHG"),
    ("150022", "MDC_PRESS_BLD_NONINV_DIA", "77", "266016", "MDC_DIM_MMHG"),
    ("150023", "MDC_PRESS_BLD_NONINV_MEAN", "92", "266016", "MDC_DIM_MMHG"),
    ("151708", "MDC_AWAY_CO2_ET", "35", "266016", "MDC_DIM_MMHG"),
]


def oru(app, control_id, seq, at_ms):
    """An ORU^R01 v2.6 from `app` with 1–7 mapped OBX rows (and an unmapped one every fifth message), observed at
    `at_ms` (ms since the epoch). Returns (text, number of mapped OBX rows)."""
    t = datetime.datetime.fromtimestamp(at_ms / 1000, datetime.timezone.utc)
    now = t.strftime("%Y%m%d%H%M%S.") + f"{at_ms % 1000:03d}+0000"
    k = 1 + seq % len(MAPPED)
    segs = [f"MSH|^~\\&|{app}|{FACILITY}|DEEPRELIEF|CLINIC|{now}||ORU^R01^ORU_R01|{control_id}|P|2.6|||NE|AL",
            f"OBR|1|||182777000^monitoring of patient^SCT|||{now}"]
    for i, (code, ref, value, ucode, uref) in enumerate(MAPPED[:k], 1):
        segs.append(f"OBX|{i}|NM|{code}^{ref}^MDC|1.0.0.{i}|{value}|{ucode}^{uref}^MDC|||||F|||{now}")
    if seq % 5 == 0:
        segs.append(f"OBX|{k + 1}|ST|69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1|monitor||||||F")
    return "\r".join(segs) + "\r", k


def frame(text):
    return b"\x0b" + text.encode() + b"\x1c\x0d"


def read_frames(buf):
    """Splits complete MLLP frames off the front of buf; returns (payloads, rest)."""
    out = []
    while True:
        start = buf.find(b"\x0b")
        if start < 0:
            return out, b""
        end = buf.find(b"\x1c\x0d", start)
        if end < 0:
            return out, buf[start:]
        out.append(buf[start + 1:end].decode())
        buf = buf[end + 2:]


def msa(ack):
    """(MSA-1, MSA-2, MSA-3) of an ACK in the default separators."""
    for seg in ack.replace("\n", "\r").split("\r"):
        if seg.startswith("MSA|"):
            f = seg.split("|") + ["", "", ""]
            return f[1], f[2], f[3]
    return None, None, None


class Stream(threading.Thread):
    """One monitor's connection: sends messages pipelined (at most WINDOW unacknowledged), reads ACKs by MSA-2."""

    def __init__(self, port, app, sent, prefix, stop, limit=None):
        super().__init__(daemon=True)
        self.port, self.app, self.sent, self.prefix, self.stop, self.limit = port, app, sent, prefix, stop, limit
        self.sender = f"{app}|{FACILITY}"
        self.acks = {}  # control id -> (MSA-1, MSA-3)
        self.order = []  # control ids in the order sent
        self.error = None
        self.inflight = 0
        self.last_ms = 0

    def run(self):
        try:
            s = socket.create_connection(("127.0.0.1", self.port), timeout=20)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            buf, seq = b"", 0
            while True:
                out = []
                while not self.stop.is_set() and self.inflight + len(out) < WINDOW and (self.limit is None or seq < self.limit):
                    cid = f"{self.prefix}-{self.app}-{seq:07d}"
                    # Strictly increasing observation times per monitor: every cuff (NIBP) row is a new reading (the server
                    # keeps a cuff reading that a monitor repeats with the same or an older time once).
                    self.last_ms = max(int(time.time() * 1000), self.last_ms + 1)
                    text, k = oru(self.app, cid, seq, self.last_ms)
                    self.sent[(self.sender, cid)] = (text, k)
                    self.order.append(cid)
                    out.append(frame(text))
                    seq += 1
                if out:
                    self.inflight += len(out)
                    s.sendall(b"".join(out))
                if self.inflight == 0:
                    break
                data = s.recv(1 << 16)
                if not data:
                    self.error = "connection closed by the server"
                    break
                payloads, buf = read_frames(buf + data)
                for p in payloads:
                    code, control, text = msa(p)
                    self.acks[control] = (code, text)
                    self.inflight -= 1
            s.close()
        except OSError as e:  # the server was killed: reset, broken pipe or timeout
            self.error = f"{type(e).__name__}: {e}"


def start_server(work, db, demo=True, tag="server"):
    port, mllp = free_port(), free_port()
    env = dict(os.environ, DEEPRELIEF_ADMIN_PASSWORD="crash-admin-password-1", DEEPRELIEF_DEMO_PASSWORD="crash-demo-password-1")
    env.pop("DATABASE_URL", None)
    log = os.path.join(work, f"{tag}.log")
    args = [BIN, "serve", "--port", str(port), "--mllp-port", str(mllp), "--database", db]
    if demo:
        args += ["--demo", "--demo-patients", "20"]
    proc = subprocess.Popen(args, cwd=work, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return proc, mllp, log
        except Exception:
            if proc.poll() is not None:
                raise RuntimeError(f"{tag} exited:\n" + open(log).read())
            time.sleep(0.1)
    raise RuntimeError(f"{tag} did not answer /health")


def stream_all(mllp, sent, prefix, seconds=None, limit=None):
    stop = threading.Event()
    streams = [Stream(mllp, app, sent, prefix, stop, limit) for app in MONITORS]
    for s in streams:
        s.start()
    if seconds is not None:
        time.sleep(seconds)
    return streams, stop


def send_pipelined(mllp, messages):
    """Sends [(sender, control id, text)] pipelined, one connection per sender; returns {(sender, cid): (MSA-1, MSA-3)}."""
    by_sender = {}
    for sender, cid, text in messages:
        by_sender.setdefault(sender, []).append((cid, text))
    acks, errors = {}, []

    def one(sender, items):
        try:
            s = socket.create_connection(("127.0.0.1", mllp), timeout=30)
            buf, i, inflight, n = b"", 0, 0, len(items)
            while i < n or inflight:
                chunk = items[i:i + max(0, WINDOW - inflight)]
                if chunk:
                    s.sendall(b"".join(frame(t) for _, t in chunk))
                    i += len(chunk)
                    inflight += len(chunk)
                data = s.recv(1 << 16)
                if not data:
                    errors.append(f"{sender}: closed with {inflight} unacknowledged")
                    break
                payloads, buf = read_frames(buf + data)
                for p in payloads:
                    code, control, text = msa(p)
                    acks[(sender, control)] = (code, text)
                    inflight -= 1
            s.close()
        except OSError as e:
            errors.append(f"{sender}: {e}")

    threads = [threading.Thread(target=one, args=item) for item in by_sender.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return acks, errors


def main():
    work = tempfile.mkdtemp(prefix="deeprelief-crash-")
    db = os.path.join(work, "crash.sqlite")
    began = time.monotonic()
    server = None
    try:
        server, mllp, log = start_server(work, db, tag="server-1")
        print("server log:", log, flush=True)
        run(work, db, server, mllp)
    except Exception:
        check("the checks ran to the end", False, traceback.format_exc())
    finally:
        for p in procs:
            if p.poll() is None:
                stop_server(p)
    print(f"mllp crash: {passed} passed, {failed} failed in {time.monotonic() - began:.1f} s")
    if failed:
        print("kept for inspection:", work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


procs = []


def stop_server(proc, timeout=30):
    """SIGTERM, then SIGKILL if it has not exited after `timeout` s; returns (exit status, seconds taken)."""
    began = time.monotonic()
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return proc.returncode, time.monotonic() - began


def run(work, db, server, mllp):
    procs.append(server)

    def ro():
        return contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True))

    with ro() as c:
        # Which monitors have a patient infusing at their chair (their messages are filed; the others quarantined).
        with_patient = {r[0] for r in c.execute("""
            select json_extract(d.document, '$.sendingApplication') from monitor_devices d
            join infusion_sessions s on json_extract(s.document, '$.chairID') = d.ref_id and s.status = 'infusing'""")}
        devices_before = c.execute("select count(*) from monitor_devices").fetchone()[0]
        patients_before = c.execute("select count(*) from patients").fetchone()[0]
    check("demo: a patient infusing at each of MONITOR-1…6's chairs", with_patient == set(MONITORS[:6]), sorted(with_patient))
    expected_status = {f"{app}|{FACILITY}": "filed" if app in with_patient else "quarantined" for app in MONITORS}

    # --- stream, then SIGKILL mid-stream
    sent = {}  # (sender, control id) -> (text, mapped OBX count)
    streams, stop = stream_all(mllp, sent, "CRASH", seconds=RUN_SECONDS)
    t0 = time.monotonic() - RUN_SECONDS
    while sum(len(s.acks) for s in streams) < MIN_AA and time.monotonic() - t0 < MAX_SECONDS:  # a slow machine: a bit longer
        time.sleep(0.1)
    streamed = time.monotonic() - t0
    in_flight = sum(s.inflight for s in streams)
    os.kill(server.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    server.wait(timeout=10)
    for s in streams:
        s.join(timeout=20)
    check("the server died of SIGKILL", server.returncode == -signal.SIGKILL, server.returncode)
    check("every stream was cut off by the kill, none finished or hung", all(s.error and not s.is_alive() for s in streams),
          [(s.app, s.error, s.is_alive()) for s in streams])
    acks = {(s.sender, cid): a for s in streams for cid, a in s.acks.items()}
    aa = {k for k, (code, _) in acks.items() if code == "AA"}
    others = {k: a for k, a in acks.items() if a[0] != "AA"}
    unacked = set(sent) - set(acks)
    print(f"sent {len(sent)} messages on {len(streams)} connections in {streamed:.1f} s; "
          f"AA'd before the kill: {len(aa)}; other ACKs: {len(others)}; "
          f"unacknowledged at the kill: {len(unacked)} (about {in_flight} in flight just before it)", flush=True)
    check(f"at least {MIN_AA} messages were acknowledged before the kill", len(aa) >= MIN_AA, len(aa))
    check("hundreds were in flight (sent, not acknowledged) at the kill", len(unacked) >= 100, len(unacked))
    check("no AE/AR while streaming", not others, list(others.items())[:5])
    check("every ACK answers a message that was sent", set(acks) <= set(sent), list(set(acks) - set(sent))[:5])

    # --- restart on the same database; --demo must add nothing to a non-empty database
    server2, mllp2, log2 = start_server(work, db, demo=True, tag="server-2")
    procs.append(server2)
    print(f"restarted in {time.monotonic() - killed_at:.1f} s; log: {log2}", flush=True)
    check("restart with --demo: 'already has patients; nothing added'", "nothing added" in open(log2).read(), open(log2).read()[:600])

    def stored_state():
        with ro() as c:
            msgs = {(r[0], r[1]): (r[2], r[3], r[4]) for r in c.execute(
                "select sender, control_id, status, session_id, body from vital_messages where control_id like 'CRASH-%' or control_id like 'AFTER-%'")}
            counts = {}
            for r in c.execute("select sender, control_id, count(*) from vital_messages group by sender, control_id having count(*) > 1"):
                counts[(r[0], r[1])] = r[2]
            obs = {(r[0], r[1]): r[2] for r in c.execute(
                "select sender, control_id, count(*) from vital_observations where control_id like 'CRASH-%' or control_id like 'AFTER-%' group by sender, control_id")}
            orphans = c.execute("""select count(*) from vital_observations o where not exists
                (select 1 from vital_messages m where m.sender = o.sender and m.control_id = o.control_id)""").fetchone()[0]
            wrong_session = c.execute("""select count(*) from vital_observations o join vital_messages m
                on m.sender = o.sender and m.control_id = o.control_id where o.session_id is not m.session_id""").fetchone()[0]
            devices = c.execute("select count(*) from monitor_devices").fetchone()[0]
            patients = c.execute("select count(*) from patients").fetchone()[0]
        return msgs, counts, obs, orphans, wrong_session, devices, patients

    def verify(label, must_be_stored):
        msgs, dup_rows, obs, orphans, wrong_session, _, _ = stored_state()
        missing = [k for k in must_be_stored if k not in msgs]
        check(f"{label}: every one of the {len(must_be_stored)} is in vital_messages", not missing, missing[:10])
        check(f"{label}: no (sender, control id) stored twice", not dup_rows, list(dup_rows.items())[:10])
        strangers = [k for k in msgs if k not in sent]
        check(f"{label}: nothing stored that was not sent", not strangers, strangers[:10])
        bad_status = [(k, v[0]) for k, v in msgs.items() if v[0] != expected_status[k[0]]]
        check(f"{label}: status filed for MONITOR-1…6, quarantined for MONITOR-99", not bad_status, bad_status[:10])
        bad_obs = [(k, obs.get(k, 0), sent[k][1]) for k, v in msgs.items() if k in sent
                   and obs.get(k, 0) != (sent[k][1] if v[0] == "filed" else 0)]
        check(f"{label}: observation rows = mapped OBX count of each filed message (0 when quarantined)", not bad_obs,
              f"{len(bad_obs)} wrong, e.g. (key, rows, OBX) {bad_obs[:10]}")
        check(f"{label}: no observation row without its message row, none under another session",
              orphans == 0 and wrong_session == 0, f"orphans {orphans}, wrong session {wrong_session}")
        sample = random.Random(7).sample(sorted(msgs), min(200, len(msgs)))
        bad_body = [k for k in sample if k in sent and msgs[k][2] != sent[k][0]]
        check(f"{label}: stored bodies are the messages as sent (200 sampled)", not bad_body, bad_body[:5])
        return msgs

    msgs = verify("after the crash", aa)
    stored_before_resend = {k for k in msgs if k[1].startswith("CRASH-")}
    unacked_stored = unacked & stored_before_resend
    print(f"stored after the crash: {len(stored_before_resend)} = {len(aa)} AA'd + {len(unacked_stored)} unacknowledged-but-stored "
          f"(committed, ACK lost in the kill: fine); unacknowledged and not stored: {len(unacked - stored_before_resend)}", flush=True)
    check("stored = AA'd + unacknowledged-but-stored", stored_before_resend == aa | unacked_stored,
          f"{len(stored_before_resend)} vs {len(aa | unacked_stored)}")
    _, _, _, _, _, devices_after, patients_after = stored_state()
    check("--demo on the non-empty database added no patients or monitors", (devices_after, patients_after) == (devices_before, patients_before),
          f"monitors {devices_before}->{devices_after}, patients {patients_before}->{patients_after}")

    # --- a cuff (NIBP) reading that a monitor repeats in its next message is stored once (the server keeps the time of
    # the last cuff reading per session): this must hold across the restart too. MONITOR-1 repeats its latest stored
    # systolic reading (same OBX-14) in a new message: its heart rate, SpO2 and pulse rows are new, the systolic is not.
    mon1 = f"MONITOR-1|{FACILITY}"
    with ro() as c:
        last_us, session = c.execute("""select observed_us, session_id from vital_observations where sender = ? and parameter = 'systolic'
                                        order by observed_us desc limit 1""", (mon1,)).fetchone()
    text, _ = oru("MONITOR-1", "REPEAT-MONITOR-1", 3, last_us // 1000)  # seq 3: heart rate, SpO2, pulse, systolic
    acks3, errors = send_pipelined(mllp2, [(mon1, "REPEAT-MONITOR-1", text)])
    check("repeated cuff reading after the restart: AA", acks3.get((mon1, "REPEAT-MONITOR-1"), ("",))[0] == "AA" and not errors, (acks3, errors))
    with ro() as c:
        same = c.execute("select count(*) from vital_observations where session_id = ? and parameter = 'systolic' and observed_us = ?",
                         (session, last_us)).fetchone()[0]
        rows = sorted(r[0] for r in c.execute("select parameter from vital_observations where sender = ? and control_id = 'REPEAT-MONITOR-1'", (mon1,)))
    check("repeated cuff reading after the restart: the systolic reading is stored once, the continuous values are new",
          same == 1 and rows == ["heartRate", "oxygenSaturation", "pulseRate"],
          f"systolic rows at that time: {same} (want 1); rows of the repeating message: {rows} "
          "(the last cuff time per session lives only in memory and is not rebuilt from vital_observations on start)")

    # --- resends: a sample of AA'd messages, and every unacknowledged one (what a sender must do)
    rng = random.Random(20261125)
    sample = rng.sample(sorted(aa), min(300, len(aa)))
    resend = [(k[0], k[1], sent[k][0]) for k in sample + sorted(unacked)]
    t = time.monotonic()
    acks2, errors = send_pipelined(mllp2, resend)
    print(f"resent {len(sample)} AA'd + {len(unacked)} unacknowledged messages in {time.monotonic() - t:.1f} s", flush=True)
    check("resends: no connection error", not errors, errors)
    not_aa = [(k, acks2.get(k)) for k in [(s, c) for s, c, _ in resend] if acks2.get(k, ("",))[0] != "AA"]
    check("resends: every one acknowledged AA", not not_aa, not_aa[:10])
    check("resent AA'd messages: MSA-3 'Duplicate of a message already stored'",
          all(acks2.get(k, ("", ""))[1] == DUPLICATE for k in sample), [(k, acks2.get(k)) for k in sample if acks2.get(k, ("", ""))[1] != DUPLICATE][:5])
    wrong = [(k, acks2.get(k)) for k in unacked if (acks2.get(k, ("", ""))[1] == DUPLICATE) != (k in unacked_stored)]
    check("resent unacknowledged messages: 'Duplicate' exactly for those the crash had already stored", not wrong, wrong[:10])

    # --- new messages after the restart
    streams, _ = stream_all(mllp2, sent, "AFTER", limit=150)
    for s in streams:
        s.join(timeout=60)
    after = {(s.sender, cid) for s in streams for cid in s.order}
    after_aa = {(s.sender, cid) for s in streams for cid, (code, _) in s.acks.items() if code == "AA"}
    check(f"new messages after the restart: all {len(after)} acknowledged AA", after_aa == after and not any(s.error for s in streams),
          [(s.app, s.error, len(s.acks)) for s in streams])

    msgs = verify("after resends and new messages", set(sent))
    crash_rows = sum(1 for k in msgs if k[1].startswith("CRASH-"))
    print(f"final: {len(sent)} distinct messages sent, {len(msgs)} stored ({crash_rows} from before the crash, "
          f"{len(msgs) - crash_rows} after the restart)", flush=True)
    check("every message ever sent is stored exactly once", set(msgs) == set(sent), f"{len(msgs)} stored vs {len(sent)} sent")

    # --- a graceful stop (SIGTERM) must close the database and exit 0, not crash on the way out
    status, took = stop_server(server2)
    crash = [line for line in open(log2, errors="replace") if "Assertion failed" in line or "Fatal error" in line or "crashed" in line]
    check("SIGTERM: the restarted server stops cleanly (exit status 0)", status == 0,
          f"exit status {status} after {took:.1f} s; {' | '.join(l.strip() for l in crash[:3])}")


if __name__ == "__main__":
    main()
