#!/usr/bin/env python3
"""Checks the `deeprelief` command line as an operator uses it, on a fresh SQLite database:

- first start with no users prints a generated admin password once, and that admin must change it before anything else;
- `user add` reads the password from standard input (never an argument);
- `audit verify` passes on an intact chain, and exits non-zero naming the entry after one row is edited, after the
  last row is deleted, and after a row is inserted.
"""
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BIN = sys.argv[1]
passed, failed = 0, 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"PASS {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail[-600:]}")


def run(args, db, stdin=None, env=None):
    e = dict(os.environ, **(env or {}))
    e.pop("DATABASE_URL", None)
    return subprocess.run([BIN, *args, "--database", db], input=stdin, capture_output=True, text=True, env=e, timeout=120)


def api(base, method, path, token=None, body=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


work = tempfile.mkdtemp(prefix="deeprelief-cli-")
db = os.path.join(work, "clinic.sqlite")

# first start: a generated admin password, printed once, must be changed first
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Spare ports for HTTP and MLLP, so this run does not collide with another server (MLLP's default is 2575).
port, mllp_port = free_port(), free_port()
env = dict(os.environ)
env.pop("DEEPRELIEF_ADMIN_PASSWORD", None)
env.pop("DATABASE_URL", None)
server = subprocess.Popen([BIN, "serve", "--port", str(port), "--mllp-port", str(mllp_port), "--database", db], cwd=work, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
base = f"http://127.0.0.1:{port}"
output = ""
try:
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    os.set_blocking(server.stdout.fileno(), False)
    time.sleep(0.3)
    output = server.stdout.read() or ""
    m = re.search(r"password: (\S+)", output)
    check("first start prints a generated admin password", m is not None, output[:300])
    password = m.group(1) if m else ""
    status, body = api(base, "POST", "/api/v1/auth/sign-in", body={"email": "admin@deeprelief.local", "password": password})
    token = json.loads(body).get("token") if status == 200 else None
    check("the printed password signs in", token is not None, body)
    status, body = api(base, "GET", "/api/v1/patients", token)
    check("the first admin must change the password before anything else", status == 403 and "Password change required" in body, body)
    status, _ = api(base, "POST", "/api/v1/me/password", token, {"currentPassword": password, "newPassword": "a-new-clinic-password"})
    check("changing it is accepted", status == 204)
    status, _ = api(base, "GET", "/api/v1/patients", token)
    check("then the admin can work", status == 200)
    status, _ = api(base, "GET", "/api/v1/patients")
    check("no token: 401", status == 401)
    status, body = api(base, "GET", "/metrics")
    check("refused anonymous requests are counted", "deeprelief_refused_anonymous_total" in body)
finally:
    server.terminate()
    try:  # the server can take a while to exit (a debug build prints a backtrace if it crashes while stopping)
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    rest = server.stdout.read() if server.stdout else ""
check("the generated password is printed once", (output + (rest or "")).count("password:") == 1)

# a second start prints no password
r = run(["migrate"], db)
check("migrate on an existing database", r.returncode == 0, r.stderr)

# user add reads the password from standard input
r = run(["user", "add", "--email", "nurse2@clinic.test", "--role", "nurse"], db, stdin="a-long-nurse-password\n")
check("user add with the password on stdin", r.returncode == 0 and "Added nurse2@clinic.test" in r.stdout, r.stdout + r.stderr)
r = run(["user", "add", "--email", "bad", "--role", "wizard"], db, stdin="short\n")
check("user add names bad fields", r.returncode != 0 and "email" in r.stderr and "role" in r.stderr and "password" in r.stderr, r.stderr)

# audit verify: intact, then altered / last deleted / inserted
r = run(["audit", "verify"], db)
check("audit verify passes on an intact chain", r.returncode == 0 and "intact" in r.stdout, r.stdout + r.stderr)
count = sqlite3.connect(db).execute("select count(*) from audit_entries").fetchone()[0]
check("the chain has entries", count >= 5, str(count))

def tampered(sql):
    copy = os.path.join(work, "tampered.sqlite")
    con = sqlite3.connect(db)
    con.execute("pragma wal_checkpoint(full)")
    con.close()
    shutil.copyfile(db, copy)
    shutil.copyfile(db + ".auditkey", copy + ".auditkey")
    con = sqlite3.connect(copy)
    con.execute(sql)
    con.commit()
    con.close()
    return run(["audit", "verify"], copy)

r = tampered("update audit_entries set detail = detail || 'x' where seq = 2")
check("an edited row fails verification, named", r.returncode != 0 and "entry 2" in r.stderr, r.stderr)
r = tampered(f"delete from audit_entries where seq = {count}")
check("a deleted last row fails verification, named", r.returncode != 0 and f"entry {count}" in r.stderr, r.stderr)
r = tampered("insert into audit_entries select seq + 1000, at_us, actor_id, actor_role, action, resource_type, resource_id, outcome, client, detail, hash from audit_entries where seq = 1")
check("an inserted row fails verification", r.returncode != 0 and "FAILED" in r.stderr, r.stderr)

shutil.rmtree(work, ignore_errors=True)
print(f"cli: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
