from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, csrf_token_in, days


@tagged("post_install", "-at_install")
class TestStatement(ArFollowupCase):
    def test_aging_buckets(self):
        self._invoice(self.customer, 100.0, days(5))  # not due
        self._invoice(self.customer, 200.0, days(-30))  # 1-30
        self._invoice(self.customer, 300.0, days(-31))  # 31-60
        self._invoice(self.customer, 400.0, days(-90))  # 61-90
        self._invoice(self.customer, 500.0, days(-91))  # over 90
        self._invoice(self.customer, 50.0, days(-40), move_type="out_refund")  # not due (credit)
        partner = self.customer.with_company(self.company)
        aging = self._statement(partner, days(0))["aging"]
        self.assertEqual(len(aging), 1)
        self.assertEqual(
            aging[0]["buckets"],
            {"not_due": 50.0, "d1_30": 200.0, "d31_60": 300.0, "d61_90": 400.0, "over_90": 500.0},
        )
        self.assertEqual(aging[0]["total"], 1450.0)

    def test_statement_pdf_is_a_real_pdf(self):
        self._invoice(self.customer, 100.0, days(-10))
        content, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("ar_followup.action_report_statement", self.customer.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))

    def test_letter_for_a_customer_without_email(self):
        partner = self._customer("Letter Only", email=False)
        invoice = self._invoice(partner, 100.0, days(-10))
        self.levels[7].letter_text = "<p>Wij herinneren u graag aan de openstaande facturen.</p>"
        run = self._run(days(0))
        self.assertEqual(run.letter_count, 1)
        self.assertEqual(run.skip_count, 0)
        letter = self._history(partner, "letter")
        self.assertEqual(letter.letter_state, "to_print")
        self.assertEqual(letter.move_ids, invoice)
        action = letter.action_print_letters()
        self.assertEqual(letter.letter_state, "printed")
        # a company without document layout is first asked to configure it
        report = action.get("report_name") or action["context"]["report_action"]["report_name"]
        self.assertEqual(report, "ar_followup.report_letter")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "ar_followup.report_letter", letter.ids
        )[0]
        self.assertIn(b"Wij herinneren u graag", html)
        self.assertIn(invoice.name.encode(), html)

    def test_letter_always_and_attachments(self):
        self.levels[7].write(
            {"send_letter": "always", "attach_statement": True, "attach_invoices": True}
        )
        invoice = self._invoice(self.customer, 100.0, days(-10))
        run = self._run(days(0))
        self.assertEqual((run.email_count, run.letter_count), (1, 1))
        mail = self._mails(self.customer)
        names = mail.attachment_ids.mapped("name")
        self.assertEqual(len(names), 2)
        self.assertTrue(any(invoice.name in name for name in names))
        self.assertTrue(any("Statement" in name for name in names))
        # the statement is as of the run's date, not the day the run happens to be made
        statement = mail.attachment_ids.filtered(lambda a: "Statement" in a.name)
        date = self.env["ar.followup.statement"]._ar_formatter().date(days(0))
        self.assertIn(f"Date: {date}", statement.raw.decode())


@tagged("post_install", "-at_install")
class TestStatementPortal(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"ar_plan_max_instalments": 6, "ar_plan_min_instalment": 100.0})
        cls.portal_partner = cls._customer("Statement Buyer")
        cls.portal_user = cls._user(
            "stm_portal", "portal", password="stm_portal", partner_id=cls.portal_partner.id
        )
        cls.other_partner = cls._customer("Statement Other")
        cls.invoice = cls._invoice(cls.portal_partner, 600.0, days(-10))
        cls.other_invoice = cls._invoice(cls.other_partner, 999.0, days(-10))

    def _csrf(self, url="/my/statement"):
        return csrf_token_in(self.url_open(url).text)

    def test_statement_page_and_pdf(self):
        self.authenticate("stm_portal", "stm_portal")
        page = self.url_open("/my/statement")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.invoice.name, page.text)
        self.assertNotIn(self.other_invoice.name, page.text)
        self.assertIn("o_ar_aging", page.text)
        self.assertIn("access_token=", page.text, "each line links to its invoice page")
        pdf = self.url_open("/my/statement/pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertIn(b"Statement", pdf.content)  # HTML in test mode unless forced
        self.assertIn(self.invoice.name.encode(), pdf.content)
        self.assertNotIn(self.other_invoice.name.encode(), pdf.content)
        # not logged in: the login page, nothing of the statement
        self.authenticate(None, None)
        response = self.url_open("/my/statement", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_plan_request_limits(self):
        self.authenticate("stm_portal", "stm_portal")
        csrf = self._csrf()
        Plan = self.env["ar.payment.plan"]
        with freeze_time(days(0)):
            for data, message in (
                ({"instalments": "7", "first_date": str(days(5))}, "Choose between 1 and 6"),
                ({"instalments": "0", "first_date": str(days(5))}, "Choose between 1 and 6"),
                ({"instalments": "abc", "first_date": str(days(5))}, "Choose between 1 and 6"),
                ({"instalments": "3", "first_date": ""}, "Give the date"),
                ({"instalments": "3", "first_date": str(days(-1))}, "cannot be in the past"),
            ):
                response = self.url_open("/my/statement/plan", data={"csrf_token": csrf, **data})
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertFalse(Plan.search([("partner_id", "=", self.portal_partner.id)]))
            # 600 in 3 instalments of 200 is below a minimum of 250
            self.company.ar_plan_min_instalment = 250.0
            response = self.url_open(
                "/my/statement/plan",
                data={"csrf_token": csrf, "instalments": "3", "first_date": str(days(5))},
            )
            self.assertIn("at least", response.text)
            self.assertIn('value="3"', response.text, "what was typed is kept")
            self.company.ar_plan_min_instalment = 100.0
            response = self.url_open(
                "/my/statement/plan",
                data={"csrf_token": csrf, "instalments": "3", "first_date": str(days(5))},
                allow_redirects=False,
            )
        self.assertEqual(response.status_code, 303)
        plan = Plan.search([("partner_id", "=", self.portal_partner.id)])
        self.assertEqual(plan.state, "proposed")
        self.assertEqual(plan.move_ids, self.invoice)
        self.assertEqual(plan.line_ids.mapped("amount"), [200.0, 200.0, 200.0])
        self.assertTrue(plan.activity_ids)
        # approval tells the customer
        plan.action_activate()
        self.assertTrue(
            plan.message_ids.filtered(lambda m: "your payment plan" in (m.subject or ""))
        )
        # no CSRF token: refused
        response = self.url_open(
            "/my/statement/plan", data={"instalments": "2", "first_date": str(days(5))}
        )
        self.assertEqual(response.status_code, 400)

    def test_plan_request_dates_within_the_window(self):
        """The first instalment within the company's window (60 days by default), checked
        before any date arithmetic: 2999 or 9999-12-31 give a message, never a 500."""
        self.assertEqual(self.company.ar_plan_start_days, 60)
        self.authenticate("stm_portal", "stm_portal")
        csrf = self._csrf()
        Plan = self.env["ar.payment.plan"]
        with freeze_time(days(0)):
            for first_date in (str(days(61)), "2999-01-01", "9999-12-31"):
                response = self.url_open(
                    "/my/statement/plan",
                    data={"csrf_token": csrf, "instalments": "6", "first_date": first_date},
                )
                self.assertEqual(response.status_code, 200, first_date)
                self.assertIn("at the latest (within 60 days)", response.text, first_date)
                self.assertIn(f'value="{first_date}"', response.text, "what was typed is kept")
                self.assertFalse(Plan.search([("partner_id", "=", self.portal_partner.id)]))
            for data in (
                {"instalments": "3", "first_date": "2026-03-05\x00"},
                {"instalments": "3\x00", "first_date": str(days(5))},
                {"instalments": "9" * 5000, "first_date": "99999-01-01"},
            ):
                response = self.url_open("/my/statement/plan", data={"csrf_token": csrf, **data})
                self.assertEqual(response.status_code, 200)
                self.assertIn("Please correct the fields", response.text)
                self.assertFalse(Plan.search([("partner_id", "=", self.portal_partner.id)]))
            response = self.url_open(
                "/my/statement/plan",
                data={"csrf_token": csrf, "instalments": "6", "first_date": str(days(60))},
                allow_redirects=False,
            )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(
            Plan.search([("partner_id", "=", self.portal_partner.id)]).line_ids[-1:].date,
            days(60).replace(month=days(60).month + 5),
        )

    def test_one_plan_request_at_a_time(self):
        """Repeated POSTs make one proposed plan with one approval activity; the next ones, and
        a request while a plan runs, get a message on the page (where the form is hidden)."""
        self.authenticate("stm_portal", "stm_portal")
        csrf = self._csrf()
        Plan = self.env["ar.payment.plan"]
        data = {"csrf_token": csrf, "instalments": "3", "first_date": str(days(5))}
        with freeze_time(days(0)):
            first = self.url_open("/my/statement/plan", data=data, allow_redirects=False)
            self.assertEqual(first.status_code, 303)
            for _attempt in range(3):
                again = self.url_open("/my/statement/plan", data=data)
                self.assertEqual(again.status_code, 200)
                self.assertIn("You have already asked for a payment plan", again.text)
                self.assertNotIn("o_ar_plan_submit", again.text, "the form stays hidden")
            # an invalid request gets the same message, not an empty page
            bad = self.url_open(
                "/my/statement/plan", data={**data, "instalments": "99", "first_date": ""}
            )
            self.assertIn("You have already asked for a payment plan", bad.text)
            page = self.url_open("/my/statement")
            self.assertIn("We are considering your request", page.text)
        plan = Plan.search([("partner_id", "=", self.portal_partner.id)])
        self.assertEqual(len(plan), 1)
        self.assertEqual(len(plan.activity_ids), 1)
        plan.action_activate()
        # a new invoice while the plan runs: still no second plan
        self._invoice(self.portal_partner, 300.0, days(-1))
        with freeze_time(days(0)):
            response = self.url_open("/my/statement/plan", data=data)
            self.assertIn("You have already asked for a payment plan", response.text)
            self.assertIn("This payment plan is running", self.url_open("/my/statement").text)
        self.assertEqual(Plan.search_count([("partner_id", "=", self.portal_partner.id)]), 1)

    def test_plan_declined(self):
        # proposed: as the portal's request makes it (as the system)
        plan = (
            self.env["ar.payment.plan"]
            .sudo()
            .create(
                {
                    "partner_id": self.portal_partner.id,
                    "move_ids": [Command.set(self.invoice.ids)],
                    "state": "proposed",
                }
            )
            .sudo(False)
        )
        plan._set_instalments(2, days(5))
        plan.action_decline()
        self.assertEqual(plan.state, "cancelled")
        self.assertTrue(
            plan.message_ids.filtered(lambda m: "request for a payment plan" in (m.subject or ""))
        )

    def test_tour_statement_pdf_and_plan(self):
        self.start_tour("/my/statement", "ar_followup_portal_statement", login="stm_portal")
        plan = self.env["ar.payment.plan"].search([("partner_id", "=", self.portal_partner.id)])
        self.assertEqual(plan.state, "proposed")
        self.assertEqual(len(plan.line_ids), 3)
