"""Screenshots of the demo for the README, taken in headless Chromium (``make screenshots``).

    python screenshots.py DB OUTPUT_DIR [BASE_URL]

Needs the demo served at BASE_URL (default http://127.0.0.1:8069): logs in as admin and as the
demo's portal customer (northwind), drives Chromium through its DevTools protocol and writes
followup_list.png, partner_followup_tab.png, customer_account.png (the customer's account
page), reminder_email.png, portal_statement.png, statement_link.png (the statement a
reminder links to, opened without a login: pay online, the SEPA QR code, an early-payment
discount) and letter_qr.png (a reminder letter as printed, with its QR code; the PDF's first
page through pdftoppm); and, into
ar_followup_sale/static/description, quotation_credit_hold.png (the quotation of a held
customer) and portal_prepayment.png (the portal quotation of a customer who pays in advance);
collection_case.png (a case handed over) and collection_dossier.png (its dossier's first page);
and, into ar_followup_bank/static/description, bank_statement_lines.png (yesterday's statement
in OCA's reconciliation screen), payment_on_its_way.png (the activity to match it) and
customer_reply.png (a customer's reply that paused its follow-up).
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import requests
import websocket
from PIL import Image

WIDTH, HEIGHT = 1400, 900


def session_id(base, db, login, password):
    reply = requests.post(
        f"{base}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}},
        timeout=60,
    )
    reply.raise_for_status()
    if not reply.json().get("result"):
        sys.exit(f"could not log in as {login}: {reply.text[:300]}")
    return reply.cookies["session_id"]


def call_kw(base, session, model, method, args, kwargs=None):
    reply = requests.post(
        f"{base}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        },
        cookies={"session_id": session},
        timeout=60,
    )
    reply.raise_for_status()
    body = reply.json()
    if "error" in body:
        sys.exit(f"{model}.{method}: {body['error']}")
    return body["result"]


class Chromium:
    """Just enough of the DevTools protocol: navigate, wait, click, screenshot."""

    def __init__(self, port=9333):
        self.profile = tempfile.mkdtemp(prefix="ar-shots-")
        self.process = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                pages = requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
                page = next(p for p in pages if p["type"] == "page")
                break
            except (requests.RequestException, StopIteration, ValueError):
                time.sleep(0.2)
        else:
            sys.exit("Chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.counter = 0
        self.call("Page.enable")
        self.call("Network.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.counter += 1
        self.ws.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.counter:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def login(self, base, session):
        self.call("Network.clearBrowserCookies")
        host = base.split("//", 1)[1].split(":", 1)[0].split("/", 1)[0]
        self.call("Network.setCookie", name="session_id", value=session, domain=host, path="/")

    def open(self, url, selector, timeout=60):
        self.call("Page.navigate", url=url)
        self.wait(selector, timeout)

    def wait(self, selector, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                time.sleep(1.5)  # let the page settle (fonts, lazy widgets)
                return
            time.sleep(0.3)
        raise TimeoutError(f"{selector} did not appear")

    def screenshot(self, path, full=False):
        params = {"format": "png"}
        if full:  # the whole page, not only what the window shows
            height = self.evaluate("document.documentElement.scrollHeight")
            params.update(
                captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1},
            )
        data = self.call("Page.captureScreenshot", **params)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        print("wrote", path)

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)


def main():
    db, out = sys.argv[1], sys.argv[2]
    base = sys.argv[3] if len(sys.argv) > 3 else "http://127.0.0.1:8069"
    os.makedirs(out, exist_ok=True)
    admin = session_id(base, db, "admin", "admin")
    customer = call_kw(
        base,
        admin,
        "res.partner",
        "search_read",
        [[("name", "=", "Northwind Traders Ltd")]],
        {"fields": ["id"], "limit": 1},
    )[0]["id"]
    mail = call_kw(
        base,
        admin,
        "mail.mail",
        "search_read",
        [[("model", "=", "res.partner"), ("res_id", "=", customer)]],
        {"fields": ["subject", "recipient_ids", "body_html"], "order": "id desc", "limit": 1},
    )[0]
    recipients = call_kw(
        base, admin, "res.partner", "read", [mail["recipient_ids"]], {"fields": ["email"]}
    )
    browser = Chromium()
    try:
        browser.login(base, admin)
        action = "/odoo/action-ar_followup.action_ar_followup_partners"
        browser.open(f"{base}{action}", ".o_list_view .o_data_row")
        browser.screenshot(os.path.join(out, "followup_list.png"))

        browser.open(f"{base}{action}/{customer}", ".o_form_view .o_notebook")
        browser.evaluate(
            "[...document.querySelectorAll('.o_notebook .nav-link')]"
            ".find(a => a.textContent.trim() === 'Follow-up').click()"
        )
        browser.wait(".o_notebook .tab-pane.active .o_field_widget")
        browser.screenshot(os.path.join(out, "partner_followup_tab.png"))

        # the customer's account page in its company (what the Follow-up tab opens)
        account = call_kw(
            base,
            admin,
            "ar.customer.account",
            "search_read",
            [[("partner_id", "=", customer)]],
            {"fields": ["id"], "limit": 1},
        )[0]["id"]
        accounts = "/odoo/action-ar_followup.action_ar_customer_account"
        browser.open(f"{base}{accounts}/{account}", ".o_form_view .o_notebook")
        browser.screenshot(os.path.join(out, "customer_account.png"), full=True)

        page = os.path.join(browser.profile, "reminder.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write(
                '<html><body style="font-family: sans-serif; margin: 24px; max-width: 900px">'
                f"<p><b>To:</b> {', '.join(r['email'] for r in recipients)}<br/>"
                f"<b>Subject:</b> {mail['subject']}</p>"
                f"<hr/>{mail['body_html']}</body></html>"
            )
        browser.open(f"file://{page}", "table")
        browser.screenshot(os.path.join(out, "reminder_email.png"))

        browser.login(base, session_id(base, db, "northwind", "northwind"))
        browser.open(f"{base}/my/statement", "table")
        browser.screenshot(os.path.join(out, "portal_statement.png"))

        # ar_followup_sale: the held customer's quotation, the prepaying customer's portal
        sale_out = os.path.join(out, "..", "..", "..", "ar_followup_sale", "static", "description")
        os.makedirs(sale_out, exist_ok=True)
        quotations = {
            row["partner_id"][1]: row["id"]
            for row in call_kw(
                base,
                admin,
                "sale.order",
                "search_read",
                [[("state", "=", "sent")]],
                {"fields": ["partner_id"], "order": "id"},
            )
        }
        browser.open(
            f"{base}/my/orders/{quotations['Northwind Traders Ltd']}", ".o_ar_portal_prepayment"
        )
        browser.screenshot(os.path.join(sale_out, "portal_prepayment.png"))
        browser.login(base, admin)
        browser.open(
            f"{base}/odoo/action-sale.action_quotations_with_onboarding/"
            f"{quotations['Houthandel Jansen']}",
            ".o_ar_order_credit_hold",
        )
        browser.screenshot(os.path.join(sale_out, "quotation_credit_hold.png"))

        # the hand-off: a case handed over, and the first page of its dossier
        case = call_kw(
            base,
            admin,
            "ar.collection.case",
            "search_read",
            [[("state", "=", "handed_over")]],
            {"fields": ["id"], "order": "id", "limit": 1},
        )[0]["id"]
        browser.open(
            f"{base}/odoo/action-ar_followup.action_ar_collection_case/{case}",
            ".o_form_view .o_field_widget[name='move_ids']",
        )
        browser.screenshot(os.path.join(out, "collection_case.png"))
        dossier_picture(base, admin, case, os.path.join(out, "collection_dossier.png"))

        link = call_kw(
            base,
            admin,
            "ar.statement.link",
            "search_read",
            [[("partner_id", "=", customer)]],
            {"fields": ["token"], "limit": 1},
        )[0]
        browser.call("Network.clearBrowserCookies")
        browser.open(f"{base}/statement/{link['token']}", ".o_ar_sepa_qr img")
        browser.screenshot(os.path.join(out, "statement_link.png"), full=True)
        bank_pictures(browser, base, admin, os.path.join(out, "..", "..", "..", "ar_followup_bank"))
    finally:
        browser.close()
    letter_picture(base, admin, os.path.join(out, "letter_qr.png"))


def bank_pictures(browser, base, admin, addon):
    """ar_followup_bank and listening: the bank statement lines as imported (OCA's
    reconciliation screen), the activity to match a payment on its way, a customer's reply."""
    out = os.path.join(addon, "static", "description")
    os.makedirs(out, exist_ok=True)
    browser.login(base, admin)
    journal = call_kw(
        base,
        admin,
        "account.journal",
        "search_read",
        [[("type", "=", "bank"), ("bank_account_id", "!=", False)]],
        {"fields": ["id"], "limit": 1},
    )[0]["id"]
    # the reconciliation screen of the bank journal, as its dashboard card opens it
    browser.open(
        f"{base}/odoo/action-account.open_account_journal_dashboard_kanban/{journal}"
        "/action-account_reconcile_oca.action_bank_statement_line_reconcile",
        ".o_kanban_record",
    )
    time.sleep(3)
    browser.screenshot(os.path.join(out, "bank_statement_lines.png"))
    waiting = call_kw(
        base,
        admin,
        "account.bank.statement.line",
        "search_read",
        [[("is_reconciled", "=", False), ("partner_id", "!=", False)]],
        {"fields": ["move_id"], "order": "id", "limit": 1},
    )
    if waiting:
        browser.open(
            f"{base}/odoo/action-account.action_move_journal_line/{waiting[0]['move_id'][0]}",
            ".o-mail-Activity",
        )
        browser.screenshot(os.path.join(out, "payment_on_its_way.png"))
    reply = call_kw(
        base,
        admin,
        "ar.followup.reply",
        "search_read",
        [[("state", "=", "waiting")]],
        {"fields": ["id"], "order": "id", "limit": 1},
    )
    if reply:
        browser.open(
            f"{base}/odoo/action-ar_followup.action_ar_followup_reply/{reply[0]['id']}",
            ".o_form_view .o_field_widget",
        )
        browser.screenshot(os.path.join(out, "customer_reply.png"))


def letter_picture(base, admin, path):
    """The latest reminder letter with a QR code, its first two pages side by side, as a
    PNG."""
    letters = call_kw(
        base,
        admin,
        "ar.followup.history",
        "search_read",
        [[("channel", "=", "letter")]],
        {"fields": ["id"], "order": "date desc, id desc", "limit": 20},
    )
    for letter in letters:
        reply = requests.get(
            f"{base}/report/html/ar_followup.report_letter/{letter['id']}",
            cookies={"session_id": admin},
            timeout=120,
        )
        if "o_ar_sepa_qr" in reply.text:
            break
    else:
        sys.exit("no letter with a QR code in the demo")
    reply = requests.get(
        f"{base}/report/pdf/ar_followup.report_letter/{letter['id']}",
        cookies={"session_id": admin},
        timeout=300,
    )
    reply.raise_for_status()
    with tempfile.TemporaryDirectory() as tmp:
        # the letter's pages side by side (the QR code ends the letter: often on page 2)
        pages = [Image.open(page) for page in pdf_pages(reply.content, tmp, 2)]
        sheet = Image.new(
            "RGB",
            (sum(p.width for p in pages) + 10 * (len(pages) - 1), max(p.height for p in pages)),
            "#cccccc",
        )
        left = 0
        for page in pages:
            sheet.paste(page, (left, 0))
            left += page.width + 10
        sheet.save(path)
    print("wrote", path)


def pdf_pages(content, tmp, last):
    """The PNG files (90 dpi) of the PDF ``content``'s pages 1 to ``last``, in ``tmp``."""
    with open(f"{tmp}/document.pdf", "wb") as f:
        f.write(content)
    subprocess.run(
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-r",
            "90",
            "-png",
            "-f",
            "1",
            "-l",
            str(last),
            f"{tmp}/document.pdf",
            f"{tmp}/page",
        ],
        check=True,
    )
    return sorted(os.path.join(tmp, n) for n in os.listdir(tmp) if n.startswith("page"))


def dossier_picture(base, admin, case, path):
    """The first page of the dossier of ``case``, as a PNG."""
    reply = requests.get(
        f"{base}/report/pdf/ar_followup.report_collection_dossier/{case}",
        cookies={"session_id": admin},
        timeout=300,
    )
    reply.raise_for_status()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(pdf_pages(reply.content, tmp, 1)[0], path)
    print("wrote", path)


if __name__ == "__main__":
    main()
