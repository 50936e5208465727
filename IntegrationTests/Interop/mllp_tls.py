#!/usr/bin/env python3
"""MLLP over TLS with client certificates, against third-party tools: certificates made by the `openssl` command,
connections by Python's ssl module (OpenSSL), messages parsed by python-hl7.

Starts the real server with --mllp-tls-cert/--mllp-tls-key/--mllp-tls-client-ca on a demo clinic and checks: a monitor
with a certificate from the clinic's CA gets AA; no client certificate, a certificate from another CA, and a plain
(non-TLS) connection get no ACK and no message is stored.

Usage: mllp_tls.py /path/to/deeprelief
"""
import os, socket, ssl, sqlite3, subprocess, sys, tempfile, time, urllib.request

import hl7

BIN = sys.argv[1]
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"PASS {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name} {str(detail)[-600:]}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_ca(cwd, name, cn):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
            "-subj", f"/CN={cn}", cwd=cwd)


def make_cert(cwd, name, cn, ca):
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={cn}", cwd=cwd)
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-CAcreateserial", "-out", f"{name}.pem",
            "-days", "2", cwd=cwd)


def message(control_id):
    ts = time.strftime("%Y%m%d%H%M%S", time.gmtime()) + "+0000"
    return ("MSH|^~\\&|MONITOR-1|DEEPRELIEF-SIM|DEEPRELIEF|CLINIC|" + ts + "||ORU^R01^ORU_R01|" + control_id + "|P|2.6\r"
            "OBR|1|||182777000^monitoring of patient^SCT|||" + ts + "\r"
            "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||71|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R\r")


def exchange(sock, control_id):
    sock.sendall(b"\x0b" + message(control_id).encode() + b"\x1c\x0d")
    data = b""
    sock.settimeout(5)
    while not data.endswith(b"\x1c\x0d"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def tls_connect(port, work, cert=None, key=None):
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=os.path.join(work, "ca.pem"))
    ctx.check_hostname = False
    if cert:
        ctx.load_cert_chain(os.path.join(work, cert), os.path.join(work, key))
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    return ctx.wrap_socket(raw, server_hostname="127.0.0.1")


def stored(db, control_id):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("SELECT COUNT(*) FROM vital_messages WHERE control_id = ?", (control_id,)).fetchone()[0]
    finally:
        con.close()


def main():
    work = tempfile.mkdtemp(prefix="deeprelief-tls-")
    make_ca(work, "ca", "DeepRelief test monitor CA")
    make_ca(work, "otherca", "Someone else's CA")
    make_cert(work, "server", "127.0.0.1", "ca")
    make_cert(work, "monitor", "MONITOR-1", "ca")
    make_cert(work, "stranger", "MONITOR-1", "otherca")
    port, mllp = free_port(), free_port()
    db = os.path.join(work, "tls.sqlite")
    env = dict(os.environ, DEEPRELIEF_ADMIN_PASSWORD="tls-admin-password-1", DEEPRELIEF_DEMO_PASSWORD="tls-demo-password-1")
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([BIN, "serve", "--port", str(port), "--mllp-port", str(mllp), "--database", db, "--demo", "--demo-patients", "20",
                               "--mllp-tls-cert", os.path.join(work, "server.pem"), "--mllp-tls-key", os.path.join(work, "server.key"),
                               "--mllp-tls-client-ca", os.path.join(work, "ca.pem")], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except Exception:
                if server.poll() is not None or time.time() > deadline:
                    sys.exit("server did not start: " + open(os.path.join(work, "server.log")).read()[-2000:])
                time.sleep(0.5)
        # a monitor with a certificate from the clinic's CA
        with tls_connect(mllp, work, "monitor.pem", "monitor.key") as s:
            ack = exchange(s, "TLS-1")
        text = ack[1:-2].decode() if ack else ""
        parsed = hl7.parse(text) if text else None
        check("TLS with the clinic's client certificate: AA", parsed is not None and str(parsed.segment("MSA")[1]) == "AA", text)
        check("TLS: MSA-2 echoes the control id", parsed is not None and str(parsed.segment("MSA")[2]) == "TLS-1", text)
        check("TLS: the message is stored", stored(db, "TLS-1") == 1)
        # no client certificate
        try:
            with tls_connect(mllp, work) as s:
                ack = exchange(s, "TLS-2")
            refused = not ack
        except (ssl.SSLError, ConnectionError, OSError):
            refused = True
        check("TLS without a client certificate: refused", refused)
        # a certificate from another CA
        try:
            with tls_connect(mllp, work, "stranger.pem", "stranger.key") as s:
                ack = exchange(s, "TLS-3")
            refused = not ack
        except (ssl.SSLError, ConnectionError, OSError):
            refused = True
        check("TLS with another CA's certificate: refused", refused)
        # plain MLLP to a TLS listener
        try:
            with socket.create_connection(("127.0.0.1", mllp), timeout=5) as s:
                ack = exchange(s, "TLS-4")
            refused = b"MSA" not in ack
        except (ConnectionError, OSError, socket.timeout):
            refused = True
        check("plain MLLP to the TLS listener: no ACK", refused)
        check("refused connections stored nothing", all(stored(db, c) == 0 for c in ("TLS-2", "TLS-3", "TLS-4")))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"mllp tls: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
