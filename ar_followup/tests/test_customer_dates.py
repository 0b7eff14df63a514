"""Every date a customer sees is in its language's format (issue #33, point 3): the e-mails,
the PDFs and the portal pages, for a customer in en_US, en_GB and nl_NL, whatever the
language of the browser or of the portal user's own contact."""

from datetime import date

from freezegun import freeze_time
from lxml import html

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase

DUE = date(2026, 12, 11)
# 11 December 2026 as each language writes it (Odoo 18's res.lang date_format)
FORMATS = {"en_US": "12/11/2026", "en_GB": "11/12/2026", "nl_NL": "11-12-2026"}
# 1 December 2026, the day the disputes of the tests are opened
OPENED = {"en_US": "12/01/2026", "en_GB": "01/12/2026", "nl_NL": "01-12-2026"}


@tagged("post_install", "-at_install")
class TestCustomerDates(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_GB")
        # the portal user's own contact reads English (US), as the demo's Emma Clarke
        contact = cls.env["res.partner"].create(
            {
                "name": "Emma Clarke",
                "parent_id": cls.customer.id,
                "email": "emma@example.com",
                "lang": "en_US",
            }
        )
        cls.portal_user = cls._user("ar_dates_portal", "portal", partner_id=contact.id)
        # due 11 December 2026, issued 11 November 2026
        cls.invoice = cls._invoice(cls.customer, 1210.0, DUE)

    def _text(self, markup):
        return " ".join(html.fromstring(str(markup)).text_content().split())

    def _assert_dates(self, text, lang, what):
        self.assertIn(FORMATS[lang], text, f"{what} in {lang}")
        for other, written in FORMATS.items():
            if other != lang:
                self.assertNotIn(written, text, f"{what} in {lang} has a date as {other}")

    def _dispute(self):
        """A dispute opened on 1 December 2026 (quality: answered within 10 days, by 11
        December 2026)."""
        with freeze_time(date(2026, 12, 1)):
            return self.env["ar.dispute"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self.invoice.ids)],
                    "reason": "quality",
                    "description": "Broken pallets",
                }
            )

    def test_emails_and_pdfs(self):
        for lang, written in FORMATS.items():
            with self.subTest(lang=lang):
                self.customer.lang = lang
                templates = {  # a reminder renders on its record, the statement on the account
                    "ar_followup.mail_template_reminder": self._reminder(
                        self.customer, fields.Date.today()
                    ),
                    "ar_followup.mail_template_statement": self._account(self.customer),
                }
                for xmlid, record in templates.items():
                    template = self.env.ref(xmlid)
                    body = template._render_field("body_html", [record.id], compute_lang=True)
                    self._assert_dates(self._text(body[record.id]), lang, xmlid)
                dispute = self._dispute()
                ack = dispute.message_ids.filtered(lambda m: m.message_type == "comment")
                self.assertIn(written, self._text(ack.body))
                pdf = (
                    self.env["ir.actions.report"]
                    ._render_qweb_html("ar_followup.action_report_statement", self.customer.ids)[0]
                    .decode()
                )
                self.assertIn(written, self._text(pdf))
                dispute.action_cancel()

    def test_plan_emails(self):
        """The instalment dates of the approval e-mail (11 December 2026 and after)."""
        for lang, written in FORMATS.items():
            with self.subTest(lang=lang):
                self.customer.lang = lang
                invoice = self._invoice(self.customer, 600.0, date(2026, 11, 1))
                with freeze_time(date(2026, 11, 20)):
                    plan = self.env["ar.payment.plan"].create(
                        {"partner_id": self.customer.id, "move_ids": [Command.set(invoice.ids)]}
                    )
                    plan._set_instalments(2, DUE)
                    plan.sudo().state = "proposed"  # as the portal request does
                    plan.action_activate()
                approval = plan.message_ids.filtered(lambda m: m.message_type == "comment")
                self.assertIn(written, self._text(approval.body))
                plan.action_cancel()

    def test_portal_dispute_page(self):
        """The dispute's page: its deadline as the acknowledgement on it writes it, in the
        customer's language, though the portal user's contact reads en_US; the list of
        disputes the same way."""
        self.authenticate("ar_dates_portal", "ar_dates_portal")
        for lang, written in FORMATS.items():
            with self.subTest(lang=lang):
                self.customer.lang = lang
                dispute = self._dispute()
                page = self.url_open(f"/my/disputes/{dispute.id}")
                self.assertEqual(page.status_code, 200)
                # (the portal's sidebar page nests a body: its divs do not survive lxml)
                facts = html.fromstring(page.text).xpath("//li[contains(., 'Answer by:')]")[0]
                self.assertIn(f"Answer by: {written}", self._text_of(facts))
                listing = html.fromstring(self.url_open("/my/disputes").text)
                row = listing.xpath(f"//tr[.//a[text()='{dispute.name}']]")[0]
                self.assertIn(OPENED[lang], self._text_of(row))
                dispute.action_cancel()

    def test_portal_statement(self):
        """The statement page (its open items, the invoices to tick) in the customer's
        language's date format."""
        self.authenticate("ar_dates_portal", "ar_dates_portal")
        for lang, written in FORMATS.items():
            with self.subTest(lang=lang):
                self.customer.lang = lang
                page = self.url_open("/my/statement")
                self.assertEqual(page.status_code, 200)
                tree = html.fromstring(page.text)
                # issued 11 November 2026, due 11 December 2026
                items = tree.xpath("//div[hasclass('o_ar_statement')]//table")[0]
                self._assert_dates(self._text_of(items), lang, "open items")
                choices = tree.xpath("//form[hasclass('o_ar_pay_selected')]")[0]
                self.assertIn(f"due {written}", self._text_of(choices))

    def _text_of(self, element):
        return " ".join(element.text_content().split())
