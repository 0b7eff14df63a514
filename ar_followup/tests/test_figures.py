from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import D0, ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestFigures(ArFollowupCase):
    """One set of figures: the partner list, its open items, the statement, the collector
    worklist and the aging read the same open receivable items."""

    def _entry(self, partner, lines, on):
        """A posted journal entry of ``(account, debit, credit)`` lines, the receivable ones
        for ``partner``; no due date on any line."""
        receivable = self.company_data["default_account_receivable"]
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": on,
                "journal_id": self.company_data["default_journal_misc"].id,
                "line_ids": [
                    Command.create(
                        {
                            "name": "Manual entry",
                            "account_id": account.id,
                            "partner_id": partner.id if account == receivable else False,
                            "debit": debit,
                            "credit": credit,
                        }
                    )
                    for account, debit, credit in lines
                ],
            }
        )
        move.action_post()
        return move

    def _payment(self, partner, amount, on):
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "amount": amount,
                "date": on,
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        payment.action_post()
        return payment

    def _worklist(self):
        with freeze_time(days(0)):
            action = self.env["ar.worklist.line"].action_worklist()
        return self.env["ar.worklist.line"].search(action["domain"])

    @freeze_time(D0)  # today: the day the figures are read for
    def test_every_kind_of_receivable_item_gives_the_same_figures(self):
        receivable = self.company_data["default_account_receivable"]
        revenue = self.company_data["default_account_revenue"]
        partner = self.customer.with_company(self.company)
        self._invoice(partner, 1000.0, days(-20))  # overdue 20 days
        self._invoice(partner, 500.0, days(10))  # not due
        self._invoice(partner, 200.0, days(-5), move_type="out_refund")  # credit note
        payment = self._payment(partner, 300.0, days(-2))  # not matched with an invoice
        self.assertTrue(payment.move_id)
        entry = self._entry(partner, [(receivable, 400.0, 0.0), (revenue, 0.0, 400.0)], days(-15))
        debit = entry.line_ids.filtered(lambda line: line.account_id == receivable)
        self.assertFalse(debit.date_maturity)  # due as dated: overdue 15 days
        self.env.invalidate_all()

        # the list
        self.assertEqual(partner.ar_amount_due, 1400.0)  # 1000 + 500 - 200 - 300 + 400
        self.assertEqual(partner.ar_amount_overdue, 1400.0)  # 1000 + 400
        self.assertEqual(self._account(partner).oldest_overdue_days, 20)
        # the statement
        statement = self._statement(partner, days(0))
        self.assertEqual(len(statement["lines"]), 5)
        (total,) = statement["totals"]
        self.assertEqual((total["open"], total["overdue"]), (1400.0, 1400.0))
        entry_line = next(line for line in statement["lines"] if line["move"] == entry)
        self.assertEqual((entry_line["kind"], entry_line["days_overdue"]), ("entry", 15))
        (aging,) = statement["aging"]
        self.assertEqual(aging["total"], 1400.0)
        self.assertEqual(aging["buckets"]["not_due"], 0.0)  # 500 - 200 - 300
        self.assertEqual(aging["buckets"]["d1_30"], 1400.0)
        # the worklist: overdue net of the open credits
        line = self._worklist().filtered(lambda line: line.partner_id == partner)
        self.assertEqual(line.amount_overdue, 1400.0)
        self.assertEqual(line.open_credits, -500.0)
        self.assertEqual(line.net_overdue, 900.0)
        self.assertEqual(line.oldest_days, 20)
        self.assertEqual(line.priority, 900.0 * 20)
        # the aging report
        (row,) = self.env["ar.kpi"].aging(days(0), partner=partner)
        self.assertEqual(row["total_company"], partner.ar_amount_due)
        self.assertEqual(row["not_due"], 0.0)  # credits are never overdue
        overdue = sum(row[key] for key in ("d1_30", "d31_60", "d61_90", "d91_120", "over_120"))
        self.assertEqual(overdue, partner.ar_amount_overdue)
        self.assertEqual(row["d1_30"], 1400.0)
        # the tab: every open item, summing to the amount due
        self.assertEqual(len(self._account(partner).open_line_ids), 5)
        self.assertEqual(
            sum(self._account(partner).open_line_ids.mapped("amount_residual")), 1400.0
        )
        self.assertIn(entry, self._account(partner).open_line_ids.move_id)
        self.assertIn(payment.move_id, self._account(partner).open_line_ids.move_id)
        self.assertEqual(
            sum(
                line.amount_residual
                for line in self._account(partner).open_line_ids
                if line.amount_residual > 0 and line.ar_due_date < days(0)
            ),
            partner.ar_amount_overdue,
        )

    @freeze_time(D0)  # today: the day the figures are read for
    def test_credits_covering_the_overdue_amount_keep_a_customer_off_the_worklist(self):
        receivable = self.company_data["default_account_receivable"]
        expense = self.company_data["default_account_expense"]
        covered = self._customer("Covered")
        self._invoice(covered, 34250.0, days(-40))
        # a manual entry credits its receivable (no due date), not matched with the invoice
        self._entry(covered, [(expense, 34250.0, 0.0), (receivable, 0.0, 34250.0)], days(-10))
        # a debit item without due date and its counterpart, both on the receivable
        moved = self._customer("Reclassified")
        self._entry(moved, [(receivable, 34250.0, 0.0), (receivable, 0.0, 34250.0)], days(-30))
        owing = self._customer("Owing")
        self._invoice(owing, 100.0, days(-10))
        self.assertEqual(self._worklist().partner_id, owing)
        self.env.invalidate_all()
        for partner in (covered, moved):
            partner = partner.with_company(self.company)
            self.assertEqual(partner.ar_amount_due, 0.0)
            self.assertEqual(partner.ar_amount_overdue, 34250.0)
            self.assertEqual(len(self._account(partner).open_line_ids), 2)
            self.assertEqual(
                sum(self._account(partner).open_line_ids.mapped("amount_residual")), 0.0
            )
            (total,) = self._statement(partner, days(0))["totals"]
            self.assertEqual(total["open"], 0.0)
            (row,) = self.env["ar.kpi"].aging(days(0), partner=partner)
            self.assertEqual(row["total_company"], 0.0)
        # the run does not chase them either
        run = self._run(days(0))
        self.assertFalse(self._history(covered, "email"))
        self.assertTrue(self._history(owing, "email"))
        self.assertEqual(run.email_count, 1)
