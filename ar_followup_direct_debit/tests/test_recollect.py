"""After a return, the customer picks on its statement page the day we debit it again (5 to
30 days ahead): the invoice is out of the ladder until then, the credit-control manager gets
the activity to put it in an order; bad dates, other customers' invoices and forged posts
store nothing. D0 = 2026-03-02."""

import re

from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.tests import HttpCase, tagged

from odoo.addons.ar_followup.tests.common import csrf_token_in

from .common import DirectDebitCase, days


@tagged("post_install", "-at_install")
class TestRecollect(DirectDebitCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls._customer("Other Customer")
        cls.other_invoice = cls._invoice(cls.other, 999.0, days(-10))

    def _returned_link(self):
        invoice = self._invoice(self.customer, 1210.0, days(-20), invoice_date=days(-40))
        with freeze_time(days(-20)):
            self._collect(invoice)
        with freeze_time(days(-15)):
            self._return(invoice, "AM04", on=days(-15))
        self._run(days(0))
        body = self._mails(self.customer).body_html
        url = re.findall(r"https?://[^\"'<> ]+/statement/[A-Za-z0-9_-]+", body)[0]
        return invoice, url[url.index("/statement/") :]

    def test_the_customer_picks_the_new_collection_date(self):
        invoice, path = self._returned_link()
        customer = self.customer.with_company(self.company)
        self.assertTrue(customer.ar_next_followup_date, "the returned debit is chased")
        with freeze_time(days(1)):
            page = self.url_open(path).text
            self.assertIn("Your bank returned our direct debit", page)
            # the dates it may choose, said beside the field (a new user's trial)
            self.assertIn(
                f"From {days(6).strftime('%m/%d/%Y')} to {days(31).strftime('%m/%d/%Y')}", page
            )
            csrf = csrf_token_in(page)

            def post(**data):
                return self.url_open(
                    f"{path}/recollect",
                    data={"csrf_token": csrf, "invoice_id": invoice.id, **data},
                    allow_redirects=False,
                )

            self.assertEqual(
                self.url_open(f"{path}/recollect", data={"invoice_id": invoice.id}).status_code,
                400,
                "no CSRF token",
            )
            too_soon = post(date=str(days(3)))
            self.assertIn("Choose a date from", too_soon.text)
            self.assertIn("Choose a date from", post(date="not a date").text)
            # another customer's invoice through this link: refused
            stolen = post(invoice_id=self.other_invoice.id, date=str(days(10)))
            self.assertIn("cannot be collected again", stolen.text)
            self.assertFalse(
                invoice.ar_dd_recollect_date or self.other_invoice.ar_dd_recollect_date
            )
            done = post(date=str(days(10)))
            self.assertEqual(done.status_code, 303)
            # the thank-you names the invoice and the date recorded (a new user's trial)
            self.assertIn(f"?recollect={invoice.id}#o_ar_dd_feedback", done.headers["Location"])
            thanks = self.url_open(f"{path}?recollect={invoice.id}").text
            self.assertIn(f"we will debit invoice {invoice.name} again on", thanks)
            self.assertIn(days(10).strftime("%m/%d/%Y"), thanks)
            # another customer's invoice id in the address: no thank-you, nothing shown
            for forged in (
                self.other_invoice.id,
                "1 OR 1=1",
                "x",
                "99999999999999999999",  # beyond PostgreSQL's integer: was a 500 (a trial)
                "\u00b2",  # a digit to str.isdigit, not to int()
            ):
                page = self.url_open(f"{path}?recollect={forged}")
                self.assertEqual(page.status_code, 200, forged)
                self.assertNotIn("o_ar_dd_recollect_asked", page.text)
        self.assertEqual(invoice.ar_dd_recollect_date, days(10))
        # the back office no longer shows the next step of the ladder (a new user's trial)
        customer.invalidate_recordset()
        self.assertFalse(customer.ar_next_followup_date)
        activity = invoice.activity_ids
        self.assertEqual(activity.date_deadline, days(8))
        self.assertIn("to be collected on", activity.note)
        # assigned by the system: the manager's assignment e-mail has a sender (it failed
        # from the statement link's public user, which has no address: a new user's trial)
        self.assertEqual(activity.create_uid.id, SUPERUSER_ID)
        assignment = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        self.assertTrue(assignment)
        self.assertTrue(all(mail.email_from for mail in assignment))
        # out of the ladder and the total asked until then plus the window
        Move = self.env["account.move"]
        self.assertEqual(Move._ar_dd_collections(days(12), invoice.ids), {invoice.id: days(10)})
        statement = self._statement(self.customer, days(12))
        line = next(line for line in statement["lines"] if line["move"] == invoice)
        self.assertEqual(line["direct_debit"], days(10))
        # asked once: the form is gone
        with freeze_time(days(2)):
            self.assertNotIn("Your bank returned our direct debit", self.url_open(path).text)

    def test_the_manager_and_the_chatter_in_their_own_languages(self):
        """The customer asks on a page in English; the credit manager reads Dutch, the
        company writes its chatter in English: the activity's summary and note are Dutch,
        the chatter's line English, the channel in each one's words (a new user's trial read
        English words in Dutch sentences)."""
        self.env["res.lang"]._activate_lang("nl_NL")
        manager = self.company._ar_credit_manager()
        manager.lang = "nl_NL"
        self.company.partner_id.lang = "en_US"
        invoice = self._invoice(self.customer, 300.0, days(-20), invoice_date=days(-40))
        with freeze_time(days(-20)):
            self._collect(invoice)
        self._return(invoice, "AM04", on=days(-15))
        with freeze_time(days(0)):
            error = invoice.with_context(lang="nl_NL")._ar_dd_ask_recollect(
                days(10), "statement link"
            )
        self.assertIsNone(error)
        activity = invoice.activity_ids
        self.assertEqual(activity.user_id, manager)
        self.assertEqual(
            activity.summary, "Gestorneerde incasso: neem haar op in een incasso-opdracht"
        )
        self.assertIn(f"Neem {invoice.name} op in een incasso-opdracht", activity.note)
        log = invoice.message_ids.filtered(lambda m: "to be debited again" in (m.body or ""))
        self.assertEqual(len(log), 1)
        self.assertIn("The customer asked (statement link)", log.body)
        # the return itself in the invoice's chatter, in the company's language
        returned = invoice.message_ids.filtered(
            lambda m: "Direct debit returned by the bank on" in (m.body or "")
        )
        self.assertEqual(len(returned), 1)
        self.assertIn("insufficient funds (AM04)", returned.body)
