# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A payment that settles invoices moves the customer's follow-up at once (#33, point 6): a
new user paid everything from the statement link and the customer stayed at "Final notice"
until the next run, with no history line for the payment."""

from datetime import date

from odoo.tests import tagged

from .common import ArFollowupCase


@tagged("post_install", "-at_install")
class TestPaymentFollows(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.ar_followup_grace_days = 0

    def _customer_state(self, partner):
        partner = partner.with_company(self.company)
        return partner.ar_followup_level_id, partner.ar_next_followup_date

    def _expected_state(self, partner):
        """The invariant: the customer's level is the highest level over its open invoices,
        its next date the earliest next date over them (nothing when nothing is open)."""
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("amount_residual", ">", 0),
            ]
        )
        levels = moves.ar_followup_level_id.sorted("delay")
        dates = [d for d in moves.mapped("ar_next_followup_date") if d]
        return levels[-1:], min(dates) if dates else False

    def test_full_payment_clears_level_at_once(self):
        first = self._invoice(self.customer, 400.0, date(2026, 9, 1))
        second = self._invoice(self.customer, 250.0, date(2026, 9, 10))
        for day in (date(2026, 9, 8), date(2026, 9, 15), date(2026, 9, 22), date(2026, 10, 1)):
            self._run(day)
        level, next_date = self._customer_state(self.customer)
        self.assertTrue(level, "the ladder reached a level before the payment")
        self.assertTrue(next_date)

        self._pay(first, 400.0, on=date(2026, 10, 2))
        # one invoice is still open: the customer keeps the level of that one
        self.assertEqual(self._customer_state(self.customer), self._expected_state(self.customer))
        self.assertEqual(self._customer_state(self.customer)[0], second.ar_followup_level_id)
        paid_lines = self._history(self.customer, "payment")
        self.assertEqual(len(paid_lines), 1)
        self.assertEqual(paid_lines.move_ids, first)

        self._pay(second, 250.0, on=date(2026, 10, 3))
        self.assertEqual(
            self._customer_state(self.customer),
            (self.env["ar.followup.level"], False),
            "everything paid: no level and no next follow-up, without waiting for a run",
        )
        paid_lines = self._history(self.customer, "payment")
        self.assertEqual(len(paid_lines), 2)
        self.assertEqual(paid_lines[-1].move_ids, second)
        self.assertFalse(paid_lines[-1].level_id)

    def test_partial_payment_changes_nothing(self):
        invoice = self._invoice(self.customer, 400.0, date(2026, 9, 1))
        self._run(date(2026, 9, 8))
        before = self._customer_state(self.customer)
        self._pay(invoice, 100.0, on=date(2026, 9, 9))
        self.assertEqual(self._customer_state(self.customer), before)
        self.assertFalse(self._history(self.customer, "payment"))

    def test_never_reminded_invoice_paid_writes_no_line(self):
        invoice = self._invoice(self.customer, 400.0, date(2026, 12, 31))
        self._pay(invoice, 400.0, on=date(2026, 12, 1))
        self.assertFalse(self._history(self.customer, "payment"))

    def test_invariant_over_runs_payments_and_new_invoices(self):
        """Runs, new invoices and payments interleaved: after every event the customer's level
        and next date are those of its open invoices."""
        other = self._customer("Customer Two")
        invoices = []
        events = [
            ("invoice", self.customer, 300.0, date(2026, 8, 1)),
            ("invoice", other, 120.0, date(2026, 8, 5)),
            ("run", date(2026, 8, 9)),
            ("invoice", self.customer, 80.0, date(2026, 8, 20)),
            ("run", date(2026, 8, 16)),
            ("pay", 0, 300.0),
            ("run", date(2026, 8, 28)),
            ("invoice", self.customer, 45.5, date(2026, 9, 1)),
            ("pay", 1, 120.0),
            ("run", date(2026, 9, 9)),
            ("pay", 2, 80.0),
            ("pay", 3, 45.5),
            ("run", date(2026, 9, 20)),
        ]
        for event in events:
            if event[0] == "invoice":
                invoices.append(self._invoice(event[1], event[2], event[3]))
            elif event[0] == "run":
                self._run(event[1])
            else:
                invoice = invoices[event[1]]
                self._pay(invoice, event[2], on=invoice.invoice_date_due)
            for partner in (self.customer, other):
                with self.subTest(event=event, partner=partner.name):
                    self.assertEqual(self._customer_state(partner), self._expected_state(partner))
        self.assertEqual(self._customer_state(self.customer)[0], self.env["ar.followup.level"])

    def test_a_payment_taken_back_puts_the_customer_back(self):
        """Found by the attack: an invoice paid, then its matching taken back (a payment that
        bounced), left the ladder for good; paid, unmatched and matched again three times
        wrote four "Invoices paid" lines."""
        invoice = self._invoice(self.customer, 300.0, date(2026, 9, 1))
        for day in (date(2026, 9, 8), date(2026, 9, 15)):
            self._run(day)
        before = self._customer_state(self.customer)
        self.assertTrue(before[0])
        payment = self._pay(invoice, 300.0, on=date(2026, 9, 16))
        self.assertFalse(self._customer_state(self.customer)[0])
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        counterpart = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == receivable.account_id
        )
        for _round in range(3):
            receivable.remove_move_reconcile()
            self.assertEqual(self._customer_state(self.customer), before)
            (receivable | counterpart).reconcile()
        self.assertEqual(len(self._history(self.customer, "payment")), 1)
        # the payment bounced: taken back and cancelled, the invoice is chased again from
        # where it was (unmatched only, the payment is an open credit that covers it)
        receivable.remove_move_reconcile()
        payment.action_draft()
        payment.action_cancel()
        for day in (date(2026, 9, 22), date(2026, 9, 29)):
            self._run(day)
        self.assertGreater(invoice.ar_followup_level_id.delay, before[0].delay)

    def test_paid_calls_are_done(self):
        """Found by a new user (#33): the call activity about invoices that were all paid
        stayed open, on the worklist, naming them."""
        invoice = self._invoice(self.customer, 300.0, date(2026, 9, 1))
        for day in (date(2026, 9, 8), date(2026, 9, 15), date(2026, 9, 22)):
            self._run(day)
        call = self._activities(self.customer).filtered("automated")
        self.assertTrue(call, "the call level scheduled its call")
        manual = self.customer.activity_schedule("mail.mail_activity_data_todo", summary="Mine")
        self._pay(invoice, 300.0, on=date(2026, 9, 23))
        self.assertFalse(call.exists(), "nothing left to call about")
        self.assertTrue(manual.exists(), "an activity of a user stays")
