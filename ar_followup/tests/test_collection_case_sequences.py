"""A collection case among the other events of a customer (issue #20, from a new user's trial):
cancelling a case withdraws what was not sent yet; costs collected before are not claimed again
in a later case; reminders, the QR code and payment plans leave what the agency collects to the
agency; the portal marks the invoices handed over and offers no Pay Now or dispute for them; a
write-off is not dated in the future and does not go behind a case's back; the escalation's and
the ladder's call activities end with the hand-over."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import days
from .test_collection_case import CollectionCaseCommon


@tagged("post_install", "-at_install")
class TestCollectionCaseSequences(CollectionCaseCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ar_agency_expense_account_id = cls.company_data["default_account_expense"]
        cls.company.ar_bad_debt_account_id = cls.company_data["default_account_expense"]
        cls.bank = cls.company_data["default_journal_bank"]

    def _hand_over(self, on, **values):
        case = self._case(on, **values)
        with freeze_time(on):
            case.action_hand_over()
        return case

    def _case_mails(self, case):
        return self.env["mail.mail"].search(
            [("model", "=", "ar.collection.case"), ("res_id", "=", case.id)], order="id"
        )

    def test_a_cancelled_case_withdraws_what_was_not_sent_yet(self):
        invoice = self._invoice(self.customer, 400.0, days(0))
        case = self._hand_over(days(20), notify_customer=True)
        self.assertEqual(self._case_mails(case).mapped("state"), ["outgoing", "outgoing"])
        with freeze_time(days(21)):
            case.action_cancel()
        # neither the dossier nor the customer's notice leaves after the cancel
        self.assertEqual(self._case_mails(case).mapped("state"), ["cancel", "cancel"])
        self._send_queue()
        self.assertEqual(self._case_mails(case).mapped("state"), ["cancel", "cancel"])
        self.assertTrue(
            case.message_ids.filtered(lambda m: "2 e-mail(s) of the case not sent yet" in m.body)
        )
        self.assertFalse(case.activity_ids, "the agency never heard of it")

        # handed over again, the dossier sent: a cancel asks to tell the agency
        second = self._hand_over(days(22))
        self.assertEqual(second.move_ids, invoice, "back on the ladder, then handed over again")
        self._send_queue()
        self.assertEqual(self._case_mails(second).mapped("state")[0], "sent")
        with freeze_time(days(23)):
            second.action_cancel()
        self.assertEqual(second.activity_ids.summary, "Tell the agency the case is withdrawn")
        self.assertEqual(second.activity_ids.user_id, second.user_id)

    def test_costs_collected_before_are_not_claimed_again(self):
        first = self._invoice(self.customer, 400.0, days(0))
        second = self._invoice(self.customer, 250.0, days(5))
        # 15 % of 650.00 (the Dutch scale's first bracket): 97.50 on both invoices
        fee = self._fee_invoice(first + second, 97.5, days(26))
        case = self._hand_over(days(50))
        self.assertEqual((case.amount_principal, case.amount_costs), (650.0, 97.5))
        # the agency collects the first invoice and the costs, keeps them, and closes
        self.env["ar.collection.remittance"].with_user(self.credit_manager).create(
            {
                "case_id": case.id,
                "journal_id": self.bank.id,
                "date": days(60),
                "principal": 400.0,
                "costs": 97.5,
                "final": True,
            }
        ).action_confirm()
        self.assertEqual(case.state, "partly_paid")
        self.assertEqual((fee.amount_residual, second.amount_residual), (0.0, 250.0))
        # the agency's own remittance is no direct payment to tell it about
        direct = "Direct payment: tell the agency"
        self.assertFalse(case.activity_ids.filtered(lambda a: a.summary == direct))
        # the case lists its entry, which cannot be reset to draft behind the case's back
        entry = case.entry_ids
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.state, "posted")
        with self.assertRaisesRegex(UserError, "cannot be reset to draft"):
            entry.button_draft()
        self.assertEqual((entry.state, case.state), ("posted", "partly_paid"))
        # the second invoice handed over again: its costs were collected, nothing to claim
        later = self._hand_over(days(70))
        self.assertEqual(later.move_ids, second)
        self.assertEqual((later.amount_principal, later.amount_costs), (250.0, 0.0))
        self.assertNotIn("97.50", later._ar_dossier_csv().decode())

    def test_costs_partly_paid_count_for_what_is_open(self):
        first = self._invoice(self.customer, 400.0, days(0))
        fee = self._fee_invoice(first, 60.0, days(26))
        self._pay(fee, 15.0, on=days(30))
        case = self._hand_over(days(50))
        # 60.00 charged, 15.00 of it paid: 60.00 x 45.00 / 60.00 = 45.00 still owed
        self.assertEqual(case.amount_costs, 45.0)

    def test_reminders_leave_what_the_agency_collects_to_the_agency(self):
        first, _second, later = self._ladder()
        self._hand_over(days(53))
        Statement = self.env["ar.followup.statement"]
        for day in (62, 69, 76):
            self._run(days(day))
            statement = self._statement(self.customer, days(day))
            overdue = {line["number"] for line in statement["lines"] if line["overdue"]}
            # invariant: at every run only the invoice due on day 60 is asked for
            self.assertEqual(overdue, {later.name}, day)
            self.assertEqual(statement["totals"][0]["overdue"], 100.0, day)
            to_pay = Statement._ar_to_pay(self.customer, self.company, days(day))
            self.assertEqual(sum(to_pay.values(), self.env["account.move"]), later, day)
        reminder = self._mails(self.customer).filtered(lambda m: later.name in m.body_html)[-1]
        self.assertIn("(handed over to Incasso Noord B.V.)", reminder.body_html)
        # nor are they put in a payment plan
        Plan = self.env["ar.payment.plan"]
        self.assertEqual(Plan._ar_portal_invoices(self.customer), later)
        with self.assertRaisesRegex(ValidationError, "handed over to a collection agency"):
            Plan.sudo().create(  # active at once: as only the system could make it
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set((first + later).ids)],
                    "state": "active",
                }
            )

    def test_the_portal_marks_them_and_offers_no_pay_now_or_dispute(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", True
        )
        self._user("arc_portal", "portal", password="arc_portal", partner_id=self.customer.id)
        handed = self._invoice(self.customer, 400.0, days(0))
        self._hand_over(days(20))
        other = self._invoice(self.customer, 120.0, days(25), override=True)  # on hold
        self.authenticate("arc_portal", "arc_portal")
        page = self.url_open("/my/invoices").text
        self.assertEqual(page.count("Handed over to Incasso Noord B.V."), 1)
        self.assertIn(f"/my/invoices/{other.id}", page)
        self.assertEqual(page.count("Pay Now</span>"), 1, "the other invoice's only")
        self.assertEqual(page.count(f"/my/invoices/{handed.id}/dispute"), 0)
        self.assertEqual(page.count(f"/my/invoices/{other.id}/dispute"), 1)
        invoice_page = self.url_open(f"/my/invoices/{handed.id}").text
        self.assertIn("This invoice was handed over to", invoice_page)
        self.assertNotIn("Pay Now", invoice_page)
        # a crafted dispute of it leads back to the invoice, no dispute is made
        response = self.url_open(f"/my/invoices/{handed.id}/dispute", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertFalse(self.env["ar.dispute"].search([("move_ids", "in", handed.ids)]))

    def test_a_write_off_is_not_dated_ahead_nor_behind_a_case(self):
        handed = self._invoice(self.customer, 400.0, days(0))
        case = self._hand_over(days(20))
        # on hold while the case is open: posted on a manager's override
        other = self._invoice(self.customer, 100.0, days(1), override=True)
        refund = self.init_invoice("out_refund", partner=self.customer, amounts=[50.0], post=True)
        Wizard = self.env["ar.collection.writeoff"].with_user(self.credit_manager)
        for moves, on, message in (
            (other, days(31), "at the latest"),
            # the invoices are dated 30 days before their due date (``_invoice``)
            (other, days(-40), "on or after its invoices. date"),
            (handed, days(30), case.name),
            (handed + other, days(30), case.name),
            (refund, days(30), "Only posted customer invoices"),
        ):
            wizard = Wizard.create(
                {"move_ids": [Command.set(moves.ids)], "date": on, "reason": "Bankrupt"}
            )
            with freeze_time(days(30)), self.assertRaisesRegex(UserError, message):
                wizard.action_confirm()
        self.assertEqual((handed + other).mapped("amount_residual"), [400.0, 100.0])
        # not even with the follow-up's date of the context: the write-off reads the clock
        wizard = Wizard.with_context(ar_followup_date=days(400)).create(
            {"move_ids": [Command.set(other.ids)], "date": days(400), "reason": "Bankrupt"}
        )
        with freeze_time(days(30)), self.assertRaisesRegex(UserError, "at the latest"):
            wizard.action_confirm()
        # through the case it is written off
        wizard = Wizard.create(
            {
                "move_ids": [Command.set(handed.ids)],
                "case_id": case.id,
                "date": days(30),
                "reason": "Bankrupt",
            }
        )
        with freeze_time(days(30)):
            wizard.action_confirm()
        self.assertEqual((case.state, handed.amount_residual), ("written_off", 0.0))
        self.assertEqual(len(case.entry_ids), 1)
        self.assertFalse(
            case.activity_ids.filtered(lambda a: a.summary == "Direct payment: tell the agency")
        )

    def test_the_hand_over_ends_the_ladders_activities_about_its_invoices(self):
        self._ladder()  # the call (day 21) and the escalation (45)
        open_before = self._activities(self.customer)
        self.assertGreaterEqual(len(open_before), 2)
        case = self._hand_over(days(53))
        self.assertFalse(self._activities(self.customer), "about the case's invoices only")
        done = self.customer.message_ids.filtered(
            lambda m: f"Handed over to Incasso Noord B.V. in {case.name}." in (m.body or "")
        )
        self.assertEqual(len(done), len(open_before))
        self.assertTrue(
            self.customer.message_ids.filtered(
                lambda m: (
                    "Claim handed over to Incasso Noord B.V.: " in (m.body or "")
                    and f">{case.name}</a>" in m.body
                    and "650.00" in m.body
                )
            )
        )

    def test_nothing_left_to_hand_over_says_so(self):
        self._invoice(self.customer, 400.0, days(0))
        case = self._hand_over(days(20))
        account = self._account(self.customer).with_user(self.credit_manager)
        with (
            self.assertRaisesRegex(UserError, f"left to hand over: the others are in {case.name}"),
            freeze_time(days(21)),
        ):
            account.action_ar_hand_off()
        self.assertEqual(
            self.env["ar.collection.case"].search_count([("partner_id", "=", self.customer.id)]), 1
        )
        nobody = self._customer("Customer Paid Up")
        with self.assertRaisesRegex(UserError, "no overdue invoice to hand over"):
            self._account(nobody).with_user(self.credit_manager).action_ar_hand_off()
