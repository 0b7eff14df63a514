"""The customer's account as a page of its own (issue #30): its form, list and search show the
figures of its customer in its company (the same the partner shows for the current company),
its actions act in its company only, and a billing user reads it, opens it from the partner
and acts from it as from the partner before, over JSON-RPC as the web client calls it."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestCustomerAccountForm(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Account Form Company B")["company"]
        cls.billing = cls._user("acc_form_billing", "billing", password="acc_form_billing")
        cls.both = cls._user("acc_form_both", "billing", password="acc_form_both")
        cls.both.company_ids = [Command.link(cls.company_b.id)]

    def _accounts(self, partner):
        Account = self.env["ar.customer.account"]
        return {
            company: Account._ar_get(partner, company)[partner.id]
            for company in (self.company, self.company_b)
        }

    def _assert_figures(self, partner, step, expected):
        """Each account shows its company's figures (``expected``: ``{company: (due,
        overdue, disputed, oldest days, exposure, draft)}``, computed by hand), the partner's
        due and overdue the same in that company; the open items and the history are of its
        company only."""
        for company, account in self._accounts(partner).items():
            account.invalidate_recordset()
            shown = partner.with_company(company)
            shown.invalidate_recordset()
            figures = (
                account.amount_due,
                account.amount_overdue,
                account.amount_disputed,
                account.oldest_overdue_days,
                account.exposure,
                account.exposure_draft,
            )
            self.assertEqual(figures, expected[company], (step, company.name))
            self.assertEqual(
                (shown.ar_amount_due, shown.ar_amount_overdue), figures[:2], (step, company.name)
            )
            self.assertEqual(set(account.open_line_ids.company_id.ids), {company.id})
            self.assertLessEqual(set(account.history_ids.company_id.ids), {company.id})
            self.assertLessEqual(set(account.history_ids.partner_id.ids), {partner.id})

    def test_the_account_shows_its_companys_figures_over_a_sequence(self):
        partner = self.customer
        first = self._invoice(partner, 1000.0, days(-30))
        second = self._invoice(partner, 800.0, days(-20))
        self._invoice(partner, 250.0, days(-40), company=self.company_b)
        self._invoice(partner, 99.0, days(10), post=False)
        a, b = self.company, self.company_b
        # company A: 1,800.00 open and overdue (1,000.00 + 800.00), the oldest 30 days late,
        # the draft 99.00 counted in the exposure only; company B: 250.00, 40 days late
        with freeze_time(days(0)):
            self._assert_figures(
                partner,
                "invoices",
                {
                    a: (1800.0, 1800.0, 0.0, 30, 1899.0, 99.0),
                    b: (250.0, 250.0, 0.0, 40, 250.0, 0.0),
                },
            )
        self._run(days(0))
        with freeze_time(days(0)):
            self.assertTrue(self._accounts(partner)[a].history_ids)
            self._assert_figures(
                partner,
                "a run",
                {
                    a: (1800.0, 1800.0, 0.0, 30, 1899.0, 99.0),
                    b: (250.0, 250.0, 0.0, 40, 250.0, 0.0),
                },
            )
        with freeze_time(days(1)):
            dispute = self.env["ar.dispute"].create(
                {
                    "partner_id": partner.id,
                    "move_ids": [Command.set(second.ids)],
                    "reason": "quality",
                    "description": "Part of it arrived broken",
                }
            )
            dispute.amount_disputed = 300.0
            # 300.00 of the 800.00 disputed: not asked, shown apart
            self._assert_figures(
                partner,
                "a dispute",
                {
                    a: (1800.0, 1500.0, 300.0, 31, 1899.0, 99.0),
                    b: (250.0, 250.0, 0.0, 41, 250.0, 0.0),
                },
            )
        self._pay_and_run_again(partner, first)

    def _pay_and_run_again(self, partner, first):
        a, b = self.company, self.company_b
        self._pay(first, 400.0, days(2))
        self._run(days(14))
        with freeze_time(days(14)):
            # 400.00 paid of the first: 600.00 + 800.00 due, 600.00 + 500.00 asked
            self._assert_figures(
                partner,
                "a payment and another run",
                {
                    a: (1400.0, 1100.0, 300.0, 44, 1499.0, 99.0),
                    b: (250.0, 250.0, 0.0, 54, 250.0, 0.0),
                },
            )
            self.assertEqual(self._accounts(partner)[a].dispute_count, 1)

    def test_accounts_are_searched_by_their_companys_amounts(self):
        late = self._customer("Account Form Late")
        paid = self._customer("Account Form Paid")
        self._invoice(late, 100.0, days(-10))
        self._invoice(paid, 100.0, days(-10), company=self.company_b)
        for partner in (late, paid):
            self._accounts(partner)
        Account = self.env["ar.customer.account"].with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        )
        with freeze_time(days(0)):
            overdue = Account.search(
                [("partner_id", "in", (late | paid).ids), ("amount_overdue", ">", 0)]
            )
            self.assertEqual(
                {(a.partner_id, a.company_id) for a in overdue},
                {(late, self.company), (paid, self.company_b)},
            )
            clear = Account.search(
                [("partner_id", "in", (late | paid).ids), ("amount_due", "=", 0)]
            )
            self.assertEqual(
                {(a.partner_id, a.company_id) for a in clear},
                {(late, self.company_b), (paid, self.company)},
            )

    def test_a_billing_user_opens_and_reads_the_account(self):
        self._invoice(self.customer, 300.0, days(-10))
        with freeze_time(days(0)):
            result = self._rpc(
                "acc_form_billing", "res.partner", "action_ar_open_account", [self.customer.id]
            )
        self.assertEqual(result[0], "ok", result)
        account = self.env["ar.customer.account"].browse(result[1]["res_id"])
        self.assertEqual((account.partner_id, account.company_id), (self.customer, self.company))
        # the form as the web client loads it: read only for a billing user
        Account = self.env["ar.customer.account"].with_user(self.billing)
        views = Account.get_views([(False, "form"), (False, "list"), (False, "search")])
        self.assertIn('edit="false"', views["views"]["form"]["arch"].replace("False", "false"))
        spec = {name: {} for name in views["models"]["ar.customer.account"]["fields"]}
        spec.pop("open_line_ids", None)
        spec.pop("history_ids", None)
        with freeze_time(days(0)):
            status, rows = self._rpc(
                "acc_form_billing",
                "ar.customer.account",
                "web_read",
                [account.id],
                specification=spec,
            )
        self.assertEqual(status, "ok", rows)
        self.assertEqual((rows[0]["amount_due"], rows[0]["amount_overdue"]), (300.0, 300.0))
        for method in ("write", "unlink"):
            args = (
                ([account.id], {"credit_policy": "none"}) if method == "write" else ([account.id],)
            )
            result = self._rpc("acc_form_billing", "ar.customer.account", method, *args)
            self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"), method)
        # the actions a billing user had on the partner, now on the account
        for method in (
            "action_ar_preview_reminder",
            "action_ar_open_items",
            "action_ar_open_history",
        ):
            with freeze_time(days(0)):
                result = self._rpc("acc_form_billing", "ar.customer.account", method, [account.id])
            self.assertEqual(result[0], "ok", (method, result))

    def test_the_hand_off_and_the_hold_stay_the_managers(self):
        self._invoice(self.customer, 300.0, days(-10))
        account = self._account(self.customer)
        # the hand-off and the hold are the credit-control manager's
        with freeze_time(days(0)):
            result = self._rpc(
                "acc_form_billing", "ar.customer.account", "action_ar_hand_off", [account.id]
            )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        status, action = self._rpc(
            "acc_form_billing", "ar.customer.account", "action_ar_credit_hold", [account.id]
        )
        self.assertEqual((status, action["res_model"]), ("ok", "ar.credit.hold.wizard"))
        wizard = (
            self.env["ar.credit.hold.wizard"]
            .with_user(self.billing)
            .create(
                {"partner_id": self.customer.id, "action": "hold", "reason": "Never paid on time"}
            )
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertFalse(account.credit_hold)

    def test_an_account_of_another_company_is_acted_on_in_its_company_only(self):
        self._invoice(self.customer, 300.0, days(-10), company=self.company_b)
        account_b = self._accounts(self.customer)[self.company_b]
        seen = account_b.with_user(self.both).with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        )
        self.assertEqual(seen.amount_due, 300.0)
        for method in (
            "action_ar_send_reminder",
            "action_ar_send_statement",
            "action_ar_log_promise",
        ):
            with self.assertRaisesRegex(UserError, "Switch to the company Account Form Company B"):
                getattr(seen, method)()
        self.assertFalse(self._history(self.customer))
        in_b = account_b.with_user(self.both).with_context(
            allowed_company_ids=[self.company_b.id, self.company.id]
        )
        with freeze_time(days(0)):
            action = in_b.action_ar_log_promise()
        self.assertEqual(action["context"]["default_promise_amount"], 300.0)

    def test_a_rating_change_is_noted_on_the_customer(self):
        manager = self._user("acc_form_manager", "credit_manager", password="acc_form_manager")
        account = self._account(self.customer)
        result = self._rpc(
            "acc_form_manager",
            "ar.customer.account",
            "write",
            [account.id],
            {"credit_rating": "A2", "credit_rating_source": "Graydon"},
        )
        self.assertEqual(result, ("ok", True))
        self._rpc(
            "acc_form_manager",
            "ar.customer.account",
            "write",
            [account.id],
            {"credit_rating": "B1"},
        )
        notes = self.customer.message_ids.filtered(lambda m: "Credit rating" in (m.body or ""))
        self.assertEqual(len(notes), 2)
        self.assertIn("A2 → B1", notes[0].body)
        self.assertIn(f"in {self.company.name}: – → A2", notes[1].body)
        self.assertEqual(notes.author_id, manager.partner_id)
        # the same rating again is no change
        self._rpc(
            "acc_form_manager",
            "ar.customer.account",
            "write",
            [account.id],
            {"credit_rating": "B1"},
        )
        self.assertEqual(
            len(self.customer.message_ids.filtered(lambda m: "Credit rating" in (m.body or ""))), 2
        )
        # a billing user changes no rating
        result = self._rpc(
            "acc_form_billing", "ar.customer.account", "write", [account.id], {"credit_rating": "C"}
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))

    def test_a_portal_user_opens_no_account(self):
        own = self._customer("Account Form Portal")
        self._user("acc_form_portal", "portal", partner_id=own.id, password="acc_form_portal")
        for model, method, record in (
            ("res.partner", "action_ar_open_account", own),
            ("res.partner", "action_ar_send_reminder", own),
        ):
            result = self._rpc("acc_form_portal", model, method, [record.id])
            self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"), method)
        self.assertFalse(self.env["ar.customer.account"].search([("partner_id", "=", own.id)]))
        account = self._account(self.customer)
        for method in ("read", "action_ar_open_items", "action_ar_send_statement"):
            result = self._rpc("acc_form_portal", "ar.customer.account", method, [account.id])
            self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"), method)
