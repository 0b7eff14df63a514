"""The mandate signed online on the statement page (statement link or portal): offered when
the customer's level offers direct debit and it has no valid mandate; the IBAN checked, the
CSRF token asked, nothing stored on bad input; another customer's link or portal user signs
nothing for this one. D0 = 2026-03-02; the customer's invoice is 10 days overdue on D0, and
the 7-day level offers direct debit."""

import base64
import re

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from odoo.addons.ar_followup.tests.common import csrf_token_in

from .common import DirectDebitCase, days

GOOD_IBAN = "NL39 RABO 0300 0652 64"


@tagged("post_install", "-at_install")
class TestMandateOnline(DirectDebitCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signer = cls._customer("Signer B.V.")
        cls.other = cls._customer("Other Customer")
        cls.levels[7].offer_direct_debit = True
        cls.invoice = cls._invoice(cls.signer, 600.0, days(-10))
        cls._invoice(cls.other, 999.0, days(-10))
        cls.portal = cls._user("dd_portal", "portal", password="dd_portal", partner_id=cls.other.id)

    def _path(self, partner):
        self._run(days(0))
        body = self._mails(partner).body_html
        url = re.findall(r"https?://[^\"'<> ]+/statement/[A-Za-z0-9_-]+", body)[0]
        return url[url.index("/statement/") :]

    def _mandates(self, partner):
        return self.env["account.banking.mandate"].search([("partner_id", "=", partner.id)])

    def _post(self, path, csrf, **form):
        return self.url_open(
            f"{path}/mandate",
            data={
                "csrf_token": csrf,
                "holder": "J. de Vries",
                "iban": GOOD_IBAN,
                "place": "Utrecht",
                "accept": "1",
                **form,
            },
            allow_redirects=False,
        )

    def test_sign_through_the_statement_link(self):
        path = self._path(self.signer)
        with freeze_time(days(1)):
            page = self.url_open(path).text
            self.assertIn("Pay by direct debit", page)
            self.assertIn("NL69ZZZ123456780000", page)
            csrf = csrf_token_in(page)
            # the business form to print instead
            self.assertIn(f'href="{path}/mandate_b2b"', page)
            pdf = self.url_open(f"{path}/mandate_b2b")
            self.assertEqual(pdf.status_code, 200)
            self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
            # no CSRF token: refused, nothing stored
            forged = self.url_open(f"{path}/mandate", data={"holder": "X", "iban": GOOD_IBAN})
            self.assertEqual(forged.status_code, 400)
            # a bad IBAN: the page again, the typing kept, nothing stored
            bad = self._post(path, csrf, iban="NL91 ABNA 0417 1643 01")
            self.assertEqual(bad.status_code, 200)
            self.assertIn("This is not a valid IBAN", bad.text)
            self.assertIn('value="NL91 ABNA 0417 1643 01"', bad.text)
            self.assertIn('value="Utrecht"', bad.text)
            # the page opens at the field refused, far below its top (a new user's trial)
            iban_input = re.search(r'<input[^>]*name="iban"[^>]*>', bad.text).group(0)
            self.assertIn('autofocus="autofocus"', iban_input)
            self.assertNotIn(
                "autofocus", re.search(r'<input[^>]*name="place"[^>]*>', bad.text).group(0)
            )
            self.assertFalse(self._mandates(self.signer))
            # an account outside SEPA, a NUL in the IBAN, control characters in the name
            self.assertIn(
                "SEPA country", self._post(path, csrf, iban="SA03 8000 0000 6080 1016 7519").text
            )
            self.assertIn(
                "not a valid IBAN", self._post(path, csrf, iban="NL91ABNA04171643\x0000").text
            )
            self.assertIn("holder&#39;s name", self._post(path, csrf, holder="J. \u202eevil").text)
            self.assertIn("our own account", self._post(path, csrf, iban="NL91ABNA0417164300").text)
            # not authorised: nothing (a crafted accept=0 neither: a new user's trial)
            for refused in ("", "0", "off"):
                self.assertIn("Tick the box", self._post(path, csrf, accept=refused).text)
            self.assertFalse(self._mandates(self.signer))
            # the IBAN as printed on a bank card, with dots
            done = self._post(path, csrf, iban="NL39.RABO.0300.0652.64")
            self.assertEqual(done.status_code, 303)
            self.assertTrue(
                done.headers["Location"].endswith(f"{path}?mandate_signed=1#o_ar_dd_feedback"),
                "the page opens at the thank-you message",
            )
            thanks = self.url_open(f"{path}?mandate_signed=1").text
            self.assertIn("your direct debit mandate is signed", thanks)
            self.assertNotIn("Pay by direct debit", thanks, "signed: no longer offered")
            self.assertEqual(self.url_open(f"{path}/mandate_b2b").status_code, 404)
        mandate = self._mandates(self.signer)
        self.assertEqual(
            (mandate.state, mandate.scheme, mandate.signature_date), ("valid", "CORE", days(1))
        )
        self.assertEqual(mandate.partner_bank_id.sanitized_acc_number, "NL39RABO0300065264")
        log = mandate.message_ids[0].body
        self.assertIn("Signed online (statement link) by J. de Vries in Utrecht", log)
        self.assertIn("127.0.0.1", log)
        # the text the customer read, with what it gave, kept on the mandate (a new user's
        # trial: the signed text was nowhere)
        # a PDF (HTML in tests), not an HTML file Odoo serves as text to a portal user's
        # upload (a new user's trial read its source); the mandate's scan too
        document = mandate.message_ids[0].attachment_ids
        self.assertEqual(len(document), 1)
        self.assertEqual((document.res_model, document.res_id), (mandate._name, mandate.id))
        self.assertTrue(mandate.scan)
        self.assertEqual(base64.b64decode(mandate.scan), document.raw)
        # the name typed is the account's holder
        self.assertEqual(mandate.partner_bank_id.acc_holder_name, "J. de Vries")
        text = document.raw.decode()
        for part in (
            mandate.unique_mandate_reference,
            "NL69ZZZ123456780000",
            "J. de Vries",
            "Utrecht",
            mandate.partner_bank_id.acc_number,
            "By signing this mandate you authorise (A)",
            "I authorise this direct debit mandate, signed today.",
            "127.0.0.1",
        ):
            self.assertIn(part, text)
        self.assertEqual(self.signer.with_company(self.company).customer_payment_mode_id, self.mode)
        # the next invoice is collected
        nxt = self._invoice(self.signer, 100.0, days(30))
        self.assertEqual(nxt.mandate_id, mandate)

    def test_the_b2b_form_names_the_creditor_and_the_customer(self):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "ar_followup_direct_debit.action_report_mandate_b2b", self.signer.ids
        )
        html = html.decode()
        self.assertIn("SEPA business-to-business direct debit mandate", html)
        self.assertIn("NL69ZZZ123456780000", html)
        self.assertIn("Signer B.V.", html)
        self.assertIn("You are not entitled to a refund", html)

    def test_a_company_name_ending_in_a_full_stop_ends_the_sentence(self):
        """ "... the instructions from Van der Berg B.V.. If you ..." (a new user's trial): the
        name's own full stop ends the sentence, in the online and the paper mandate."""
        self.company.name = "Van der Berg B.V."
        texts = (
            self._b2b_form(),
            str(
                self.env["ir.qweb"]._render(
                    "ar_followup_direct_debit.mandate_core_text", {"company": self.company}
                )
            ),
        )
        for text in texts:
            self.assertNotIn("B.V..", text)
            self.assertIn("Van der Berg B.V. ", " ".join(text.split()))

    def _b2b_form(self):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "ar_followup_direct_debit.action_report_mandate_b2b", self.signer.ids
        )
        return html.decode()

    def test_the_b2b_form_reserves_the_mandate_reference(self):
        """The form prints a reference from OCA's mandate sequence, the same on every copy,
        kept on the customer; the B2B mandate registered for the customer takes it (not a
        CORE one); the next form gets a new one."""
        html = self._b2b_form()
        reference = self.signer.with_company(self.company).ar_dd_b2b_reference
        self.assertTrue(reference)
        self.assertIn(reference, html)
        self.assertNotIn("to be filled in", html)
        self.assertIn(reference, self._b2b_form(), "the same reference on the second copy")
        bank = self.env["res.partner.bank"].create(
            {"acc_number": "NL39RABO0300065264", "partner_id": self.signer.id}
        )
        Mandate = self.env["account.banking.mandate"]
        values = {"format": "sepa", "partner_bank_id": bank.id, "company_id": self.company.id}
        core = Mandate.create({**values, "scheme": "CORE", "type": "recurrent"})
        self.assertNotEqual(core.unique_mandate_reference, reference)
        b2b = Mandate.create({**values, "scheme": "B2B", "type": "recurrent"})
        self.assertEqual(b2b.unique_mandate_reference, reference)
        again = Mandate.create({**values, "scheme": "B2B", "type": "recurrent"})
        self.assertNotEqual(again.unique_mandate_reference, reference, "taken")
        html = self._b2b_form()
        new = self.signer.with_company(self.company).ar_dd_b2b_reference
        self.assertNotEqual(new, reference)
        self.assertIn(new, html)

    def test_other_customers_sign_nothing_for_this_one(self):
        path = self._path(self.signer)
        with freeze_time(days(1)):
            csrf = csrf_token_in(self.url_open(path).text)
            # a made-up token
            wrong = self._post("/statement/" + "x" * 43, csrf)
            self.assertNotEqual(wrong.status_code, 303)
            # the portal user of the other customer signs for its own company only
            self.authenticate("dd_portal", "dd_portal")
            own = self.url_open("/my/statement").text
            csrf = csrf_token_in(own)
            response = self._post("/my/statement", csrf)
            self.assertEqual(response.status_code, 303)
        self.assertFalse(self._mandates(self.signer))
        self.assertEqual(self._mandates(self.other).partner_id, self.other)

    def test_not_offered_with_a_valid_mandate_or_below_the_level(self):
        transfer = self._invoice(self.customer, 300.0, days(-10))
        transfer.mandate_id = False  # paid by transfer: chased, its reminder carries the link
        path = self._path(self.customer)
        with freeze_time(days(1)):
            self.assertNotIn("Pay by direct debit", self.url_open(path).text)
            csrf = csrf_token_in(self.url_open(path).text)
            # posting anyway does nothing
            self._post(path, csrf)
        self.assertEqual(self._mandates(self.customer), self.mandate)
        self.levels[7].offer_direct_debit = False
        self.assertFalse(self.env["account.banking.mandate"]._ar_offer(self.signer, self.company))
