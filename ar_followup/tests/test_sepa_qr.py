"""The SEPA credit-transfer QR code of reminders, letters, statements and the statement page
(issue #18), checked against the EPC's guidelines field by field.

Source: European Payments Council, EPC069-12 "Quick Response Code: Guidelines to Enable Data
Capture for the Initiation of a SEPA Credit Transfer", version 3.1: the payload is the lines
Service Tag "BCD", Version "002", Character set "1" (UTF-8), Identification "SCT", BIC
(optional in version 002), Name of the beneficiary (at most 70 characters), IBAN, Amount
("EUR" and the amount, 0.01 to 999999999.99, at most two decimals: we always write two),
Purpose (4), Structured remittance (a creditor reference, 35) or unstructured remittance
(140) but not both, Beneficiary to originator information (70); the last element is followed
by nothing; at most 331 bytes. Error correction level M.
"""

import base64
import io
import shutil
import subprocess
import tempfile

from freezegun import freeze_time
from PIL import Image

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.account.tools import format_structured_reference_iso

from .common import ArFollowupCase, days

try:
    import zxingcpp
except ImportError:  # the payload is still checked field by field
    zxingcpp = None

IBAN = "NL91ABNA0417164300"


def decode(png):
    """The texts of the QR codes in a PNG image (``None`` without a decoder)."""
    if zxingcpp is None:
        return None
    image = Image.open(io.BytesIO(png))
    return [
        code.text
        for code in zxingcpp.read_barcodes(image)
        if code.format == zxingcpp.BarcodeFormat.QRCode
    ]


def belgian_reference(number):
    """A Belgian structured communication of a 10-digit number: its check digits are the
    number modulo 97 (97 for 0): +++ddd/dddd/ddddd+++."""
    check = number % 97 or 97
    digits = f"{number:010d}{check:02d}"
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


class SepaQrCase(ArFollowupCase):
    """A Dutch company in euros with an IBAN."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.company.write(
            {
                "currency_id": cls.eur.id,
                "name": "Debiteuren BV",
                "country_id": cls.env.ref("base.nl").id,
            }
        )
        cls.bank = (
            cls.env["res.partner.bank"]
            .sudo()
            .create(
                {
                    "acc_number": IBAN,
                    "partner_id": cls.company.partner_id.id,
                    "company_id": cls.company.id,
                    "allow_out_payment": True,
                }
            )
        )
        cls.Statement = cls.env["ar.followup.statement"]

    def _qr(self, on=None, partner=None):
        return self.Statement._ar_sepa_qr(partner or self.customer, self.company, on or days(1))


@tagged("post_install", "-at_install")
class TestSepaQr(SepaQrCase, HttpCase):
    def test_payload_field_by_field(self):
        first = self._invoice(self.customer, 100.0, days(-20))
        second = self._invoice(self.customer, 250.5, days(-10))
        self._invoice(self.customer, 40.0, days(10))  # not due: not asked with the overdue
        qr = self._qr()
        payload = qr["payload"]
        fields_ = payload.split("\n")
        self.assertEqual(fields_[0], "BCD")  # service tag
        self.assertEqual(fields_[1], "002")  # version: BIC optional
        self.assertEqual(fields_[2], "1")  # UTF-8
        self.assertEqual(fields_[3], "SCT")  # SEPA credit transfer
        self.assertEqual(fields_[4], "")  # no BIC: the bank account names no bank
        self.assertEqual(fields_[5], "Debiteuren BV")  # beneficiary: the account's holder
        self.assertEqual(fields_[6], IBAN)
        self.assertEqual(fields_[7], "EUR350.50")  # 100.00 + 250.50, two decimals
        self.assertEqual(fields_[8], "")  # purpose
        self.assertEqual(fields_[9], "")  # no structured reference: invoice numbers
        self.assertEqual(fields_[10], f"{first.name} {second.name}")
        self.assertEqual(len(fields_), 11, "the last element is followed by nothing")
        self.assertFalse(payload.endswith("\n"))
        self.assertLessEqual(len(payload.encode()), 331)
        self.assertEqual((qr["amount"], qr["discount"]), (350.5, 0.0))
        self.assertEqual(qr["iban"], "NL91 ABNA 0417 1643 00")  # as the bank account shows it
        if zxingcpp is not None:
            self.assertEqual(decode(qr["png"]), [payload])
            code = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr["png"])))[0]
            self.assertEqual(code.ec_level, "M")

    def test_amount_always_two_decimals_and_within_the_limits(self):
        invoice = self._invoice(self.customer, 1250.0, days(-5))
        self.assertEqual(self._qr()["payload"].split("\n")[7], "EUR1250.00")
        self._pay(invoice, 1249.99)
        self.assertEqual(self._qr()["payload"].split("\n")[7], "EUR0.01")
        other = self._customer("Big Spender")
        self._invoice(other, 1000000000.0, days(-5))  # over 999,999,999.99: no QR code
        self.assertIsNone(self._qr(partner=other))

    def test_structured_references(self):
        # an RF creditor reference (ISO 11649) goes in the structured field, and no text
        rf = format_structured_reference_iso("539007547034")
        invoice = self._invoice(self.customer, 80.0, days(-5))
        invoice.payment_reference = rf
        fields_ = self._qr()["payload"].split("\n")
        self.assertEqual(fields_[9], rf.replace(" ", ""))
        self.assertEqual(len(fields_), 10)
        # a Belgian structured communication shared by the customer's invoices (Odoo's
        # partner-based references): one transfer, one reference, its 12 digits
        be = belgian_reference(2034305764)
        second = self._invoice(self.customer, 20.0, days(-4))
        (invoice + second).payment_reference = be
        fields_ = self._qr()["payload"].split("\n")
        self.assertEqual(fields_[7], "EUR100.00")
        self.assertEqual(fields_[9], "".join(ch for ch in be if ch.isdigit()))
        self.assertEqual(len(fields_[9]), 12)

    def test_length_limits(self):
        self.bank.acc_holder_name = (
            "Debiteurenbeheer en Incasso Noord-Holland en Zuid-Holland BV te Amsterdam"
        )
        self.assertGreater(len(self.bank.acc_holder_name), 70)
        for index in range(12):  # 12 numbers of 14 characters: 179 > 140
            self._invoice(self.customer, 10.0 + index, days(-20 + index))
        qr = self._qr()
        fields_ = qr["payload"].split("\n")
        self.assertEqual(fields_[5], self.bank.acc_holder_name[:70])
        self.assertEqual(
            fields_[10],
            f"Statement of {days(1).isoformat()}, 12 invoices, customer {self.customer.id}",
        )
        self.assertLessEqual(len(fields_[10]), 140)
        self.assertEqual(fields_[7], "EUR186.00")  # 10 + 11 + ... + 21

    def test_no_qr_code_without_iban_or_euro(self):
        self._invoice(self.customer, 100.0, days(-5))
        self.assertTrue(self._qr())
        usd = self.env.ref("base.USD")
        other = self._customer("Dollar Payer")
        self._invoice(other, 100.0, days(-5), currency=usd)
        self.assertIsNone(self._qr(partner=other), "not in euros")
        self.bank.acc_number = "123456789"  # not an IBAN
        self.assertIsNone(self._qr())
        self.bank.acc_number = "US12345678901234567890"  # hypothetical, not SEPA either
        self.assertIsNone(self._qr())
        self.bank.active = False
        self.assertIsNone(self._qr(), "no bank account")

    def test_reminder_email_shows_the_code_of_its_statement_link(self):
        invoice = self._invoice(self.customer, 310.0, days(-8))
        self._run(days(0))
        mail = self.env["mail.mail"].search([("res_id", "=", self.customer.id)], limit=1)
        body = mail.body_html
        link = self.env["ar.statement.link"].search([("partner_id", "=", self.customer.id)])
        qr_url = link._ar_qr_url(invoice.ids)
        self.assertIn(f'src="{qr_url}"', body)
        # found by the attack: the image's address carried the link's token, which opens
        # the statement and pays; image proxies fetch it. It carries a signature instead.
        self.assertNotIn(link.token, qr_url)
        self.assertIn("Pay online", body)
        self.assertIn("NL91 ABNA 0417 1643 00", body, "and how to pay by transfer, in words")
        path = qr_url.split("://", 1)[1].split("/", 1)[1]
        with freeze_time(days(1)):
            image = self.url_open(f"/{path}")
        self.assertEqual(image.status_code, 200)
        self.assertEqual(image.headers["Content-Type"], "image/png")
        self.assertEqual(image.headers["Cache-Control"], "no-store")
        if zxingcpp is not None:
            (payload,) = decode(image.content)
            self.assertEqual(payload.split("\n")[7], "EUR310.00")
            self.assertEqual(payload.split("\n")[10], invoice.name)
        # a wrong signature, another link's id, the token itself: nothing
        other = self.env["ar.statement.link"]._ar_links(
            self._customer("Other"), self.company, days(0)
        )
        (other_link,) = other.values()
        signature = link._ar_qr_signature(str(invoice.id))
        flipped = f"{signature[:-1]}{'1' if signature[-1] == '0' else '0'}"
        for wrong in (
            # the signature with its last digit changed (not always to "0": it may be one)
            f"/statement/qr/{link.id}/{invoice.id}/{flipped}.png",
            f"/statement/qr/{other_link.id}/{invoice.id}/{signature}.png",
            f"/statement/qr/{link.id}/{invoice.id}/{link.token}.png",
            f"/statement/qr/{link.id}/{invoice.id}-{invoice.id + 1}/{signature}.png",
            f"/statement/{link.token}/qr.png",
        ):
            with freeze_time(days(1)):
                self.assertEqual(self.url_open(wrong).status_code, 404, wrong)
        # found by a new user: once paid (or the link revoked), the code of an e-mail read
        # later was a broken image beside "scan this code"; it is a blank pixel now
        self._pay(invoice, 310.0)
        with freeze_time(days(1)):
            image = self.url_open(f"/{path}")
        self.assertEqual((image.status_code, image.headers["Content-Type"]), (200, "image/png"))
        self.assertEqual(image.content[:8], b"\x89PNG\r\n\x1a\n")
        self.assertLess(len(image.content), 100)
        link.action_revoke()
        with freeze_time(days(1)):
            image = self.url_open(f"/{path}")
        self.assertEqual(image.status_code, 200)
        self.assertLess(len(image.content), 100)

    def test_no_code_in_the_reminder_without_an_iban(self):
        self.bank.acc_number = "123456789"
        self._invoice(self.customer, 310.0, days(-8))
        self._run(days(0))
        body = self.env["mail.mail"].search([("res_id", "=", self.customer.id)], limit=1).body_html
        self.assertNotIn("qr.png", body)
        self.assertIn("123456789", body, "the reminder still says where to transfer to")

    def test_code_pays_what_the_pay_button_pays_through_a_sequence(self):
        """Invariant over events (new invoices, payments, a dispute, a payment plan): the
        QR code asks exactly what the statement's "Pay all overdue" asks, and decodes to
        its payload."""
        link = self.env["ar.statement.link"]._ar_links(self.customer, self.company, days(0))
        base = f"/statement/{link[self.customer.id].token}"
        first = self._invoice(self.customer, 100.0, days(-30))
        second = self._invoice(self.customer, 250.5, days(-10))
        not_due = self._invoice(self.customer, 40.0, days(10))

        def check(expected):
            with freeze_time(days(1)):
                qr = self._qr()
                page = self.url_open(base).text
            if expected is None:
                self.assertIsNone(qr)
                self.assertNotIn("o_ar_sepa_qr", page)
                return
            self.assertEqual(qr["payload"].split("\n")[7], f"EUR{expected:.2f}")
            self.assertIn("o_ar_sepa_qr", page)
            # the page's "Pay all" button asks the same
            start = page.index("o_ar_pay_overdue")
            button = page[start : page.index("</a>", start)]
            self.assertIn(f'<span class="oe_currency_value">{expected:,.2f}</span>', button)
            if zxingcpp is not None:
                self.assertEqual(decode(qr["png"]), [qr["payload"]])
                # the page shows the same code
                start = page.index("data:image/png;base64,", page.index("o_ar_sepa_qr"))
                image = page[start + 22 : page.index('"', start)]
                self.assertEqual(decode(base64.b64decode(image)), [qr["payload"]])

        check(350.5)
        self._pay(first, 60.0)
        check(290.5)
        self.env["ar.dispute"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(second.ids)],
                "reason": "quality",
                "description": "Broken",
            }
        )
        check(40.0)  # nothing payable overdue: the open invoice not due (as a courtesy)
        late = self._invoice(self.customer, 19.99, days(-2))
        check(59.99)  # 40.00 overdue from the first, and the new one
        self._pay(first, 40.0)
        self._pay(late, 19.99)
        check(40.0)
        self._pay(not_due, 40.0)
        check(None)

    def test_statement_pdf_in_dutch(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        dutch = self._customer("Klant Twee", lang="nl_NL")
        self._invoice(dutch, 99.95, days(-3))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "ar_followup.action_report_statement",
                dutch.ids,
                data={"date": fields.Date.to_string(days(0))},
            )[0]
            .decode()
        )
        self.assertIn("Betalen per overboeking", html)
        self.assertIn("Bedrag: 99,95", html)
        qr = self.Statement._ar_sepa_qr(dutch, self.company, days(0))
        start = html.index("data:image/png;base64,", html.index("o_ar_sepa_qr")) + 22
        image = base64.b64decode(html[start : html.index('"', start)])
        if zxingcpp is not None:
            self.assertEqual(decode(image), [qr["payload"]])


@tagged("post_install", "-at_install")
class TestSepaQrOnPaper(SepaQrCase):
    """Letters and statement PDFs (rendered without the test server: with it, wkhtmltopdf
    draws the web fonts as outlines, which leave no text to read back)."""

    def test_letter_pdf_carries_the_code(self):
        pdftoppm = shutil.which("pdftoppm")
        self.assertTrue(pdftoppm, "poppler-utils (scripts/prepare.sh installs them)")
        invoice = self._invoice(self.customer, 1234.56, days(-10))
        letter = (
            self.env["ar.followup.history"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "channel": "letter",
                    "level_id": self.levels[14].id,
                    "move_ids": [(6, 0, invoice.ids)],
                    "date": days(0),
                    "letter_state": "to_print",
                }
            )
        )
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("ar_followup.action_report_letter", letter.ids)
        )
        with tempfile.TemporaryDirectory() as tmp:
            with open(f"{tmp}/letter.pdf", "wb") as file:
                file.write(pdf)
            text = subprocess.run(
                ["pdftotext", "-layout", f"{tmp}/letter.pdf", "-"],
                capture_output=True,
                check=True,
                text=True,
            ).stdout
            text = " ".join(text.replace("\xa0", " ").split())
            self.assertIn("Pay by bank transfer: scan this code with your banking app.", text)
            self.assertIn("NL91 ABNA 0417 1643 00", text)
            expected = self.Statement._ar_sepa_qr(self.customer, self.company, days(0))
            self.assertIn("EUR1234.56", expected["payload"])
            if zxingcpp is not None:
                subprocess.run(
                    [
                        pdftoppm,
                        "-r",
                        "200",
                        "-png",
                        "-f",
                        "1",
                        "-l",
                        "1",
                        f"{tmp}/letter.pdf",
                        f"{tmp}/page",
                    ],
                    check=True,
                )
                with open(f"{tmp}/page-1.png", "rb") as page:
                    self.assertEqual(decode(page.read()), [expected["payload"]])


@tagged("post_install", "-at_install")
class TestReminderQr(SepaQrCase, HttpCase):
    """A sent reminder's code asks what that reminder asked (#33, point 5): a new user's code,
    drawn when the e-mail was read after part of the debt was paid, asked 435.60 EUR for an
    invoice not yet due while the e-mail asked 9,056.85; two codes of six failed in zbar."""

    def _image(self, url, on):
        path = url.split("://", 1)[1].split("/", 1)[1]
        with freeze_time(on):
            response = self.url_open(f"/{path}")
        self.assertEqual(response.status_code, 200)
        return response.content

    def test_the_code_asks_the_reminders_invoices_less_what_was_paid(self):
        first = self._invoice(self.customer, 300.0, days(-20))
        second = self._invoice(self.customer, 200.0, days(-10))
        not_due = self._invoice(self.customer, 435.60, days(20))
        self._run(days(0))
        body = self._mails(self.customer)[-1].body_html
        link = self.env["ar.statement.link"].search([("partner_id", "=", self.customer.id)])
        url = link._ar_qr_url((first | second).ids)
        self.assertIn(f'src="{url}"', body, "the e-mail's code names its invoices")
        self.assertEqual(decode(self._image(url, days(1)))[0].split("\n")[7], "EUR500.00")
        self._pay(first, 300.0, on=days(2))
        self.assertEqual(decode(self._image(url, days(3)))[0].split("\n")[7], "EUR200.00")
        self._pay(second, 120.0, on=days(4))
        self.assertEqual(decode(self._image(url, days(5)))[0].split("\n")[7], "EUR80.00")
        self._pay(second, 80.0, on=days(6))
        # all the reminder asked is paid: a blank pixel, never the invoice not yet due
        image = self._image(url, days(7))
        self.assertLess(len(image), 100)
        self.assertEqual(decode(image), [])
        self.assertTrue(not_due.amount_residual)

    def test_the_code_is_sharp(self):
        """Whole pixels a module: black and white only (a grey edge is what decoders
        misread), at least 240 pixels, and every code of a sequence decodes."""
        for n, amount in enumerate((12.5, 9056.85, 123456.78, 0.99, 310.0, 4500.0)):
            customer = self._customer(f"Sharp {n}")
            self._invoice(customer, amount, days(-10))
            qr = self._qr(partner=customer)
            image = Image.open(io.BytesIO(qr["png"])).convert("L")
            self.assertGreaterEqual(image.size[0], 240)
            greys = [value for value in image.getdata() if 0 < value < 255]
            self.assertEqual(greys, [], f"{amount}: grey pixels")
            self.assertEqual(decode(qr["png"]), [qr["payload"]])
            # scaled down by half, as a mail client may show it: still read
            half = image.resize((image.size[0] // 2, image.size[1] // 2))
            buffer = io.BytesIO()
            half.save(buffer, format="PNG")
            self.assertEqual(decode(buffer.getvalue()), [qr["payload"]])

    def test_the_statement_e_mail_asks_the_invoices_it_lists(self):
        """Found by the attack: the QR code of "Send the statement" (outside a run) asked
        for whatever was owed when it was read, an invoice posted later too."""
        first = self._invoice(self.customer, 100.0, days(-10))
        with freeze_time(days(0)):
            self._server_action("ar_followup.action_ar_partner_send_statement", self.customer)
        body = self._mails(self.customer)[-1].body_html
        link = self.env["ar.statement.link"].search([("partner_id", "=", self.customer.id)])
        url = link._ar_qr_url(first.ids)
        self.assertIn(f'src="{url}"', body)
        self._invoice(self.customer, 7777.0, days(-5))
        self.assertEqual(decode(self._image(url, days(1)))[0].split("\n")[7], "EUR100.00")
