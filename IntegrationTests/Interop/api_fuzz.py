#!/usr/bin/env python3
"""Property-based fuzzing of the JSON API with schemathesis, from the served /openapi.json.

Starts the real server on a fresh SQLite demo clinic and runs schemathesis as a physician and as an admin. Checks:
no server error (never a 500, whatever the body), status codes and content types the spec declares, and responses
that match their schemas. Bounded: a few dozen examples per operation.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN, VENV = sys.argv[1], sys.argv[2]
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Spare ports for HTTP and MLLP, so this run does not collide with another server (MLLP's default is 2575).
port, mllp_port = free_port(), free_port()
work = tempfile.mkdtemp(prefix="deeprelief-fuzz-")
env = dict(os.environ, DEEPRELIEF_ADMIN_PASSWORD="fuzz-admin-password-1", DEEPRELIEF_DEMO_PASSWORD="fuzz-demo-password-1")
env.pop("DATABASE_URL", None)
server = subprocess.Popen([BIN, "serve", "--port", str(port), "--mllp-port", str(mllp_port), "--demo", "--demo-patients", "20", "--database", os.path.join(work, "fuzz.sqlite")],
                          cwd=work, env=env, stdout=open(os.path.join(work, "server.log"), "w"), stderr=subprocess.STDOUT)
print("server log:", os.path.join(work, "server.log"))
base = f"http://127.0.0.1:{port}"
failed = 0
try:
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            break
        except Exception:
            time.sleep(0.1)

    def token(email, password):
        req = urllib.request.Request(base + "/api/v1/auth/sign-in", method="POST",
                                     data=json.dumps({"email": email, "password": password}).encode(),
                                     headers={"Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(req))["token"]

    runs = [("physician", token("dr.reyes@deeprelief.local", "fuzz-demo-password-1")),
            ("admin", token("admin@deeprelief.local", "fuzz-admin-password-1"))]
    for who, t in runs:
        print(f"== schemathesis as {who}", flush=True)
        r = subprocess.run([os.path.join(VENV, "bin", "schemathesis"), "run", base + "/openapi.json",
                            "-H", f"Authorization: Bearer {t}",
                            "-c", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                            "-n", "25", "--seed", "20261125",
                            # these end the session or change its password, which would stop the run itself
                            "--exclude-path", "/api/v1/auth/sign-out", "--exclude-path", "/api/v1/me/password",
                            "--exclude-path", "/api/v1/users/{userId}"],
                           # in the temp dir: schemathesis writes its .schemathesis/ cache into the working directory
                           capture_output=True, text=True, timeout=600, cwd=work)
        tail = "\n".join(r.stdout.splitlines()[-25:])
        print(tail)
        if r.returncode != 0:
            failed += 1
            print(r.stdout[-6000:])
finally:
    server.terminate()
    try:  # the server can take a while to exit (a debug build prints a backtrace if it crashes while stopping)
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
print(f"api fuzz: {len(runs) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
