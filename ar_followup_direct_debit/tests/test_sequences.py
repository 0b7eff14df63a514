"""Invariants over a sequence of runs and events (new invoices, a payment order, its upload,
returns, a transfer, a mandate cancelled): on every day, an invoice being collected by direct
debit is in no reminder, not in the statement's total asked (which its QR code asks) and not
in Pay all; a returned one is, from the day it came back."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DirectDebitCase, days


@tagged("post_install", "-at_install")
class TestDirectDebitSequences(DirectDebitCase):
    def test_collected_never_asked_returned_asked_at_once(self):
        Move = self.env["account.move"]
        Statement = self.env["ar.followup.statement"]
        invoices = [self._invoice(self.customer, 100.0 * (i + 1), days(i * 3)) for i in range(4)]
        transfer = self._invoice(self.customer, 55.0, days(1))
        transfer.mandate_id = False
        invoices.append(transfer)
        returned_on = {}

        def collect_first_two():
            self._collect(invoices[0] | invoices[1])

        def return_first():
            self._return(invoices[0], "AM04", on=days(9))
            returned_on[invoices[0]] = days(9)

        def new_invoice():
            invoices.append(self._invoice(self.customer, 999.0, days(20)))

        def order_not_uploaded():
            self._collect(invoices[2], upload=False)

        def cancel_mandate():
            self.mandate.cancel()

        events = {
            days(2): collect_first_two,
            days(9): return_first,
            days(12): new_invoice,
            days(14): order_not_uploaded,
            days(30): cancel_mandate,
        }
        for day in range(0, 40, 1):
            on = days(day)
            if on in events:
                with freeze_time(on):
                    events[on]()
            run = self._run(on)
            open_invoices = Move.union(*invoices).filtered(lambda m: m.amount_residual > 0)
            collecting = Move._ar_dd_collections(on, open_invoices.ids)
            reminded = run.history_ids.filtered(lambda h: h.channel == "email").move_ids
            statement = self._statement(self.customer, on)
            asked = {line["move"] for line in statement["lines"] if line["overdue"]}
            payable = Move.union(*Statement._ar_payable(self.customer, self.company, on).values())
            for move in open_invoices:
                where = f"day {day}, {move.name}"
                if move.id in collecting:
                    self.assertNotIn(move, reminded, where)
                    self.assertNotIn(move, asked, where)
                    self.assertNotIn(move, payable, where)
                    self.assertFalse(move.ar_dd_returned_date, where)
                elif move.invoice_date_due < on:
                    self.assertIn(move, asked, where)
                    self.assertIn(move, payable, where)
                if move in returned_on and on >= returned_on[move]:
                    self.assertNotIn(move.id, collecting, where)
            total = sum(
                line["amount_residual"] - line["amount_disputed"]
                for line in statement["lines"]
                if line["overdue"]
            )
            self.assertAlmostEqual(statement["totals"][0]["overdue"], total, 2, f"day {day}")
        # what happened: the second invoice was paid by the debit, the first came back, the
        # third sat in an order not uploaded (never asked), the fourth was collected by its
        # due date until the mandate was cancelled, then asked
        self.assertEqual(invoices[1].amount_residual, 0.0)
        self.assertEqual(invoices[0].ar_dd_returned_date, days(9))
        self.assertTrue(Move._ar_dd_collections(days(39), invoices[2].ids) == {})
