#!/usr/bin/env python3
"""Real headless-Chromium checks of the DeepRelief pages.

Starts the real `deeprelief serve` binary on a fresh SQLite database and a spare port, then drives the pages as a
clinician would: sign in, register a patient, screen them, read the decision off the page; and checks that a patient
name containing markup is shown as text. Screenshots of every page visited go to --screenshots (default
.build/screenshots) and are kept when a check fails.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ADMIN_EMAIL = "admin@deeprelief.local"
ADMIN_PASSWORD = "browser-admin-password-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    def __init__(self, base, shots, width=1180, height=1400, phone=False):
        o = webdriver.ChromeOptions()
        o.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
            o.add_argument(a)
        if phone:  # a phone's viewport, pixel ratio and touch
            o.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 3.0, "touch": True}})
        self.width = width
        self.driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=o)
        self.base = base
        self.shots = shots
        self.n = 0

    def go(self, path):
        self.driver.get(self.base + path)

    def shot(self, name):
        self.n += 1
        path = os.path.join(self.shots, f"{self.n:02d}-{name}.png")
        self.driver.set_window_size(self.width, max(900, self.driver.execute_script("return document.body.scrollHeight") + 40))
        self.driver.save_screenshot(path)
        return path

    def fill(self, name, value):
        el = self.driver.find_element(By.NAME, name)
        el.clear()
        el.send_keys(value)

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def click_and_wait(self, element_or_css):
        """Clicks something that loads a new page and waits until the new page has replaced the old one.

        The old page is marked with a window property; a new page is a new window object without it.
        Chromium can report a node of the old document as "not belonging to the document" while the
        navigation is under way (from the click and from a staleness check), so the wait asks the browser
        through script and treats an error in the middle of the navigation as "not yet". When the click
        fails because the page itself replaced the element (the live room board re-renders its cards on
        every event) and no navigation follows, the element is looked up again by its CSS selector and
        clicked again.
        """
        def new_page_loaded(d):
            try:
                return d.execute_script(
                    "return window.__deepreliefOldPage !== true && document.readyState === 'complete'")
            except WebDriverException:
                return False

        for attempt in range(3):
            self.driver.execute_script("window.__deepreliefOldPage = true")
            element = (self.driver.find_element(By.CSS_SELECTOR, element_or_css)
                       if isinstance(element_or_css, str) else element_or_css)
            try:
                element.click()
            except WebDriverException as e:
                if "does not belong to the document" not in str(e) and "stale element" not in str(e):
                    raise
                # Either the navigation the click caused already replaced the node, or a script replaced
                # the node before the click landed. Only the first leads to a new page.
                try:
                    WebDriverWait(self.driver, 3).until(new_page_loaded)
                    return
                except TimeoutException:
                    if attempt == 2 or not isinstance(element_or_css, str):
                        raise
                    continue
            WebDriverWait(self.driver, 15).until(new_page_loaded)
            return

    def submit(self, css="form.stacked button.primary"):
        self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, css))

    def quit(self):
        self.driver.quit()


def sign_in(b, email, password):
    b.go("/sign-in")
    b.fill("email", email)
    b.fill("password", password)
    b.click_and_wait(b.driver.find_element(By.CSS_SELECTOR, "form button.primary"))


def check_sign_in_register_screen(b):
    sign_in(b, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert "/patients" in b.driver.current_url, b.driver.current_url
    b.shot("patient-list")
    assert "DR-0000001" in b.text(), "demo patients are listed"

    # register a patient as the demo physician
    b.click_and_wait(b.driver.find_element(By.CSS_SELECTOR, "form.inline button.link"))  # sign out
    sign_in(b, "dr.reyes@deeprelief.local", "browser-demo-password-1")
    b.go("/patients/new")
    b.fill("givenName", "Renée")
    b.fill("familyName", "Browser-Test")
    b.driver.execute_script("document.getElementsByName('dateOfBirth')[0].value = '1981-05-17'")
    b.fill("phone", "555 303 0404")
    b.fill("escorts[0].name", "Paul Browser-Test")
    b.fill("escorts[0].phone", "555 303 0405")
    b.fill("weight", "150")
    Select(b.driver.find_element(By.NAME, "weightUnit")).select_by_value("lb")
    b.fill("height", "165")
    b.fill("diagnoses[0].code", "G90.511")
    b.fill("diagnoses[0].description", "CRPS I of right upper limb")
    b.fill("medications[0].name", "Oxycodone 5 mg")
    Select(b.driver.find_element(By.NAME, "medications[0].opioid")).select_by_value("oxycodone")
    b.fill("medications[0].dailyAmount", "20")
    b.fill("medications[1].name", "Buprenorphine patch")
    Select(b.driver.find_element(By.NAME, "medications[1].opioid")).select_by_value("buprenorphine")
    Select(b.driver.find_element(By.NAME, "medications[1].route")).select_by_value("transdermal")
    b.fill("medications[1].dailyAmount", "10")
    b.shot("patient-new")
    b.submit()
    body = b.text()
    b.shot("patient-chart")
    assert "Browser-Test, Renée" in body, body[:400]
    assert "30 MME/day" in body, "oxycodone 20 mg/day × 1.5 (CDC 2022)"
    assert "no factor" in body, "buprenorphine shows no factor"
    assert "150.0 lb (68.0 kg)" in body, "weight with its unit"

    # screen: stable heart disease -> needs clearance (cardiology)
    b.click_and_wait(b.driver.find_element(By.LINK_TEXT, "Screen for ketamine infusion"))
    b.fill("bp[0].systolic", "128")
    b.fill("bp[0].diastolic", "82")
    b.fill("bp[1].systolic", "126")
    b.fill("bp[1].diastolic", "80")
    taken = b.driver.find_element(By.NAME, "bp[0].takenAt").get_attribute("value")
    # second reading 6 minutes after the first
    b.driver.execute_script(
        "const a=document.getElementsByName('bp[0].takenAt')[0].value; const d=new Date(a); d.setMinutes(d.getMinutes()+6);"
        "const p=n=>String(n).padStart(2,'0');"
        "document.getElementsByName('bp[1].takenAt')[0].value=`${d.getFullYear()}-${p(d.getMonth()+1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;")
    assert taken, "first reading time is prefilled"
    answers = {"cardiovascular": "stableKnownDisease", "psychosis": "none", "hepatic": "none", "heavyAlcoholUse": "no",
               "raisedIntracranialPressure": "no", "raisedIntraocularPressure": "no", "activeSubstanceAbuse": "no",
               "pregnancy": "notPregnant", "ketamineHypersensitivity": "no", "priorKetamineExposure": "no"}
    for name, value in answers.items():
        b.driver.find_element(By.ID, f"q-{name}-{value}").click()
    b.shot("screening-form")
    b.submit()
    decision = b.driver.find_element(By.ID, "decision").text
    b.shot("screening-result")
    assert decision == "Needs clearance", decision
    reasons = b.driver.find_element(By.ID, "reasons").text
    assert "Cardiology" in reasons and "Cohen" in reasons, reasons

    # record the cardiology clearance and sign it off -> eligible
    b.fill("specialty", "Cardiology")
    b.fill("clinician", "Dr. Heart")
    b.fill("note", "Stable; cleared for low-dose ketamine.")
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Record clearance']"))
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Sign off this clearance']"))
    decision = b.driver.find_element(By.ID, "decision").text
    b.shot("screening-cleared")
    assert decision == "Eligible", decision


def check_markup_in_a_name_is_text(b):
    b.go("/patients/new")
    evil = '"><script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
    b.fill("givenName", evil)
    b.fill("familyName", "Escaped")
    b.driver.execute_script("document.getElementsByName('dateOfBirth')[0].value = '1990-01-01'")
    b.submit()
    assert b.driver.execute_script("return window.__xss") is None, "script in a name must not run (chart)"
    assert evil in b.text(), "the name is shown as text"
    b.shot("xss-chart")
    b.go("/patients?q=escaped")
    assert b.driver.execute_script("return window.__xss") is None, "script in a name must not run (list)"
    assert "Escaped, " + evil in b.text()
    # refill the edit form: the value must come back as text inside the attribute
    b.click_and_wait(b.driver.find_element(By.LINK_TEXT, "Escaped, " + evil))
    b.click_and_wait(b.driver.find_element(By.LINK_TEXT, "Edit chart"))
    assert b.driver.find_element(By.NAME, "givenName").get_attribute("value") == evil
    assert b.driver.execute_script("return window.__xss") is None, "script in a name must not run (edit form)"
    b.shot("xss-edit")


def set_value(b, name, value):
    b.driver.execute_script("document.getElementsByName(arguments[0])[0].value = arguments[1]", name, value)


def sign_out(b):
    b.click_and_wait(b.driver.find_element(By.CSS_SELECTOR, "form.inline button.link"))


def check_whole_infusion_day(b):
    """Issue 3's done-when: a physician plans and signs, the front desk books the series in one step, a nurse runs
    infusion 1 from check-in to discharge on the session screen."""
    sign_out(b)
    sign_in(b, "dr.reyes@deeprelief.local", "browser-demo-password-1")
    # an eligible demo patient
    b.go("/patients?q=")
    rows = b.driver.find_elements(By.XPATH, "//tr[.//span[contains(., 'Eligible until')]]//a")
    assert rows, "the demo clinic has an eligible patient"
    b.click_and_wait(rows[0])
    chart_url = b.driver.current_url
    import re
    m = re.search(r"([0-9.]+) kg", b.driver.find_element(By.CSS_SELECTOR, "dl.facts").text)
    assert m, "the chart shows a weight in kg"
    CHART_WEIGHT_KG[0] = m.group(1)
    b.click_and_wait(b.driver.find_element(By.LINK_TEXT, "New treatment plan"))
    b.fill("goal", "At least 30% less pain; fewer rescue opioids")
    b.fill("standingOrders[0].medicine", "Ondansetron")
    b.fill("standingOrders[0].route", "IV")
    b.fill("standingOrders[0].minimumDoseMg", "4")
    b.fill("standingOrders[0].maximumDoseMg", "8")
    b.fill("standingOrders[0].maximumDoses", "2")
    b.fill("standingOrders[0].minimumMinutesBetween", "30")
    b.shot("plan-form")
    b.submit()
    assert "Sign the orders" in b.text(), b.text()[:400]
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Sign the orders']"))
    assert b.driver.find_element(By.ID, "plan-status").text == "active"
    b.shot("plan-signed")

    # the front desk books the whole series in one step
    sign_out(b)
    sign_in(b, "frontdesk.lee@deeprelief.local", "browser-demo-password-1")
    b.driver.get(chart_url)
    b.click_and_wait(b.driver.find_element(By.LINK_TEXT, "Book the series"))
    assert "6 infusion(s)" in b.text(), b.text()[:400]
    b.shot("book-series")
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Book all in one step']"))
    board_url = b.driver.current_url
    assert "/schedule?date=" in board_url, board_url
    assert "1/6" in b.text()
    # laid out as a table: each chair's header above its column (a grid rule meant for the room board once made the
    # day board's rows start halfway across the page)
    display, misaligned = b.driver.execute_script("""
        const t = document.querySelector('table.board');
        const head = [...t.querySelectorAll('thead th')].map(c => Math.round(c.getBoundingClientRect().left));
        const row = [...t.querySelector('tbody tr').children].map(c => Math.round(c.getBoundingClientRect().left));
        return [getComputedStyle(t).display, head.filter((x, i) => Math.abs(x - row[i]) > 1).length];""")
    assert display == "table" and misaligned == 0, (display, misaligned)
    b.shot("day-board")

    # the nurse runs infusion 1 on the session screen
    sign_out(b)
    sign_in(b, "nurse.okafor@deeprelief.local", "browser-demo-password-1")
    b.driver.get(board_url)
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Check in']"))
    assert "Pre-infusion checklist" in b.text()
    b.driver.find_element(By.ID, "f-identityConfirmed").click()
    b.driver.find_element(By.ID, "f-medicationChangesReviewed").click()
    now = b.driver.execute_script("const d=new Date(); return d.toISOString()")
    set_value(b, "consentSignedOn", now[:10])
    set_value(b, "lastSolidFoodAt", b.driver.execute_script(
        "const d=new Date(Date.now()-6*3600e3); const p=n=>String(n).padStart(2,'0');"
        "return `${d.getFullYear()}-${p(d.getMonth()+1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`"))
    set_value(b, "lastClearFluidAt", b.driver.execute_script(
        "const d=new Date(Date.now()-3*3600e3); const p=n=>String(n).padStart(2,'0');"
        "return `${d.getFullYear()}-${p(d.getMonth()+1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`"))
    Select(b.driver.find_element(By.NAME, "pregnancy")).select_by_value("notApplicable")
    b.fill("mentalStatus", "Alert, oriented, calm")
    b.fill("ivSite", "Left forearm")
    for name, value in {"baseline.systolic": "122", "baseline.diastolic": "78", "baseline.heartRate": "72",
                        "baseline.oxygenSaturation": "98", "baseline.respiratoryRate": "14"}.items():
        b.fill(name, value)
    # today's weight: the chart's, in kg
    b.fill("weightToday", CHART_WEIGHT_KG[0])
    b.shot("session-checklist")
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Record checklist']"))
    assert "Start infusion" in b.text(), b.text()[:800]
    # the bag is made up from a register vial: 2 mL of the 50 mg/mL demo lot drawn, in the register in the same commit (issue 6)
    vials = Select(b.driver.find_element(By.NAME, "vialID"))
    vial = next(o for o in vials.options if "00409-2051-05" in o.text)
    vials.select_by_value(vial.get_attribute("value"))
    b.fill("vialStrength", "50")
    b.fill("volumeDrawn", "2")
    b.fill("diluent", "98")
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Record preparation']"))
    assert "100 mg drawn" in b.driver.find_element(By.ID, "drug-account").text, b.text()[:800]
    # a rate above the hard limit is refused on the page
    b.fill("rate", "500")
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Start infusion']"))
    assert "hard limit" in b.text(), b.text()[:600]
    b.fill("rate", "")
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Start infusion']"))
    assert b.driver.find_element(By.ID, "session-state").text == "infusing"
    b.shot("session-infusing")
    b.fill("rate", "30")
    b.fill("reason", "Dissociation")
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Change rate']"))
    assert "30.0 mg/h" in b.driver.find_element(By.ID, "current-rate").text
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Pause']"))
    assert b.driver.find_element(By.ID, "session-state").text == "paused"
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Resume']"))
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Infusion complete']"))
    assert b.driver.find_element(By.ID, "session-state").text == "recovering"
    vitals = {"recovery.systolic": "124", "recovery.diastolic": "80", "recovery.heartRate": "74",
              "recovery.oxygenSaturation": "98", "recovery.respiratoryRate": "14"}
    for name, value in {**vitals, "aldrete.activity": "2", "aldrete.respiration": "2", "aldrete.consciousness": "2"}.items():
        b.fill(name, value)
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[contains(., 'Aldrete')]"))
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Leave the monitored chair']"))
    for name, value in {**vitals, "padss.activity": "2", "padss.painNausea": "2", "padss.bleeding": "2", "padss.intakeOutput": "2"}.items():
        b.fill(name, value)
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[contains(., 'PADSS')]"))
    b.shot("session-recovery")
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Discharge home']"))
    assert b.driver.find_element(By.ID, "session-state").text == "discharged", b.text()[:600]
    SESSION_URL[0] = b.driver.current_url
    b.click_and_wait(b.driver.find_element(By.LINK_TEXT, "Print the post-treatment instructions"))
    assert "Do not drive or use machinery for 24 hours" in b.text()
    b.shot("instructions")


CHART_WEIGHT_KG = ["70"]
SESSION_URL = [""]


def check_witnessed_waste_and_the_superbill(b):
    """Issue 6: the drug drawn and not given is wasted with a second clinician as witness; the running time is corrected
    by an amendment; billing prints the superbill of the finished session and its lines are read off the page."""
    import re
    assert SESSION_URL[0], "the infusion day check ran a session"
    b.driver.get(SESSION_URL[0])
    account = b.driver.find_element(By.ID, "drug-account").text
    m = re.search(r"waste ([0-9.]+) mg with a witness", account)
    assert m, account
    # the nurse cannot witness her own waste
    b.fill("witnessEmail", "nurse.okafor@deeprelief.local")
    b.fill("witnessPassword", "browser-demo-password-1")
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Record witnessed waste']"))
    assert "never the person recording" in b.text(), b.text()[:600]
    # the physician signs in on the same screen as witness
    b.fill("wastedMg", m.group(1))
    b.fill("witnessEmail", "dr.reyes@deeprelief.local")
    b.fill("witnessPassword", "browser-demo-password-1")
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Record witnessed waste']"))
    assert "settled" in b.driver.find_element(By.ID, "drug-account").text, b.text()[:600]
    b.shot("session-waste-witnessed")
    # the infusion here lasted seconds: the nurse amends the running time to what the pump recorded
    b.fill("runningMinutes", "45")
    b.fill("reason", "Pump history shows 45 minutes of infusion")
    b.click_and_wait(b.driver.find_element(By.XPATH, "//button[text()='Amend the running time']"))
    assert "Running time corrected" in b.text(), b.text()[:600]
    # billing opens the work list and prints the superbill of today's session
    sign_out(b)
    sign_in(b, "billing.novak@deeprelief.local", "browser-demo-password-1")
    b.go("/billing")
    b.shot("billing-work-list")
    first = b.driver.find_element(By.CSS_SELECTOR, "#charged-sessions tbody tr")
    b.click_and_wait(first.find_element(By.LINK_TEXT, "Superbill"))
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in b.driver.find_elements(By.CSS_SELECTOR, "#superbill-lines tbody tr")]
    codes = [r[2] for r in rows]
    assert "J3490" in codes and "96365" in codes, rows
    drug = next(r for r in rows if r[2] == "J3490")
    assert drug[4] == "N400409205105", drug  # the NDC of the vial drawn, 11 digits with the N4 qualifier
    assert drug[6] == "A", drug  # the plan's diagnosis is pointer A
    assert "G90" in b.driver.find_element(By.ID, "superbill-diagnoses").text or "M79" in b.driver.find_element(By.ID, "superbill-diagnoses").text
    assert b.driver.find_element(By.ID, "superbill-total").text
    # printed: the print stylesheet hides the range form and the navigation, the superbill stays
    b.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not b.driver.find_element(By.CSS_SELECTOR, "form.inline.noprint").is_displayed()
        assert b.driver.find_element(By.ID, "superbill").is_displayed()
        b.shot("superbill-print")
    finally:
        b.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    b.shot("superbill")


def check_pages_render_for_admin(b):
    b.click_and_wait(b.driver.find_element(By.CSS_SELECTOR, "form.inline button.link"))
    sign_in(b, ADMIN_EMAIL, ADMIN_PASSWORD)
    for path, marker in [("/admin/users", "Add a user"), ("/admin/audit", "Audit log"), ("/account", "Change password")]:
        b.go(path)
        assert marker in b.text(), path
        b.shot(path.strip("/").replace("/", "-"))


def send_oru(port, control_id, systolic, diastolic):
    """One ORU^R01 from the demo's MONITOR-1 (chair 1) with a cuff reading, over MLLP; returns the ACK text."""
    ts = time.strftime("%Y%m%d%H%M%S", time.gmtime()) + "+0000"
    msg = ("MSH|^~\\&|MONITOR-1|DEEPRELIEF-SIM|DEEPRELIEF|CLINIC|" + ts + "||ORU^R01^ORU_R01|" + control_id + "|P|2.6\r"
           "OBR|1|||182777000^monitoring of patient^SCT|||" + ts + "\r"
           "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||" + str(systolic) + "|266016^MDC_DIM_MMHG^MDC|||||R|||" + ts + "\r"
           "OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC||" + str(diastolic) + "|266016^MDC_DIM_MMHG^MDC|||||R|||" + ts + "\r")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"\x0b" + msg.encode() + b"\x1c\x0d")
        data = b""
        while not data.endswith(b"\x1c\x0d"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.decode(errors="replace")


def check_room_board_live_alarm(b):
    """The issue's done-when: a cuff reading of 190/125 from the monitor raises a high-priority alarm on the open
    board within a second, without a reload, and a nurse acknowledges it there."""
    b.click_and_wait(b.driver.find_element(By.CSS_SELECTOR, "form.inline button.link"))  # sign out
    sign_in(b, "nurse.okafor@deeprelief.local", "browser-demo-password-1")
    b.go("/board")
    WebDriverWait(b.driver, 10).until(lambda d: "Chair 1" in d.find_element(By.TAG_NAME, "body").text)
    chair_id, classes = b.driver.execute_script("const c = document.querySelector('.chair-card'); return [c.id, c.className]")
    assert "chair-high" not in classes, "no alarm before the reading"
    time.sleep(1.0)  # the page's EventSource connects
    started = time.monotonic()
    ack = send_oru(b.mllp_port, "BROWSER-BP-1", 190, 125)
    assert "MSA|AA|BROWSER-BP-1" in ack, ack
    # The board replaces a chair's card on every event, so a card found one moment may be gone the next: read it afresh
    # on each poll and try again when it was replaced in between.
    live = (StaleElementReferenceException,)
    WebDriverWait(b.driver, 3, poll_frequency=0.02, ignored_exceptions=live).until(
        lambda d: "chair-high" in (d.find_element(By.ID, chair_id).get_attribute("class") or ""))
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"the alarm reached the board after {elapsed:.3f} s"
    card_text = b.driver.execute_script("return document.getElementById(arguments[0]).innerText", chair_id)
    assert "Systolic pressure 190" in card_text and "high" in card_text, card_text
    b.shot("room-board-alarm")
    b.click_and_wait(f"#{chair_id} button.ack")
    WebDriverWait(b.driver, 5, ignored_exceptions=live).until(lambda d: "acknowledged" in d.find_element(By.ID, chair_id).text)
    b.shot("room-board-acknowledged")
    print(f"  alarm on the board {elapsed * 1000:.0f} ms after the reading was sent")


def check_follow_up_link_from_the_printed_qr_code_on_a_phone(b):
    """Issue 5: a nurse prints a follow-up link; a phone reads the QR code (decoded by zxing-cpp, a third-party
    reader), fills the form once, a second use is refused, and the patient's follow-up page shows the answers."""
    import zxingcpp
    from PIL import Image
    b.click_and_wait(b.driver.find_element(By.CSS_SELECTOR, "form.inline button.link"))  # sign out
    sign_in(b, "nurse.okafor@deeprelief.local", "browser-demo-password-1")
    b.go("/follow-ups")
    links = b.driver.find_elements(By.CSS_SELECTOR, "#due-list tbody td a")
    assert links, "a demo patient with a past course has a follow-up due"
    b.click_and_wait(links[0])
    outcomes_url = b.driver.current_url
    answered_before = len(b.driver.find_elements(By.CSS_SELECTOR, "#answers tbody tr"))
    b.shot("patient-follow-up")
    b.click_and_wait("#issue-link")
    qr_png = os.path.join(b.shots, "follow-up-qr.png")
    b.driver.find_element(By.ID, "follow-up-qr").screenshot(qr_png)
    decoded = zxingcpp.read_barcodes(Image.open(qr_png))
    assert decoded, "zxing-cpp reads the printed QR code"
    url = decoded[0].text
    assert url == b.driver.find_element(By.ID, "follow-up-url").text.strip(), (url, "the QR code holds the printed link")
    assert "/f/" in url, url
    b.shot("follow-up-link-slip")
    phone = Browser(b.base, b.shots, width=390, height=844, phone=True)
    phone.n = b.n  # one numbering for the run's screenshots
    try:
        phone.driver.get(url)
        assert "How are you doing?" in phone.text(), phone.text()[:200]
        # Tap an answer for every question: the middle of each scale, "Not at all" for PHQ-9/GAD-7.
        for group in phone.driver.find_elements(By.CSS_SELECTOR, "#follow-up-form .question"):
            labels = group.find_elements(By.CSS_SELECTOR, ".choices label")
            pick = labels[0] if len(labels) == 4 else labels[len(labels) // 2]
            phone.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", pick)
            pick.click()
        phone.shot("phone-follow-up-form")
        phone.click_and_wait("#follow-up-form button.primary")
        assert phone.driver.find_elements(By.ID, "thanks"), phone.text()[:300]
        assert not phone.driver.find_elements(By.ID, "crisis-resources")
        phone.shot("phone-follow-up-thanks")
        phone.driver.get(url)
        assert "already used" in phone.text(), phone.text()[:300]
        phone.shot("phone-follow-up-reused")
    finally:
        b.n = phone.n
        phone.quit()
    b.driver.get(outcomes_url)
    rows = b.driver.find_elements(By.CSS_SELECTOR, "#answers tbody tr")
    assert len(rows) == answered_before + 1, (answered_before, len(rows))
    assert "filled by the patient (follow-up link)" in rows[0].text, rows[0].text
    b.shot("patient-follow-up-after-link")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--screenshots", default=os.path.join(os.getcwd(), ".build", "screenshots"))
    args = ap.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="deeprelief-browser-")
    port, mllp_port = free_port(), free_port()  # a spare MLLP port too: the default 2575 may be taken by another server
    env = dict(os.environ, DEEPRELIEF_ADMIN_PASSWORD=ADMIN_PASSWORD, DEEPRELIEF_DEMO_PASSWORD="browser-demo-password-1")
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([args.binary, "serve", "--port", str(port), "--mllp-port", str(mllp_port), "--demo", "--demo-patients", "12",
                               "--database", os.path.join(work, "browser.sqlite")],
                              cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            break
        except Exception:
            if server.poll() is not None:
                print(server.stdout.read())
                sys.exit("server exited")
            time.sleep(0.2)
    b = Browser(base, args.screenshots)
    b.mllp_port = mllp_port
    passed, failed = 0, 0
    try:
        for check in (check_sign_in_register_screen, check_markup_in_a_name_is_text, check_whole_infusion_day, check_witnessed_waste_and_the_superbill,
                      check_pages_render_for_admin,
                      check_room_board_live_alarm, check_follow_up_link_from_the_printed_qr_code_on_a_phone):
            try:
                check(b)
                passed += 1
                print(f"PASS {check.__name__}")
            except Exception:
                failed += 1
                print(f"FAIL {check.__name__}")
                traceback.print_exc()
                print("  screenshot:", b.shot("failure-" + check.__name__))
    finally:
        b.quit()
        server.terminate()
        try:  # the server can take a while to exit (a debug build prints a backtrace if it crashes while stopping)
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(f"browser: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
