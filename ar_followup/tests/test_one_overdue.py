# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One "overdue" everywhere (#33, point 4): a new user read "overdue 15,579.36 EUR" and "Pay all
overdue: 12,298.11 EUR" on one statement (the undisputed part of a partly disputed invoice
could not be paid online), and 9,813.10 in the Follow-ups list (disputed amounts counted) for
a customer whose e-mails asked 9,056.85. The list, the statement, the e-mail and the payment
now ask the same amount; the disputed part is shown as such.

Figures: invoice A 1,000.00 and invoice B 800.00, both overdue; a dispute covers 300.00 of B:
asked = 1,000.00 + (800.00 - 300.00) = 1,500.00; disputed = 300.00."""

from odoo import Command
from odoo.tests import tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestOneOverdue(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Statement = cls.env["ar.followup.statement"]

    def _case(self):
        first = self._invoice(self.customer, 1000.0, days(-30))
        second = self._invoice(self.customer, 800.0, days(-20))
        return first, second, self._dispute(second, 300.0)

    def _dispute(self, invoice, amount):
        dispute = self.env["ar.dispute"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(invoice.ids)],
                "reason": "quality",
                "description": "Part of it arrived broken",
            }
        )
        dispute.amount_disputed = amount
        return dispute

    def _statement_overdue(self, on):
        statement = self.Statement._ar_statements(self.customer, on, self.company)[self.customer.id]
        (total,) = statement["totals"]
        return total["overdue"]

    def test_list_statement_and_payment_ask_the_same(self):
        first, second, _dispute = self._case()
        partner = self.customer.with_company(self.company)
        self.assertEqual(partner.ar_amount_overdue, 1500.0)
        self.assertEqual(self._account(partner).amount_disputed, 300.0)
        self.assertEqual(partner.ar_amount_due, 1800.0, "the receivable is all of it")
        self.assertEqual(self._statement_overdue(days(0)), 1500.0)
        # "Pay all overdue": the same 1,500.00, the undisputed part of B included
        to_pay = self.Statement._ar_to_pay(self.customer, self.company, days(0))
        invoices = to_pay[self.company.currency_id]
        self.assertEqual(invoices, first | second)
        self.assertEqual(self.Statement._ar_amount_to_pay(invoices, days(0)), (1500.0, 0.0))
        # the search of the list agrees with what it shows
        found = self.env["res.partner"].search([("ar_amount_overdue", "=", 1500.0)])
        self.assertIn(self.customer, found)

    def test_paying_the_undisputed_part_online_leaves_the_disputed_part(self):
        first, second, dispute = self._case()
        self._transaction(self.customer, 1500.0, "Pay all overdue", invoices=first | second)
        self.assertEqual(first.payment_state, "paid")
        self.assertEqual(second.amount_residual, 300.0, "the disputed part is not settled")
        self.assertEqual(self.customer.with_company(self.company).ar_amount_overdue, 0.0)
        self.assertEqual(
            self._account(self.customer.with_company(self.company)).amount_disputed, 300.0
        )
        self.assertEqual(self._statement_overdue(days(0)), 0.0)
        # nothing to pay online any more: the rest of B is all disputed
        self.assertFalse(self.Statement._ar_to_pay(self.customer, self.company, days(0)))
        # the dispute closed (rejected): the 300.00 is asked again, everywhere
        dispute.action_reject("Delivered as ordered")
        self.env.invalidate_all()  # a new request
        self.assertEqual(self.customer.with_company(self.company).ar_amount_overdue, 300.0)
        self.assertEqual(self._statement_overdue(days(0)), 300.0)

    def test_wholly_disputed_invoice_is_not_offered(self):
        first, _second, dispute = self._case()
        dispute.amount_disputed = 800.0
        to_pay = self.Statement._ar_to_pay(self.customer, self.company, days(0))
        self.assertEqual(to_pay[self.company.currency_id], first)
        self.assertEqual(self.customer.with_company(self.company).ar_amount_overdue, 1000.0)
        self.assertEqual(self._statement_overdue(days(0)), 1000.0)

    def test_two_partly_disputed_invoices_paid_online_keep_their_disputed_parts(self):
        """Found by the attack: Odoo matched the payment with the oldest invoice first and
        settled a disputed part. b and c, 100.00 each, 40.00 of each disputed: the payment
        of 120.00 leaves 40.00 on each; with a plain invoice a of 100.00: 220.00, a paid."""
        plain = self._invoice(self.customer, 100.0, days(-40))
        b = self._invoice(self.customer, 100.0, days(-30))
        c = self._invoice(self.customer, 100.0, days(-20))
        for invoice in (b, c):
            self._dispute(invoice, 40.0)
        invoices = self.Statement._ar_to_pay(self.customer, self.company, days(0))[
            self.company.currency_id
        ]
        self.assertEqual(self.Statement._ar_amount_to_pay(invoices, days(0))[0], 220.0)
        self._transaction(self.customer, 220.0, "Pay all overdue", invoices=invoices)
        self.assertEqual((plain | b | c).mapped("amount_residual"), [0.0, 40.0, 40.0])

    def test_the_reminder_shows_the_disputed_part(self):
        """Found by a new user (#33): the rows of a partly disputed invoice showed its whole
        amount, "(disputed)", and nothing explained why the total asked was less."""
        self._case()
        self._run(days(0))
        body = self._mails(self.customer)[-1].body_html
        self.assertIn("300.00, not asked)", body.replace("\xa0", " "))
