#!/usr/bin/env python3
"""HL7 v2 interop with third-party libraries: messages built by hl7apy, sent by python-hl7's MLLP client, our ACKs read
back by both libraries, and what the server stored read straight from its SQLite file.

Starts the real `deeprelief serve` on a fresh demo clinic (spare HTTP and MLLP ports, a temp dir) and checks:
- ORU^R01 v2.5 with IEEE 11073 MDC codes and MDC_DIM units, and v2.6 with LOINC codes and UCUM units (non-default
  separators `#*!@%`), both built with hl7apy under strict validation, MSH-3 MONITOR-1 / MSH-4 DEEPRELIEF-SIM;
- each ACK parses with python-hl7 and with hl7apy (strict), is AA with MSA-2 = MSH-10, swaps sender and receiver
  (MSH-3/4 <-> MSH-5/6), keeps the version, processing id and separators;
- ADT^A01 is answered AR and the ACK ends in an ERR segment (ERR-3 200); a missing MSH-10 gets AE 101; version 2.2 AR 203;
- a resend of the same MSH-10 gets AA ("Duplicate") and is stored once;
- an unknown sender (MONITOR-99) and a message naming another patient get AA and are stored as quarantined;
- vital_messages / vital_observations (read-only sqlite3) hold exactly the expected rows: one per mapped OBX, with the
  converted value and the right time (OBX-14, else OBR-7), nothing for unmapped or cancelled OBX rows.

Usage: hl7_interop.py /path/to/deeprelief   (needs `hl7` and `hl7apy` from PyPI)
"""
import datetime
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

import hl7
import hl7.client
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.core import Message
from hl7apy.exceptions import InvalidDataType
from hl7apy.factories import datatype_factory
from hl7apy.parser import parse_message

BIN = sys.argv[1]
FACILITY = "DEEPRELIEF-SIM"
ALT_SEPARATORS = {"FIELD": "#", "COMPONENT": "*", "REPETITION": "!", "ESCAPE": "@", "SUBCOMPONENT": "%"}
passed, failed = 0, 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"PASS {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name} {str(detail)[-800:]}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ts(t):
    return t.strftime("%Y%m%d%H%M%S") + "+0000"


def us(t):
    return int(t.timestamp()) * 1_000_000


def put(field, *parts):
    """Sets a composite field component by component through hl7apy's API (CE_1, CWE_1, HD_1, MSG_1, …), each value a
    datatype object so that hl7apy escapes separator characters in it (`%` under the separators #*!@% becomes @T@)."""
    for i, p in enumerate(parts, 1):
        if p:
            name = f"{field.datatype.lower()}_{i}"
            component = getattr(field, name)
            try:
                component.value = datatype_factory(component.datatype, p, version=field.version)
            except InvalidDataType:  # a composite component (CX-4 is an HD): plain text, no separators in ours
                setattr(field, name, p)


def oru(control_id, version, observations, app="MONITOR-1", facility=FACILITY, mrn=None, obr_time=None, separators=None):
    """An ORU^R01 built and strictly validated by hl7apy. observations: (code, text, system, value, unit triple, OBX-14, OBX-11)."""
    m = Message("ORU_R01", version=version, encoding_chars=separators, validation_level=VALIDATION_LEVEL.STRICT)
    put(m.msh.msh_3, app)
    put(m.msh.msh_4, facility)
    put(m.msh.msh_5, "DEEPRELIEF")
    put(m.msh.msh_6, "CLINIC")
    m.msh.msh_7 = ts(datetime.datetime.now(datetime.timezone.utc))
    put(m.msh.msh_9, "ORU", "R01", "ORU_R01")
    m.msh.msh_10 = control_id
    put(m.msh.msh_11, "P")
    put(m.msh.msh_12, version)
    result = m.add_group("ORU_R01_PATIENT_RESULT")
    if mrn:
        patient = result.add_group("ORU_R01_PATIENT")
        put(patient.pid.pid_3, mrn, None, None, "DEEPRELIEF", "MR")
        put(patient.pid.pid_5, "DOE", "JANE")  # the server matches PID-3 only
    order = result.add_group("ORU_R01_ORDER_OBSERVATION")
    order.obr.obr_1 = "1"
    put(order.obr.obr_4, "182777000", "monitoring of patient", "SCT")
    if obr_time:
        order.obr.obr_7 = ts(obr_time)
    for i, (code, text, system, value, unit, at, status) in enumerate(observations, 1):
        obx = order.add_group("ORU_R01_OBSERVATION").obx
        obx.obx_1 = str(i)
        obx.obx_2 = "NM" if value.replace(".", "").isdigit() else "ST"
        put(obx.obx_3, code, text, system)
        obx.obx_5 = value
        if unit:
            put(obx.obx_6, *unit)
        obx.obx_11 = status
        if at:
            obx.obx_14 = ts(at)
    assert m.validate(), "hl7apy strict validation"
    return m


def deframe(raw):
    assert raw.startswith(b"\x0b") and raw.endswith(b"\x1c\x0d"), raw[:200]
    return raw[1:-2].decode()


def send(port, message):
    """Sends one message with python-hl7's MLLP client; returns the ACK as text (MLLP frame removed)."""
    with hl7.client.MLLPClient("127.0.0.1", port) as client:
        raw = client.send_message(message)
        while not raw.endswith(b"\x1c\x0d"):  # send_message returns one recv(); an ACK may come in pieces
            more = client.socket.recv(65536)
            if not more:
                break
            raw += more
    return deframe(raw)


def read_ack(text):
    """The ACK read by python-hl7 and by hl7apy (strict: the ACK must be a valid ACK message for its version)."""
    a = hl7.parse(text)
    b = parse_message(text, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
    return a, b


def msh_fields(m):
    """(MSH-3.1, MSH-4.1, MSH-5.1, MSH-6.1) from a python-hl7 message."""
    return tuple(str(m.extract_field("MSH", 1, f, 1, 1)) for f in (3, 4, 5, 6))


def check_ack(label, sent, text, code="AA", msa3=None):
    """Checks one ACK against the message it answers, reading it with both libraries."""
    try:
        a, b = read_ack(text)
    except Exception as e:
        check(f"{label}: the ACK parses with python-hl7 and hl7apy (strict)", False, f"{e!r} {text!r}")
        return None, None
    check(f"{label}: the ACK parses with python-hl7 and hl7apy (strict), and hl7apy validates it", b.name == "ACK" and b.validate(), text)
    s_app, s_fac, r_app, r_fac = (sent.msh.msh_3.msh_3_1.value, sent.msh.msh_4.msh_4_1.value,
                                  sent.msh.msh_5.msh_5_1.value, sent.msh.msh_6.msh_6_1.value)
    control = sent.msh.msh_10.value
    msa = a.segment("MSA")
    check(f"{label}: MSA-1 {code} (python-hl7)", str(msa[1]) == code, text)
    check(f"{label}: MSA-1 {code} (hl7apy)", b.msa.msa_1.value == code, text)
    check(f"{label}: MSA-2 = MSH-10 {control!r} (both)", str(msa[2]) == control and b.msa.msa_2.value == control, text)
    check(f"{label}: ACK MSH-3/4 = incoming MSH-5/6, MSH-5/6 = incoming MSH-3/4",
          msh_fields(a) == (r_app, r_fac, s_app, s_fac), f"{msh_fields(a)} vs sent {(s_app, s_fac, r_app, r_fac)}")
    check(f"{label}: hl7apy reads the same swapped MSH-3..6",
          (b.msh.msh_3.msh_3_1.value, b.msh.msh_4.msh_4_1.value, b.msh.msh_5.msh_5_1.value, b.msh.msh_6.msh_6_1.value) == (r_app, r_fac, s_app, s_fac), text)
    trigger = sent.msh.msh_9.msh_9_2.value
    check(f"{label}: ACK MSH-9 ACK^{trigger}^ACK, MSH-11/12 copied",
          str(a.extract_field("MSH", 1, 9, 1, 1)) == "ACK" and str(a.extract_field("MSH", 1, 9, 1, 2)) == trigger
          and str(a.extract_field("MSH", 1, 11, 1, 1)) == sent.msh.msh_11.value and str(a.extract_field("MSH", 1, 12, 1, 1)) == sent.msh.msh_12.value, text)
    if msa3 is not None:
        check(f"{label}: MSA-3 {msa3!r}", str(msa[3]) == msa3 if len(msa) > 3 else False, text)
    return a, b


def main():
    work = tempfile.mkdtemp(prefix="deeprelief-hl7-")
    db = os.path.join(work, "hl7.sqlite")
    port, mllp = free_port(), free_port()
    env = dict(os.environ, DEEPRELIEF_ADMIN_PASSWORD="hl7-admin-password-1", DEEPRELIEF_DEMO_PASSWORD="hl7-demo-password-1")
    env.pop("DATABASE_URL", None)
    log = os.path.join(work, "server.log")
    server = subprocess.Popen([BIN, "serve", "--port", str(port), "--mllp-port", str(mllp), "--demo", "--demo-patients", "12", "--database", db],
                              cwd=work, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    print("server log:", log, flush=True)
    started = time.monotonic()
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except Exception:
                if server.poll() is not None:
                    sys.exit("server exited:\n" + open(log).read())
                time.sleep(0.1)
        run_checks(db, mllp)
    except Exception:
        check("the checks ran to the end", False, traceback.format_exc())
    finally:
        server.terminate()
        try:  # the server can take a while to exit (a debug build prints a backtrace if it crashes while stopping)
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(f"hl7 interop: {passed} passed, {failed} failed in {time.monotonic() - started:.1f} s")
    if failed:
        print("server log kept:", log)
    else:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


def run_checks(db, mllp):
    ro = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

    def q(sql, *args):
        return ro.execute(sql, args).fetchall()

    # The patient infusing at chair 1 (MONITOR-1's chair), from the database the demo filled.
    rows = q("""select s.id, p.mrn, d.id from monitor_devices d
                join infusion_sessions s on json_extract(s.document, '$.chairID') = d.ref_id and s.status = 'infusing'
                join patients p on p.id = s.patient_id
                where json_extract(d.document, '$.sendingApplication') = 'MONITOR-1'""")
    check("demo: a patient is infusing at MONITOR-1's chair", len(rows) == 1, rows)
    session_id, mrn, device_id = rows[0]
    other_mrn = q("select mrn from patients where mrn != ? order by mrn limit 1", mrn)[0][0]

    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    t0, t1 = now - datetime.timedelta(seconds=30), now - datetime.timedelta(seconds=20)

    # 1. v2.5, IEEE 11073 MDC codes and MDC_DIM units; some rows timed by OBX-14, others by OBR-7.
    bpm, pct, mmhg = ("264864", "MDC_DIM_BEAT_PER_MIN", "MDC"), ("262688", "MDC_DIM_PERCENT", "MDC"), ("266016", "MDC_DIM_MMHG", "MDC")
    mdc_obx = [
        ("147842", "MDC_ECG_HEART_RATE", "MDC", "72", bpm, t1, "F"),
        ("149530", "MDC_PULS_RATE", "MDC", "71", bpm, t1, "F"),
        ("150021", "MDC_PRESS_BLD_NONINV_SYS", "MDC", "124", mmhg, None, "F"),
        ("150022", "MDC_PRESS_BLD_NONINV_DIA", "MDC", "78", mmhg, None, "F"),
        ("150023", "MDC_PRESS_BLD_NONINV_MEAN", "MDC", "93", mmhg, None, "F"),
        ("150456", "MDC_PULS_OXIM_SAT_O2", "MDC", "97", pct, t1, "F"),
        ("151562", "MDC_RESP_RATE", "MDC", "15", ("264928", "MDC_DIM_RESP_PER_MIN", "MDC"), t1, "F"),
        ("151708", "MDC_AWAY_CO2_ET", "MDC", "36", mmhg, t1, "F"),
        ("69965", "MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS", "MDC", "monitor", None, None, "F"),  # unmapped: not stored
        ("147842", "MDC_ECG_HEART_RATE", "MDC", "190", bpm, t1, "X"),  # cancelled result: skipped
    ]
    mdc_expected = sorted([("heartRate", 72.0, us(t1)), ("pulseRate", 71.0, us(t1)), ("systolic", 124.0, us(t0)), ("diastolic", 78.0, us(t0)),
                           ("meanPressure", 93.0, us(t0)), ("oxygenSaturation", 97.0, us(t1)), ("respiratoryRate", 15.0, us(t1)),
                           ("endTidalCO2", 36.0, us(t1))])
    m1 = oru("INTEROP-MDC-1", "2.5", mdc_obx, mrn=mrn, obr_time=t0)
    text1 = m1.to_er7()
    ack = send(mllp, text1)
    check_ack("v2.5 MDC", m1, ack, "AA")

    # 2. v2.6, LOINC codes with UCUM units, built with the separators #*!@% (the ACK must use them too).
    ucum = lambda u: (u, u, "UCUM")
    loinc_obx = [
        ("8867-4", "Heart rate", "LN", "74", ucum("/min"), t1, "F"),
        ("8480-6", "Systolic blood pressure", "LN", "126", ucum("mm[Hg]"), t1, "F"),
        ("8462-4", "Diastolic blood pressure", "LN", "80", ucum("mm[Hg]"), t1, "F"),
        ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "LN", "98", ucum("%"), t1, "F"),
        ("2708-6", "Oxygen saturation in Arterial blood", "LN", "96", ucum("%"), t1, "F"),
        ("9279-1", "Respiratory rate", "LN", "16", ucum("/min"), t1, "F"),
        ("8310-5", "Body temperature", "LN", "36.8", ucum("Cel"), None, "F"),
    ]
    loinc_expected = sorted([("heartRate", 74.0, us(t1)), ("systolic", 126.0, us(t1)), ("diastolic", 80.0, us(t1)),
                             ("oxygenSaturation", 98.0, us(t1)), ("oxygenSaturation", 96.0, us(t1)), ("respiratoryRate", 16.0, us(t1)),
                             ("temperature", 36.8, us(t0))])
    m2 = oru("INTEROP-LOINC-1", "2.6", loinc_obx, obr_time=t0, separators=ALT_SEPARATORS)
    text2 = m2.to_er7()
    check("v2.6 LOINC: hl7apy built it with the separators #*!@%", text2.startswith("MSH#*!@%#MONITOR-1#DEEPRELIEF-SIM#"), text2[:80])
    ack = send(mllp, text2)
    check("v2.6 LOINC: the ACK uses the sender's separators", ack.startswith("MSH#*!@%#"), ack[:80])
    check_ack("v2.6 LOINC", m2, ack, "AA")

    # 3. The same MSH-10 again, on a new connection: AA again, stored once.
    ack = send(mllp, text1)
    check_ack("resend of INTEROP-MDC-1", m1, ack, "AA", msa3="Duplicate of a message already stored")

    # 4. An unknown sender at a registered address: AA, quarantined.
    m4 = oru("INTEROP-Q-1", "2.5", mdc_obx[:2], app="MONITOR-99", obr_time=t0)
    ack = send(mllp, m4.to_er7())
    check_ack("MONITOR-99 (unknown sender)", m4, ack, "AA", msa3="Stored in quarantine for staff review")

    # 5. MONITOR-1 naming a patient who is not the one in its chair: quarantined too.
    m5 = oru("INTEROP-Q-2", "2.5", mdc_obx[:2], mrn=other_mrn, obr_time=t0)
    ack = send(mllp, m5.to_er7())
    check_ack("MONITOR-1 naming another patient", m5, ack, "AA", msa3="Stored in quarantine for staff review")

    # 6. ADT^A01 (hl7apy-built, valid): AR, and the ACK ends in an ERR segment with ERR-3 200.
    adt = Message("ADT_A01", version="2.5", validation_level=VALIDATION_LEVEL.STRICT)
    put(adt.msh.msh_3, "MONITOR-1")
    put(adt.msh.msh_4, FACILITY)
    put(adt.msh.msh_5, "DEEPRELIEF")
    put(adt.msh.msh_6, "CLINIC")
    put(adt.msh.msh_9, "ADT", "A01", "ADT_A01")
    adt.msh.msh_10 = "INTEROP-ADT-1"
    put(adt.msh.msh_11, "P")
    put(adt.msh.msh_12, "2.5")
    adt.evn.evn_2 = ts(now)
    put(adt.pid.pid_3, mrn, None, None, "DEEPRELIEF", "MR")
    put(adt.pid.pid_5, "DOE", "JANE")
    adt.pv1.pv1_2 = "O"
    check("ADT^A01: hl7apy validates it", adt.validate())
    ack = send(mllp, adt.to_er7())
    a, b = check_ack("ADT^A01", adt, ack, "AR")
    if a is not None:
        check("ADT^A01: the ACK's last segment is ERR (python-hl7)", str(a[-1][0]) == "ERR", ack)
        check("ADT^A01: ERR-3 200^…^HL70357 (python-hl7)", str(a.extract_field("ERR", 1, 3, 1, 1)) == "200"
              and str(a.extract_field("ERR", 1, 3, 1, 3)) == "HL70357", ack)
        check("ADT^A01: hl7apy reads ERR-3.1 200 and ERR-4 E", b.err.err_3.err_3_1.value == "200" and b.err.err_4.value == "E", ack)

    # 7. No MSH-10: AE 101. Version 2.2: AR 203. (Raw text: hl7apy would not let us build these.)
    stamp = ts(now)
    bad = send(mllp, f"MSH|^~\\&|MONITOR-1|{FACILITY}|DEEPRELIEF|CLINIC|{stamp}||ORU^R01^ORU_R01||P|2.5\rOBR|1\r"
                     f"OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||F\r")
    a, b = read_ack(bad)
    check("no MSH-10: AE with ERR-3 101 (both parsers)", str(a.segment("MSA")[1]) == "AE" and b.msa.msa_1.value == "AE"
          and str(a.extract_field("ERR", 1, 3, 1, 1)) == "101" and b.err.err_3.err_3_1.value == "101", bad)
    bad = send(mllp, f"MSH|^~\\&|MONITOR-1|{FACILITY}|DEEPRELIEF|CLINIC|{stamp}||ORU^R01^ORU_R01|INTEROP-V22|P|2.2\rOBR|1\r")
    a = hl7.parse(bad)
    check("v2.2: AR with ERR-3 203, MSA-2 = MSH-10", str(a.segment("MSA")[1]) == "AR" and str(a.segment("MSA")[2]) == "INTEROP-V22"
          and str(a.extract_field("ERR", 1, 3, 1, 1)) == "203", bad)

    # 8. What is stored (read-only sqlite3 on the server's file).
    msgs = {(r[0], r[1]): r[2:] for r in q("select sender, control_id, status, session_id, device_id, source_address, body, reason from vital_messages")}
    mon1 = "MONITOR-1|" + FACILITY
    check("vital_messages: exactly the four acknowledged messages, each once",
          sorted(msgs) == sorted([(mon1, "INTEROP-MDC-1"), (mon1, "INTEROP-LOINC-1"), ("MONITOR-99|" + FACILITY, "INTEROP-Q-1"), (mon1, "INTEROP-Q-2")]),
          sorted(msgs))
    row = msgs.get((mon1, "INTEROP-MDC-1"))
    check("INTEROP-MDC-1: filed under chair 1's session, device MONITOR-1, from 127.0.0.1",
          row is not None and row[:4] == ("filed", session_id, device_id, "127.0.0.1"), row)
    check("INTEROP-MDC-1: body stored as received", row is not None and row[4].replace("\n", "\r").rstrip("\r") == text1.rstrip("\r"), row and row[4][:120])
    row = msgs.get((mon1, "INTEROP-LOINC-1"))
    check("INTEROP-LOINC-1: filed under chair 1's session", row is not None and row[:2] == ("filed", session_id), row)
    row = msgs.get(("MONITOR-99|" + FACILITY, "INTEROP-Q-1"))
    check("INTEROP-Q-1 (MONITOR-99): status quarantined, no session, no device, with a reason",
          row is not None and row[0] == "quarantined" and row[1] is None and row[2] is None and "MONITOR-99" in row[5], row)
    row = msgs.get((mon1, "INTEROP-Q-2"))
    check("INTEROP-Q-2 (another patient): status quarantined with the reason", row is not None and row[0] == "quarantined"
          and row[1] is None and "another patient" in row[5], row)
    check("nothing stored for the ADT, the AE and the AR", not any(c in ("INTEROP-ADT-1", "INTEROP-V22", "") for _, c in msgs), sorted(msgs))

    obs = lambda c: sorted((p, round(v, 3), t) for p, v, t in q(
        "select parameter, value, observed_us from vital_observations where sender = ? and control_id = ?", mon1, c))
    got = obs("INTEROP-MDC-1")
    check("INTEROP-MDC-1: one observation row per mapped OBX (8; not the unmapped or cancelled ones), once despite the resend",
          got == mdc_expected, f"got {got}\nexpected {mdc_expected}")
    got = obs("INTEROP-LOINC-1")
    check("INTEROP-LOINC-1: 7 rows, LOINC/UCUM mapped, temperature at OBR-7", got == loinc_expected, f"got {got}\nexpected {loinc_expected}")
    check("observations are under chair 1's session only",
          q("select distinct session_id from vital_observations") == [(session_id,)], q("select distinct session_id from vital_observations"))
    check("no observation rows for quarantined messages",
          q("select count(*) from vital_observations where control_id like 'INTEROP-Q-%'") == [(0,)])
    check("vital_observations: 15 rows in all", q("select count(*) from vital_observations") == [(15,)], q("select count(*) from vital_observations"))
    ro.close()


if __name__ == "__main__":
    main()
