from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import D0, ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestCreditManagement(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])
        cls.company.write({"account_use_credit_limit": True, "ar_credit_policy": "block"})
        cls.billing_user = cls._user("credit_billing", "billing")
        cls.partner = cls.customer.with_company(cls.company)
        cls.partner.credit_limit = 1000.0

    def _draft(self, amount, currency=None, partner=None, due=None):
        return self._invoice(
            partner or self.customer, amount, due or days(30), currency=currency, post=False
        )

    # ------------------------------------------------------------------
    # Exposure and the block policy
    # ------------------------------------------------------------------

    def test_exposure_counts_posted_draft_and_currencies(self):
        self._invoice(self.customer, 300.0, days(10))
        self._draft(200.0)
        self._draft(100.0, currency=self.eur)  # 50.00 in company currency
        refund = self._invoice(self.customer, 25.0, days(10), move_type="out_refund", post=False)
        self.assertEqual(refund.state, "draft")
        self.partner.invalidate_recordset()
        # 300.00 posted + 200.00 + 50.00 draft; a draft credit note lowers nothing (#28: it
        # made room for an invoice over the limit, then was deleted)
        self.assertAlmostEqual(self._account(self.partner).exposure, 550.0, places=2)
        self.assertAlmostEqual(self._account(self.partner).exposure_draft, 250.0, places=2)
        self.assertAlmostEqual(self._account(self.partner).available_credit, 450.0, places=2)
        action = self._account(self.partner).action_ar_open_exposure()
        self.assertEqual(len(self.env["account.move"].search(action["domain"])), 4)

    def test_block_posting_above_the_limit(self):
        self._invoice(self.customer, 600.0, days(10))
        draft = self._draft(500.0)
        with self.assertRaises(UserError) as error:
            draft.with_user(self.billing_user).action_post()
        message = str(error.exception).replace("\xa0", " ")
        self.assertIn("$ 1,100.00", message)
        self.assertIn("$ 1,000.00", message)
        self.assertIn("$ 100.00", message)
        self.assertEqual(draft.state, "draft")
        # up to the limit, to the cent, is allowed
        draft.invoice_line_ids.price_unit = 400.0
        draft.with_user(self.billing_user).action_post()
        self.assertEqual(draft.state, "posted")
        # a credit note can always be posted
        refund = self._invoice(self.customer, 50.0, days(10), move_type="out_refund", post=False)
        refund.with_user(self.billing_user).action_post()
        self.assertEqual(refund.state, "posted")

    def test_block_counts_foreign_currency_drafts(self):
        self._invoice(self.customer, 900.0, days(10))
        draft = self._draft(202.0, currency=self.eur)  # 101.00 in company currency
        with self.assertRaises(UserError) as error:
            draft.with_user(self.billing_user).action_post()
        self.assertIn("by $\xa01.00", str(error.exception))

    def test_manager_override_is_logged(self):
        self._invoice(self.customer, 900.0, days(10))
        draft = self._draft(500.0)
        # the button asks the manager for the reason first (#28), naming the excess
        action = draft.with_user(self.credit_manager).action_post()
        self.assertEqual(draft.state, "draft")
        wizard = self.env["ar.credit.override.wizard"].browse(action["res_id"])
        self.assertIn("by $\xa0400.00", wizard.problems)
        self._go_ahead(draft, self.credit_manager, "Bank guarantee received")
        self.assertEqual(draft.state, "posted")
        log = draft.message_ids.filtered(lambda m: "despite" in (m.body or ""))
        self.assertEqual(len(log), 1)
        self.assertIn("Posted by Credit Manager despite:", log.body)
        self.assertIn("by $&nbsp;400.00", log.body)
        self.assertIn("Reason: Bank guarantee received", log.body)
        override = self.env["ar.credit.override"].search([("res_id", "=", draft.id)])
        self.assertEqual(
            (override.res_model, override.state, override.user_id, override.reason),
            ("account.move", "used", self.credit_manager, "Bank guarantee received"),
        )

    def test_warn_and_none_policies(self):
        self._invoice(self.customer, 900.0, days(10))
        self.company.ar_credit_policy = "warn"
        draft = self._draft(500.0)
        self.assertIn("credit limit", draft.partner_credit_warning)
        draft.with_user(self.billing_user).action_post()
        self.assertEqual(draft.state, "posted")
        self._account(self.partner).credit_policy = "none"
        other = self._draft(100.0)
        self.assertEqual(other.partner_credit_warning, "")
        other.with_user(self.billing_user).action_post()
        # a customer on 'block' under a 'warn' company is blocked
        self._account(self.partner).credit_policy = "block"
        third = self._draft(100.0)
        with self.assertRaises(UserError):
            third.with_user(self.billing_user).action_post()

    def test_limits_are_per_company(self):
        company_b = self.setup_other_company(name="Credit B")["company"]
        company_b.write({"account_use_credit_limit": True, "ar_credit_policy": "block"})
        self.customer.with_company(company_b).credit_limit = 100.0
        self._invoice(self.customer, 900.0, days(10))
        draft_b = self._invoice(self.customer, 50.0, days(10), company=company_b, post=False)
        draft_b.action_post()  # company A's receivable does not count in company B
        self.assertEqual(draft_b.state, "posted")
        self.assertAlmostEqual(
            self._account(self.customer.with_company(company_b)).exposure, 50.0, places=2
        )
        self.assertAlmostEqual(self._account(self.partner).exposure, 900.0, places=2)
        self.assertEqual(self.partner.credit_limit, 1000.0)

    # ------------------------------------------------------------------
    # Holds
    # ------------------------------------------------------------------

    def _hold_wizard(self, action, reason, user=None):
        wizard = (
            self.env["ar.credit.hold.wizard"]
            .with_user(user or self.credit_manager)
            .with_company(self.company)
            .create({"partner_id": self.customer.id, "action": action, "reason": reason})
        )
        return wizard.action_confirm()

    def test_manual_hold_blocks_posting_and_is_lifted_by_hand(self):
        with freeze_time(days(0)):
            self._hold_wizard("hold", "Bankruptcy filed")
        self.assertTrue(self.partner.ar_credit_hold)
        self.assertEqual(self._account(self.partner).credit_hold_reason, "Bankruptcy filed")
        self.assertEqual(self._account(self.partner).credit_hold_date, days(0))
        self.assertEqual(self._account(self.partner).credit_hold_origin, "manual")
        self.assertEqual(self._history(self.customer, "hold").note, "Bankruptcy filed")
        draft = self._draft(10.0)
        self.assertTrue(draft.ar_partner_credit_hold)
        with self.assertRaises(UserError) as error:
            draft.with_user(self.billing_user).action_post()
        self.assertIn("credit hold", str(error.exception))
        self.assertEqual(draft.state, "draft")
        self._go_ahead(draft, self.credit_manager)
        self.assertEqual(draft.state, "posted")
        # paying everything does not lift a hold set by hand
        self._pay(draft, draft.amount_total)
        self.assertTrue(self.partner.ar_credit_hold)
        self._hold_wizard("release", "Curator guarantees payment")
        self.assertFalse(self.partner.ar_credit_hold)
        self.assertFalse(self._account(self.partner).credit_hold_reason)
        self.assertEqual(self._history(self.customer, "release").note, "Curator guarantees payment")
        self.assertTrue(
            self.customer.message_ids.filtered(lambda m: "Curator guarantees" in (m.body or ""))
        )

    def test_hold_wizard_rules(self):
        with self.assertRaises(AccessError):
            self._hold_wizard("hold", "Because", user=self.billing_user)
        self.assertFalse(self.partner.ar_credit_hold)
        with self.assertRaises(UserError):
            self._hold_wizard("hold", "   ")
        with self.assertRaises(UserError):
            self._hold_wizard("release", "Not on hold")
        self.assertFalse(self._history(self.customer))

    def _followup_hold(self):
        invoice = self._invoice(self.customer, 800.0, days(-30))
        self._set_followup_state(invoice, self.levels[21], days(-9))
        self._run(days(0))
        self.assertTrue(self.partner.ar_credit_hold)
        self.assertEqual(self._account(self.partner).credit_hold_origin, "followup")
        return invoice

    def test_followup_hold_lifts_itself_when_paid(self):
        invoice = self._followup_hold()
        self._pay(invoice, 799.99, on=days(1))
        self.assertTrue(self.partner.ar_credit_hold, "one cent is still overdue")
        self._pay(invoice, 0.01, on=days(1))
        self.assertFalse(self.partner.ar_credit_hold)
        release = self._history(self.customer, "release")
        self.assertEqual(len(release), 1)
        self.assertIn("nothing is overdue", release.note)

    def test_followup_hold_lifts_itself_with_a_credit_note(self):
        invoice = self._followup_hold()
        refund = self._invoice(self.customer, 800.0, days(1), move_type="out_refund")
        (invoice + refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self.assertFalse(self.partner.ar_credit_hold)

    def test_followup_run_lifts_settled_holds(self):
        self._followup_hold()
        # an unmatched credit note covers the overdue amount: the next run lifts the hold
        self._invoice(self.customer, 800.0, days(1), move_type="out_refund")
        self.assertTrue(self.partner.ar_credit_hold)
        # no clock frozen: the run is for days(1), whatever day it is made on
        run = self._run(days(1))
        self.assertFalse(self.partner.ar_credit_hold)
        release = self._history(self.customer, "release")
        self.assertEqual((release.date, release.note), (days(1), "nothing is overdue any more"))
        self.assertEqual(run.history_ids.mapped("date"), [days(1)] * len(run.history_ids))

    def test_a_run_for_another_day_holds_and_dates_at_that_day(self):
        """A run made for a past day (a bookkeeper catching up) puts on hold, writes its
        history and dates the statement it attaches at that day, not the day it is made."""
        self.assertNotEqual(days(0), fields.Date.context_today(self.env.user))
        invoice = self._followup_hold()  # the run of days(0)
        hold = self._history(self.customer, "hold")
        self.assertEqual(
            (hold.date, self._account(self.partner).credit_hold_date), (days(0), days(0))
        )
        self.assertEqual(hold.move_ids, invoice)

    # ------------------------------------------------------------------
    # Reviews and contact data
    # ------------------------------------------------------------------

    def test_credit_review_activity_once(self):
        review = self.env.ref("ar_followup.mail_activity_type_credit_review")
        self._account(self.partner).credit_review_date = days(0)
        Account = self.env["ar.customer.account"].with_user(self.env.ref("base.user_root"))
        with freeze_time(days(-1)):
            Account._cron_credit_review()
        activities = self._activities(self.customer).filtered(
            lambda a: a.activity_type_id == review
        )
        self.assertFalse(activities, "not before the review date")
        with freeze_time(days(0)):
            Account._cron_credit_review()
        with freeze_time(days(1)):
            Account._cron_credit_review()
        activities = self._activities(self.customer).filtered(
            lambda a: a.activity_type_id == review
        )
        self.assertEqual(len(activities), 1)
        self.assertTrue(activities.user_id.has_group("ar_followup.group_ar_manager"))
        self.assertIn("1,000.00", activities.note)
        # the next review date gives the next activity
        self._account(self.partner).credit_review_date = days(90)
        with freeze_time(days(90)):
            Account._cron_credit_review()
        activities = self._activities(self.customer).filtered(
            lambda a: a.activity_type_id == review
        )
        self.assertEqual(len(activities), 2)

    @freeze_time(D0)  # today: the day the figures are read for
    def test_contact_issues_are_flagged_and_skipped(self):
        no_mail = self._customer("No Mail", email=False)
        no_phone = self._customer("No Phone", phone=False)
        fine = self._customer("Fine")
        self._invoice(no_mail, 100.0, days(-5))
        invoice = self._invoice(no_phone, 100.0, days(-25))
        self._invoice(fine, 100.0, days(-25))
        Partner = self.env["res.partner"]
        self.assertEqual(no_mail.ar_contact_issue, "no_email")
        self.assertEqual(no_phone.ar_contact_issue, "no_phone")
        self.assertFalse(fine.ar_contact_issue)
        flagged = Partner.search([("ar_contact_issue", "!=", False)])
        self.assertIn(no_mail, flagged)
        self.assertIn(no_phone, flagged)
        self.assertNotIn(fine, flagged)
        self.assertEqual(
            Partner.search([("ar_contact_issue", "=", "no_phone")]) & (no_mail | no_phone), no_phone
        )
        # the other operators of a selection, as the search view and RPC send them
        ours = no_mail | no_phone | fine
        searches = {
            ("in", ("no_email", "no_phone")): no_mail | no_phone,
            ("in", ("no_email",)): no_mail,
            ("not in", ("no_email",)): no_phone | fine,
            ("in", (False,)): fine,
            ("not in", (False, "no_phone")): no_mail,
            ("=", False): fine,
        }
        for (operator, value), expected in searches.items():
            found = Partner.search(
                [("ar_contact_issue", operator, list(value) if operator.endswith("in") else value)]
            )
            self.assertEqual(found & ours, expected, (operator, value))
        with self.assertRaisesRegex(UserError, "An amount is a number"):
            Partner.search([("ar_amount_overdue", ">", "abc")])
        with self.assertRaisesRegex(UserError, "Operation not supported"):
            Partner.search([("ar_contact_issue", "ilike", "no")])
        for odd in ([["no_email"]], [{"x": 1}], {"x": 1}, [1, [2]]):
            with self.assertRaisesRegex(UserError, "one of its names"):
                Partner.search([("ar_contact_issue", "in" if isinstance(odd, list) else "=", odd)])
        # the call level reached without a phone number: skipped with the reason
        self._set_followup_state(invoice, self.levels[14], days(-7))
        run = self._run(days(0))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[21])
        self.assertFalse(self._activities(no_phone))
        skip = self._history(no_phone, "skip")
        self.assertEqual(len(skip), 1)
        self.assertIn("No phone number", skip.note)
        # the run counts every skip line it wrote, this one among them
        self.assertIn(skip, run.history_ids)
        self.assertEqual(
            run.skip_count, len(run.history_ids.filtered(lambda h: h.channel == "skip"))
        )

    # ------------------------------------------------------------------
    # Bad input, access, performance
    # ------------------------------------------------------------------

    def test_negative_limits(self):
        with self.assertRaises(ValidationError):
            self.partner.credit_limit = -1.0
        self.assertEqual(self.partner.credit_limit, 1000.0)
        with self.assertRaises(ValidationError):
            self._account(self.partner).insured_limit = -0.01
        self.assertEqual(self._account(self.partner).insured_limit, 0.0)

    def test_only_the_manager_edits_credit_data(self):
        self.billing_user.groups_id |= self.env.ref("base.group_partner_manager")
        partner = self.customer.with_user(self.billing_user).with_company(self.company)
        self.assertEqual(partner.credit_limit, 1000.0)
        account = self._account(partner)
        self.assertAlmostEqual(account.exposure, 0.0)
        for values in ({"credit_limit": 5000.0}, {"ar_credit_hold": True}):
            with self.assertRaises(AccessError, msg=str(values)):
                partner.write(values)
        for values in (
            {"credit_rating": "AAA"},
            {"insured_limit": 500.0},
            {"credit_policy": "none"},
        ):
            with self.assertRaises(AccessError, msg=str(values)):
                account.write(values)
        self.assertEqual(self.partner.credit_limit, 1000.0)
        partner.write({"phone": "+31 10 000 0000", "credit_limit": 1000.0})  # unchanged limit
        manager = self.customer.with_user(self.credit_manager).with_company(self.company)
        manager.write({"credit_limit": 5000.0})
        self._account(manager).write({"credit_rating": "A", "insured_limit": 2500.0})
        self.assertEqual(self.partner.credit_limit, 5000.0)
        self.assertEqual((account.credit_rating, account.insured_limit), ("A", 2500.0))
        # a billing user who may create contacts still can (Odoo copies the limit to them)
        contact = (
            self.env["res.partner"]
            .with_user(self.billing_user)
            .create({"name": "Contact", "parent_id": self.customer.id})
        )
        self.assertEqual(contact.commercial_partner_id, self.customer)

    def test_portal_user_sees_no_credit_data(self):
        portal_partner = self._customer("Portal Credit")
        portal_user = self._user("credit_portal", "portal", partner_id=portal_partner.id)
        own = portal_partner.with_user(portal_user)
        for fname in ("ar_credit_hold", "ar_account_id", "ar_amount_overdue"):
            with self.assertRaises(AccessError, msg=fname):
                own.read([fname])
        account = self._account(portal_partner)
        with self.assertRaises(AccessError):
            account.with_user(portal_user).read(["exposure", "credit_rating"])

    def test_exposure_of_a_list_in_constant_queries(self):
        partners = self.env["res.partner"].create(
            [{"name": f"List {i}", "is_company": True} for i in range(500)]
        )
        for partner in partners[:5]:
            self._invoice(partner, 10.0, days(10))
            self._draft(5.0, partner=partner)

        def count(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            accounts.filtered(lambda a: a.partner_id in records).mapped("exposure")
            return self.env.cr.sql_log_count - before

        accounts = self.env["ar.customer.account"].browse(
            a.id for a in self.env["ar.customer.account"]._ar_get(partners, self.company).values()
        )
        count(partners[:10])  # warm-up
        small = count(partners[:50])
        large = count(partners)
        self.assertLessEqual(large, small, f"50 partners: {small} queries, 500: {large}")
        # the accounts' own rows and their companies are read too: 2 more than the 8 of
        # the partner's figures before, for any number of accounts
        self.assertLessEqual(large, 10)
        self.assertAlmostEqual(self._account(partners[0]).exposure, 15.0, places=2)
