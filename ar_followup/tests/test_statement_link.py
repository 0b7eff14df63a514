"""The statement link of the reminders (issue #18): the customer's statement without a login,
through a token scoped to the customer and the company, valid for a period after the last
reminder that carried it, revocable by a credit-control manager."""

import re

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, csrf_token_in, days


@tagged("post_install", "-at_install")
class TestStatementLink(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"ar_plan_max_instalments": 6, "ar_plan_min_instalment": 100.0})
        cls.invoice = cls._invoice(cls.customer, 600.0, days(-10))
        cls.other = cls._customer("Other Customer")
        cls.other_invoice = cls._invoice(cls.other, 999.0, days(-10))
        cls.billing = cls._user("lnk_billing", "billing", password="lnk_billing")
        cls.portal_partner = cls._customer("Link Portal")
        cls.portal = cls._user(
            "lnk_portal", "portal", password="lnk_portal", partner_id=cls.portal_partner.id
        )

    def _link(self, partner=None):
        return self.env["ar.statement.link"].search(
            [("partner_id", "=", (partner or self.customer).id)]
        )

    def _reminder_link(self):
        """The statement link in the customer's reminder of today's run."""
        self._run(days(0))
        body = self._mails(self.customer).body_html
        urls = set(re.findall(r"https?://[^\"'<> ]+/statement/[A-Za-z0-9_-]+", body))
        self.assertEqual(len(urls), 1, "one statement link in the reminder")
        return urls.pop()

    def test_the_reminder_carries_a_link_renewed_by_the_next_one(self):
        url = self._reminder_link()
        link = self._link()
        self.assertEqual(url, link._ar_url())
        self.assertGreaterEqual(len(link.token), 43, "256 random bits, URL-safe")
        # valid 60 days (the company's setting) after the reminder
        self.assertEqual(link.date_expiry, days(60))
        # the next reminder (+14: day 7, the gap of 7 days after the first) renews the link
        self._run(days(7))
        self.assertEqual(len(self._mails(self.customer)), 2)
        self.assertEqual(self._link(), link)
        self.assertEqual(link.date_expiry, days(67))

    def test_the_link_opens_the_statement_without_a_login(self):
        url = self._reminder_link()
        path = url[url.index("/statement/") :]
        with freeze_time(days(1)):
            page = self.url_open(path)
            self.assertEqual(page.status_code, 200)
            self.assertIn(self.invoice.name, page.text)
            self.assertIn("Statement of account", page.text)
            # nothing of the company's other customers
            self.assertNotIn(self.other_invoice.name, page.text)
            self.assertNotIn("Other Customer", page.text)
            self.assertNotIn("999.00", page.text)
            pdf = self.url_open(f"{path}/pdf")
            self.assertEqual(pdf.status_code, 200)
            self.assertIn(self.invoice.name.encode(), pdf.content)
            self.assertNotIn(self.other_invoice.name.encode(), pdf.content)
            # the page's own links stay on the link (no login form)
            self.assertIn(f'href="{path}/pdf"', page.text)
            self.assertIn(f'action="{path}/plan"', page.text)

    def test_a_plan_request_through_the_link_needs_its_csrf_token(self):
        url = self._reminder_link()
        path = url[url.index("/statement/") :]
        Plan = self.env["ar.payment.plan"]
        with freeze_time(days(1)):
            data = {"instalments": "3", "first_date": str(days(5))}
            forged = self.url_open(f"{path}/plan", data=data)
            self.assertEqual(forged.status_code, 400, "no CSRF token: refused")
            self.assertFalse(Plan.search([("partner_id", "=", self.customer.id)]))
            csrf = csrf_token_in(self.url_open(path).text)
            response = self.url_open(
                f"{path}/plan", data={"csrf_token": csrf, **data}, allow_redirects=False
            )
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith(f"{path}?plan_requested=1"))
        plan = Plan.search([("partner_id", "=", self.customer.id)])
        self.assertEqual((plan.state, len(plan.line_ids)), ("proposed", 3))
        # found by the attack: the request's notifications came from the public user, who has
        # no address, and could not be sent
        self.assertNotIn(self.env.ref("base.public_partner"), plan.message_ids.author_id)
        mails = self.env["mail.mail"].search(
            [("model", "=", "ar.payment.plan"), ("res_id", "=", plan.id)]
        )
        self.assertTrue(mails)
        self.assertTrue(all(mail.email_from for mail in mails), mails.mapped("email_from"))

    def test_wrong_expired_and_revoked_links_open_nothing(self):
        url = self._reminder_link()
        link = self._link()
        path = url[url.index("/statement/") :]
        with freeze_time(days(1)):
            for bad in (
                "/statement/" + link.token[:-1] + ("A" if link.token[-1] != "A" else "B"),
                "/statement/guess",
                "/statement/" + "x" * 200,
                f"/statement/{self._link(self.other).token or 'none'}x",
            ):
                response = self.url_open(bad)
                self.assertEqual(response.status_code, 404, bad)
                self.assertNotIn(self.invoice.name, response.text)
                self.assertIn("Use the link in our latest reminder", response.text)
        # expired: the day after its last day
        with freeze_time(days(61)):
            self.assertEqual(self.url_open(path).status_code, 404)
        with freeze_time(days(60)):
            self.assertEqual(self.url_open(path).status_code, 200)
        # revoked by a credit-control manager: at once, and the next reminder has a new one
        link.with_user(self.credit_manager).action_revoke()
        with freeze_time(days(1)):
            self.assertEqual(self.url_open(path).status_code, 404)
            self.assertEqual(self.url_open(f"{path}/pdf").status_code, 404)
        self._run(days(7))
        new = self._link()
        self.assertTrue(new and new != link)
        self.assertIn(new.token, self._mails(self.customer).sorted("id")[-1].body_html)

    def test_a_link_is_scoped_to_its_company(self):
        company_b = self.setup_other_company(name="Link B")["company"]
        self._invoice(self.customer, 777.0, days(-10), company=company_b)
        link_a = self.env["ar.statement.link"]._ar_links(self.customer, self.company, days(0))
        link_b = self.env["ar.statement.link"]._ar_links(self.customer, company_b, days(0))
        self.assertNotEqual(link_a[self.customer.id], link_b[self.customer.id])
        with freeze_time(days(1)):
            page_a = self.url_open(f"/statement/{link_a[self.customer.id].token}").text
            page_b = self.url_open(f"/statement/{link_b[self.customer.id].token}").text
        # (the two companies number their invoices alike: told apart by their amounts)
        self.assertIn("600.00", page_a)
        self.assertNotIn("777.00", page_a)
        self.assertIn("777.00", page_b)
        self.assertNotIn("600.00", page_b)

    def test_only_credit_managers_see_and_revoke_links(self):
        self._reminder_link()
        link = self._link()
        for login in ("lnk_billing", "lnk_portal"):
            result = self._rpc(login, "ar.statement.link", "search_read", [], ["token"])
            self.assertEqual(result[0], "error", login)
            self.assertIn("AccessError", result[1], login)
            result = self._rpc(login, "ar.statement.link", "action_revoke", [link.id])
            self.assertEqual(result[0], "error", login)
        self.assertTrue(link.active)
        with self.assertRaises(AccessError):
            link.with_user(self.billing).write({"date_expiry": days(999)})
        links = self.env["ar.statement.link"].with_user(self.credit_manager).search([])
        self.assertIn(link, links)

    def test_the_validity_is_bounded(self):
        with self.assertRaises(ValidationError):
            self.company.ar_statement_link_days = 0
        with self.assertRaises(ValidationError):
            self.company.ar_statement_link_days = 367
        self.company.ar_statement_link_days = 30
        links = self.env["ar.statement.link"]._ar_links(self.other, self.company, days(0))
        self.assertEqual(links[self.other.id].date_expiry, days(30))
