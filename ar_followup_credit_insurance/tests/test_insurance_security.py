"""Insurance data over JSON-RPC, as an attacker calls it: billing users read, credit-control
managers change the insurer's data and record reports and claims; portal users see none."""

from odoo.tests import HttpCase, tagged

from .common import InsuranceCase, days


@tagged("post_install", "-at_install")
class TestInsuranceSecurity(InsuranceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls._user("ins_portal", "portal", partner_id=cls.customer.id)
        cls.invoice = cls._invoice(cls.customer, 1000.0, days(0))

    def test_billing_reads_but_does_not_change_insurance(self):
        account = self._account(self.customer)
        rows = self._ok(
            "ins_billing",
            "ar.customer.account",
            "read",
            account.ids,
            ["uninsured_amount", "insurer_id"],
        )
        self.assertEqual(rows[0]["insurer_id"][0], self.insurer.id)
        for vals in (
            {"insurance_credit_limit": 999999.0},
            {"credit_policy_state_id": self.refused.id},
            {"credit_policy_company_id": False},
        ):
            message = self._refused("ins_billing", "res.partner", "write", self.customer.ids, vals)
            self.assertIn("credit-control manager", message)
        self._refused(
            "ins_billing",
            "credit.policy.company",
            "write",
            self.insurer.ids,
            {"ar_notification_days": 999},
        )
        self._refused("ins_billing", "credit.policy.company", "create", {"name": "Mine"})
        self._refused(
            "ins_billing",
            "credit.policy.state",
            "write",
            self.refused.ids,
            {"insure_invoices": True},
        )
        self._refused("ins_billing", "account.move", "action_ar_insurer_notified", self.invoice.ids)
        self._refused("ins_billing", "account.move", "action_ar_insurer_claim", self.invoice.ids)
        self._refused("ins_billing", "account.move", "action_ar_insurer_export", self.invoice.ids)
        # the record of what was done is the system's, even for a manager
        for login in ("ins_billing", "ar_manager"):
            self._refused(
                login,
                "account.move",
                "write",
                self.invoice.ids,
                {"ar_insurer_notified_date": "2026-04-01"},
            )
        # nor given at creation
        message = self._refused(
            "ins_billing",
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "ar_insurer_notified_date": "2026-04-01",
            },
        )
        self.assertIn("recorded by its actions", message)
        self.assertEqual(self.customer.insurance_credit_limit, 25000.0)
        self.assertEqual(self.insurer.ar_notification_days, 60)
        self.assertFalse(self.invoice.ar_insurer_notified_date)

    def test_billing_cannot_take_an_invoice_out_of_the_insurance(self):
        """Found by the attack: the deadlines (computed) and OCA's insurance of a posted
        invoice were writable, which lifted the insurer's hold at the next run."""
        for vals in (
            {"ar_insurer_stop_date": "2099-12-31"},
            {"ar_insurer_notify_deadline": False},
            {"insured_with_credit_policy": False},
            {"credit_policy_company_id": False},
        ):
            self._refused("ins_billing", "account.move", "write", self.invoice.ids, vals)
        self.assertEqual(self.invoice.ar_insurer_stop_date, days(90))
        self.assertTrue(self.invoice.insured_with_credit_policy)

    def test_billing_cannot_move_an_insured_customer_under_another_company(self):
        """Found by the attack: the insured customer, moved under a new company, took its
        invoices out of the uninsured 'block'."""
        shell = self._ok(
            "ins_billing", "res.partner", "create", {"name": "Shell Holding", "is_company": True}
        )
        self._refused(
            "ins_billing",
            "res.partner",
            "write",
            self.customer.ids,
            {"parent_id": shell, "is_company": False},
        )
        self.assertFalse(self.customer.parent_id)

    def test_manager_changes_insurance(self):
        self._ok(
            "ar_manager",
            "res.partner",
            "write",
            self.customer.ids,
            {"insurance_credit_limit": 30000.0},
        )
        self._ok(
            "ar_manager", "credit.policy.company", "write", self.insurer.ids, {"ar_claim_days": 150}
        )
        self.assertEqual(self.customer.insurance_credit_limit, 30000.0)
        self.assertEqual(self.invoice.ar_insurer_claim_deadline, days(150))
        message = self._refused(
            "ar_manager", "credit.policy.company", "write", self.insurer.ids, {"ar_claim_days": 30}
        )
        self.assertIn("comes before its notification deadline", message)

    def test_portal_sees_no_insurance(self):
        self._refused("ins_portal", "credit.policy.company", "read", self.insurer.ids, ["name"])
        self._refused("ins_portal", "ar.customer.account", "search_read", [], ["uninsured_amount"])
        self._refused("ins_portal", "account.move", "action_ar_insurer_notified", self.invoice.ids)
        # its own invoice, yes; what we do with the insurer about it, no
        self._ok("ins_portal", "account.move", "read", self.invoice.ids, ["name"])
        for fname in ("ar_insurer_notify_deadline", "ar_insurer_uninsured", "ar_insurer_case_id"):
            self._refused("ins_portal", "account.move", "read", self.invoice.ids, [fname])
