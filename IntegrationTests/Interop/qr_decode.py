#!/usr/bin/env python3
"""Our QR encoder read back by a third-party decoder: `deeprelief qr` writes each code, zxing-cpp decodes it.

For a fixed-seed set of texts — follow-up links (http://127.0.0.1:8080/f/<43-char base64url token>, 60–200 characters),
random UTF-8 with non-ASCII (accents, Greek, Cyrillic, CJK, emoji, a newline), digits only, upper-case alphanumerics,
the largest texts of ISO/IEC 18004 Table 7 for versions 1, 2, 10 and 40 (and one character more), and lengths spread
over versions 1–40 — at every error-correction level, as PNG (to a file and to standard output) and PBM, it checks:
- zxing-cpp finds exactly one QR code and its text equals what we encoded;
- the EC level and version zxing-cpp reports equal the level asked for and the version the image's width implies
  ((pixels / scale) − 2 × quiet zone = 17 + 4 × version), and a Table 7 boundary lands on the version the table says;
- the raw bytes are the input's UTF-8, after the UTF-8 ECI (]Q2\\000026) for non-ASCII text, with no ECI (]Q1) for ASCII;
- the SVG output, rasterised here from its one <path>, decodes too, and its <title> is escaped;
- a text past version 40's capacity exits non-zero with the error on standard error.

Usage: qr_decode.py /path/to/deeprelief   (needs `zxing-cpp` and `pillow` from PyPI)
"""
import base64
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

import zxingcpp
from PIL import Image, ImageDraw

BIN = sys.argv[1]
SCALE, QUIET = 3, 4
LEVELS = "LMQH"
passed, failed = 0, 0
rng = random.Random(18004)
work = tempfile.mkdtemp(prefix="deeprelief-qr-")


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name} {str(detail)[-400:]}")


def qr(text, ec, fmt, to_file):
    """Runs `deeprelief qr`; returns (image bytes or None, stderr, exit code)."""
    args = [BIN, "qr", "--ec", ec, "--format", fmt, "--scale", str(SCALE)]
    out = os.path.join(work, f"code.{fmt}") if to_file else None
    if out:
        args += ["--output", out]
    r = subprocess.run(args + ["--", text], capture_output=True, timeout=60)
    if r.returncode != 0:
        return None, r.stderr.decode(errors="replace"), r.returncode
    if out:
        with open(out, "rb") as f:
            return f.read(), r.stderr.decode(errors="replace"), 0
    return r.stdout, r.stderr.decode(errors="replace"), 0


def decode_and_check(label, text, ec, image, expected_version=None):
    width = image.size[0]
    version = (width // SCALE - 2 * QUIET - 17) // 4
    check(f"{label}: square image, whole modules", image.size[0] == image.size[1] and width % SCALE == 0, image.size)
    if expected_version is not None:
        check(f"{label}: version {expected_version} (Table 7)", version == expected_version, f"image says version {version}")
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    check(f"{label}: zxing-cpp finds one QR code", len(results) == 1, [r.text[:40] for r in results])
    if len(results) != 1:
        return
    r = results[0]
    check(f"{label}: decoded text equals the input", r.text == text, f"got {r.text[:80]!r} want {text[:80]!r}")
    check(f"{label}: EC level {ec}", r.ec_level == ec, r.ec_level)
    reported = (r.extra or {}).get("Version")
    if reported is not None:
        check(f"{label}: version {version}", str(reported) == str(version), reported)
    # zxing-cpp's HexECI text mode gives the raw bytes after the symbology identifier, with ]Q2 and the designator
    # only when the symbol has an ECI: check the bytes exactly and the ECI together.
    hex_eci = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, text_mode=zxingcpp.TextMode.HexECI)
    raw = bytes.fromhex(hex_eci[0].text) if hex_eci else b""
    want = (b"]Q2\\000026" if not text.isascii() else b"]Q1") + text.encode()
    check(f"{label}: raw bytes {'with the UTF-8 ECI' if not text.isascii() else 'without ECI'}", raw == want, raw[:24])
    return version


def run_case(label, text, ec, fmt="png", to_file=True, expected_version=None):
    data, err, code = qr(text, ec, fmt, to_file)
    check(f"{label}: exit 0", code == 0, err)
    if data is None:
        return None
    return decode_and_check(label, text, ec, Image.open(io.BytesIO(data)), expected_version)


def token():
    return base64.urlsafe_b64encode(rng.randbytes(32)).rstrip(b"=").decode()


ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_/?&=%+#",
    "éèêàâüöäñçßøåÆŒ€£°±µ",
    "αβγδεζηθλμπσφψωΔΣΩ",
    "абвгдежзийклмнопрстуфхцчшщыэюя",
    "痛み止め鎮痛薬ケタミン点滴外来予約診察",
    "💉🙂🩺❤️✅",
]


def random_utf8(length):
    chars = []
    for _ in range(length):
        chars.append(rng.choice(rng.choice(ALPHABETS)))
    return "".join(chars)


# Table 7 (ISO/IEC 18004:2015): version, level, then the most numeric, alphanumeric and byte characters it holds.
TABLE7 = [
    (1, "L", 41, 25, 17), (1, "M", 34, 20, 14), (1, "Q", 27, 16, 11), (1, "H", 17, 10, 7),
    (2, "M", 63, 38, 26), (10, "L", 652, 395, 271), (10, "H", 288, 174, 119),
    (40, "L", 7089, 4296, 2953), (40, "M", 5596, 3391, 2331), (40, "Q", 3993, 2420, 1663), (40, "H", 3057, 1852, 1273),
]
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def main():
    started = time.monotonic()
    versions = set()

    # follow-up links as the discharge sheet prints them, 60–200 characters, every level, PNG and PBM, file and stdout
    for i in range(32):
        url = f"http://127.0.0.1:8080/f/{token()}"
        if i % 2:
            url += "?" + "&".join(f"{k}={token()[:rng.randint(4, 30)]}" for k in ("next", "lang", "ref", "chair")[: rng.randint(1, 4)])
        url = url[:200]
        fmt = "pbm" if i % 4 == 3 else "png"
        v = run_case(f"url {i} ({len(url)} chars, {LEVELS[i % 4]}, {fmt})", url, LEVELS[i % 4], fmt, to_file=i % 3 != 0)
        versions.add(v)

    # random UTF-8 beyond ASCII, and a few awkward texts
    for i in range(24):
        text = random_utf8(rng.choice([1, 2, 5, 12, 40, 90, 160, 300]))
        versions.add(run_case(f"utf8 {i} ({len(text)} chars, {LEVELS[i % 4]})", text, LEVELS[i % 4]))
    for text in ["Größe 5 mg/kg — Ketamin\nBitte nüchtern kommen.", "-5 mg", "a", "<svg>&amp;\"'", "tab\there"]:
        run_case(f"text {text[:12]!r}", text, "M")

    # digits only and upper-case alphanumerics, short to long
    for i, n in enumerate([1, 2, 3, 10, 41, 100, 500, 1000, 2500, 4000, 5500, 7000]):
        ec = LEVELS[i % 4] if n < 3000 else "L"
        text = "".join(rng.choice("0123456789") for _ in range(n))
        versions.add(run_case(f"digits {n} ({ec})", text, ec))
    for i, n in enumerate([1, 2, 9, 25, 77, 200, 600, 1500, 2400, 4200]):
        ec = LEVELS[i % 4] if n < 1800 else "L"
        text = "".join(rng.choice(ALNUM) for _ in range(n)).strip() or "A"
        versions.add(run_case(f"alphanumeric {len(text)} ({ec})", text, ec))

    # Table 7 boundaries: the largest text fits the version, one character more moves up (or fails past 40)
    for version, ec, numeric, alnum, byte in TABLE7:
        for kind, text in (("numeric", "".join(rng.choice("0123456789") for _ in range(numeric))),
                           ("alphanumeric", "".join(rng.choice(ALNUM[:36]) for _ in range(alnum))),
                           ("byte", "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(byte)))):
            versions.add(run_case(f"{version}-{ec} {kind} {len(text)}", text, ec, expected_version=version))
            more = text + text[-1]
            if version < 40:
                run_case(f"{version}-{ec} {kind} {len(more)}", more, ec, expected_version=version + 1)
            else:
                data, err, code = qr(more, ec, "png", True)
                check(f"{version}-{ec} {kind} {len(more)}: too long, exit non-zero with the reason",
                      code != 0 and "version 40" in err, (code, err))

    # lengths spread over all versions (bytes at L: version 40 holds 2,953)
    for i in range(20):
        n = int(round(10 ** rng.uniform(0.5, 3.47)))
        text = "".join(rng.choice(ALPHABETS[0]) for _ in range(n))
        versions.add(run_case(f"spread {n} bytes (L)", text, "L", to_file=i % 2 == 0))

    # SVG: parse the one <path>, rasterise its runs, decode
    for i, (text, ec) in enumerate([(f"http://127.0.0.1:8080/f/{token()}", "M"), ("HELLO WORLD", "Q"), (random_utf8(60), "H")]):
        r = subprocess.run([BIN, "qr", "--ec", ec, "--format", "svg", "--title", "Follow-up <link> & more", "--", text],
                           capture_output=True, timeout=60)
        check(f"svg {i}: exit 0", r.returncode == 0, r.stderr)
        root = ET.fromstring(r.stdout)
        ns = {"s": "http://www.w3.org/2000/svg"}
        paths = root.findall("s:path", ns)
        check(f"svg {i}: one <path>", len(paths) == 1, len(paths))
        check(f"svg {i}: title escaped and kept", root.find("s:title", ns) is not None
              and root.find("s:title", ns).text == "Follow-up <link> & more", r.stdout[:300])
        side = int(root.get("viewBox").split()[2])
        img = Image.new("L", (side * 4, side * 4), 255)
        draw = ImageDraw.Draw(img)
        for m in re.finditer(r"M(\d+) (\d+)h(\d+)v1h-\3z", paths[0].get("d")):
            x, y, n = map(int, m.groups())
            draw.rectangle([x * 4, y * 4, (x + n) * 4 - 1, y * 4 + 3], fill=0)
        results = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
        check(f"svg {i}: decodes to the input", len(results) == 1 and results[0].text == text and results[0].ec_level == ec,
              [(x.text[:40], x.ec_level) for x in results])

    versions.discard(None)
    check("versions spread over 1–40", min(versions) == 1 and max(versions) == 40 and len(versions) >= 25, sorted(versions))
    print(f"versions covered: {sorted(versions)}; {time.monotonic() - started:.1f} s")
    print(f"qr-decode: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
