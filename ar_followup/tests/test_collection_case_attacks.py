"""The hand-off attacked as an attacker calls it (issue #20): JSON-RPC as a billing user, a user
who may edit contacts, and a manager of another company; each attack is refused with a message
and changes nothing."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import days
from .test_collection_case import CollectionCaseCommon


@tagged("post_install", "-at_install")
class TestCollectionCaseAttacks(CollectionCaseCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ar_agency_expense_account_id = cls.company_data["default_account_expense"]
        cls.bank = cls.company_data["default_journal_bank"]
        # Odoo gives new internal users Contact Creation: they may edit contacts
        cls.contacts = cls._user(
            "arc_contacts", "internal", groups="base.group_partner_manager", name="Sam Sales"
        )
        cls.invoice = cls._invoice(cls.customer, 400.0, days(0))
        cls.other = cls._invoice(cls._customer("Customer Two"), 300.0, days(0))

    def _handed_over(self):
        case = self._case(days(20))
        with freeze_time(days(20)):
            case.action_hand_over()
        return case

    def _refused(self, login, model, method, *args, **kwargs):
        result = self._rpc(login, model, method, *args, **kwargs)
        self.assertEqual(result[0], "error", (login, model, method, result))
        self.assertNotIn("Traceback", result[2])
        return result

    def test_the_invoice_side_of_cases_plans_and_disputes_is_not_writable(self):
        case = self._handed_over()
        for vals in (
            {"ar_collection_case_ids": [Command.clear()]},
            {"ar_collection_case_ids": [Command.unlink(case.id)]},
            {"ar_in_collection": False},
            {"ar_payment_plan_ids": [Command.clear()]},
            {"ar_dispute_ids": [Command.clear()]},
        ):
            self._refused("arc_billing", "account.move", "write", [self.invoice.id], vals)
        # another customer's invoice into the case, an invoice marked handed over
        self._refused(
            "arc_billing",
            "account.move",
            "write",
            [self.other.id],
            {"ar_collection_case_ids": [Command.link(case.id)]},
        )
        self._refused(
            "arc_billing", "account.move", "write", [self.other.id], {"ar_in_collection": True}
        )
        self.assertEqual(case.move_ids, self.invoice)
        self.assertTrue(self.invoice.ar_in_collection)
        self.assertFalse(self.other.ar_in_collection)

    def test_nobody_but_a_manager_redirects_the_dossier(self):
        # the address of its dossiers is the agency's terms', the manager's: not writable by
        # the others, and the contact's own e-mail (which they may change) does not move it
        for login in ("arc_billing", "arc_contacts"):
            self._refused(
                login,
                "ar.collection.agency",
                "write",
                [self.terms.id],
                {"email": "evil@attacker.example"},
            )
            self._refused(
                login,
                "ar.collection.agency",
                "create",
                {"partner_id": self.customer.id, "email": "evil@attacker.example"},
            )
        # nor by merging the agency into a contact of one's own
        own = self.env["res.partner"].with_user(self.contacts).create({"name": "Own"})
        wizard = self._rpc(
            "arc_contacts",
            "base.partner.merge.automatic.wizard",
            "create",
            {"partner_ids": [Command.set([self.agency.id, own.id])], "dst_partner_id": own.id},
        )
        self.assertEqual(wizard[0], "ok", wizard)
        self._refused(
            "arc_contacts", "base.partner.merge.automatic.wizard", "action_merge", [wizard[1]]
        )
        self.assertTrue(self.agency.exists())
        self.assertEqual(self.company.ar_default_agency_id, self.agency)
        # and a case whose agency lost its terms (as a merge by SQL leaves it) is not handed
        # over
        case = self._case(days(20))
        self.env.cr.execute("DELETE FROM ar_collection_agency WHERE id = %s", [self.terms.id])
        self.env.invalidate_all()
        with (
            self.assertRaisesRegex(ValidationError, "is not a collection agency"),
            freeze_time(days(20)),
        ):
            case.action_hand_over()
        self.assertEqual(case.state, "draft")

    def test_the_contacts_own_email_does_not_move_the_dossier(self):
        result = self._rpc(
            "arc_contacts", "res.partner", "write", [self.agency.id], {"email": "new@x.example"}
        )
        self.assertEqual(result[0], "ok", result)
        self.assertEqual(self.terms.email, "nieuwezaken@incassonoord.example.nl")
        case = self._handed_over()
        mail = self.env["mail.mail"].search(
            [("model", "=", "ar.collection.case"), ("res_id", "=", case.id)], order="id"
        )[:1]
        self.assertEqual(mail.email_to, "nieuwezaken@incassonoord.example.nl")

    def test_a_context_key_does_not_spare_the_agency_its_notice(self):
        case = self._handed_over()
        payment = (
            self.env["account.payment.register"]
            .with_context(
                active_model="account.move",
                active_ids=self.invoice.ids,
                ar_collection_remittance=True,
            )
            .create({"payment_date": days(30)})
        )
        payment.action_create_payments()
        self.assertFalse(self.invoice.amount_residual)
        self.assertTrue(
            case.activity_ids.filtered(lambda a: a.summary == "Direct payment: tell the agency")
        )
        self.assertEqual(case.state, "paid", "nothing open: the case is paid")

    def test_a_manager_sets_no_state_or_amount_directly(self):
        case = self._handed_over()
        for vals in ({"state": "draft"}, {"amount_principal": 1.0}, {"date_closed": "2026-04-01"}):
            self._refused("ar_manager", "ar.collection.case", "write", [case.id], vals)
        self._refused(
            "ar_manager",
            "ar.collection.case",
            "create",
            {"partner_id": self.customer.id, "agency_id": self.agency.id, "state": "handed_over"},
        )
        self.assertEqual(case.state, "handed_over")
        self.assertTrue(case.exists())
        with freeze_time(days(21)):
            case.action_cancel()
        with self.assertRaisesRegex(UserError, "cannot be returned"):
            case.with_user(self.credit_manager).action_returned()
        self.assertEqual(case.state, "cancelled")

    def test_a_case_hands_over_posted_customer_invoices_only(self):
        bill = self.init_invoice("in_invoice", partner=self.customer, amounts=[100.0], post=True)
        draft = self._invoice(self.customer, 50.0, days(0))
        draft.button_draft()
        for move in (bill, draft):
            with self.assertRaisesRegex(ValidationError, "posted customer invoices"):
                self._case(days(20)).move_ids = [Command.link(move.id)]

    def test_another_companys_manager_and_bad_dates(self):
        case = self._handed_over()
        other_company = self.setup_other_company(name="Collect B")["company"]
        in_b = {"context": {"allowed_company_ids": other_company.ids}}
        self._user("arc_manager_b", "credit_manager", company=other_company, name="Manager B")
        self._user("arc_billing_b", "billing", company=other_company, name="Billing B")
        self._refused(
            "arc_manager_b",
            "ar.collection.remittance",
            "create",
            {"case_id": case.id, "journal_id": self.bank.id, "principal": 10.0},
            **in_b,
        )
        # the VAT list of another company: refused when it is computed
        created = self._rpc(
            "arc_billing_b", "ar.bad.debt.vat", "create", {"company_id": self.company.id}, **in_b
        )
        self.assertEqual(created[0], "ok", created)
        self._refused("arc_billing_b", "ar.bad.debt.vat", "action_compute", [created[1]], **in_b)
        vat = self.env["ar.bad.debt.vat"].with_user(self.billing).create({})
        self._refused(
            "arc_billing",
            "ar.bad.debt.vat.line",
            "create",
            {"wizard_id": vat.id, "move_id": self.other.id},
        )
        # a remittance dated before the hand-over, or in year 1
        Remittance = self.env["ar.collection.remittance"].with_user(self.credit_manager)
        for on in (days(19), "0001-01-01"):
            wizard = Remittance.create(
                {"case_id": case.id, "journal_id": self.bank.id, "date": on, "principal": 10.0}
            )
            with self.assertRaisesRegex(UserError, "dated between the hand-over"):
                wizard.action_confirm()
        self.assertFalse(case.entry_ids)

    def test_a_remittance_keeps_no_negative_costs_and_a_write_off_is_the_cases_own(self):
        """Issue #28, items 9 and 11: negative costs kept (crediting the commission account
        1,000.00), another customer's invoice written off under a paid case, an empty reason,
        an invoice slipped into a case handed over: refused, nothing written."""
        case = self._handed_over()
        message = self._refused(
            "ar_manager",
            "ar.collection.remittance",
            "create",
            {
                "case_id": case.id,
                "journal_id": self.bank.id,
                "principal": 100.0,
                "costs_kept": -1000.0,
            },
        )
        self.assertIn("The amounts of a remittance are positive", message[2])
        self.assertFalse(case.entry_ids)
        Writeoff = "ar.collection.writeoff"
        for vals in (
            {"move_ids": [Command.set(self.other.ids)], "reason": "Bankrupt"},
            {"move_ids": [Command.set(self.invoice.ids)], "reason": "   "},
            {"move_ids": [Command.set(self.invoice.ids)]},
        ):
            self._refused(
                "ar_manager",
                Writeoff,
                "create",
                {"case_id": case.id, "company_id": self.company.id, **vals},
            )
        message = self._refused(
            "ar_manager",
            "ar.collection.case",
            "write",
            [case.id],
            {"move_ids": [Command.link(self.other.id)]},
        )
        self.assertIn("its invoices can no longer be changed", message[2])
        # paid: no write-off of anything under it any more
        self._pay(self.invoice, self.invoice.amount_residual, on=days(25))
        self.assertEqual(case.state, "paid")
        message = self._refused(
            "ar_manager",
            Writeoff,
            "create",
            {
                "case_id": case.id,
                "company_id": self.company.id,
                "move_ids": [Command.set(self.other.ids)],
                "reason": "Bankrupt",
            },
        )
        self.assertIn("is not with an agency", message[2])
        case.invalidate_recordset()
        self.assertEqual(
            (case.state, case.move_ids, case.amount_written_off), ("paid", self.invoice, 0.0)
        )
        self.assertEqual(self.other.amount_residual, 300.0)
