"""The demo's direct debits (``make demo``): after the return's import and today's run, the
collected invoice is paid, the next one waits for its collection, the returned one is open
with the customer's e-mail and is chased."""

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.ar_followup_direct_debit.demo import generator

from .common import DirectDebitCase, days


@tagged("post_install", "-at_install")
class TestDirectDebitDemo(DirectDebitCase):
    def test_demo_direct_debits(self):
        with freeze_time(days(20)):
            generator.generate(self.env, self.company)
        Partner = self.env["res.partner"]
        automatic = Partner.search([("name", "=", "Groothandel Automatisch B.V.")])
        bakery = Partner.search([("name", "=", "Bakkerij De Terugboeking V.O.F.")])
        # each demo account is its customer's own (a bank file matches on it)
        Bank = self.env["res.partner.bank"]
        for bank in Bank.search([("partner_id", "in", (automatic | bakery).ids)]):
            self.assertEqual(
                Bank.search_count([("sanitized_acc_number", "=", bank.sanitized_acc_number)]), 1
            )
        Move = self.env["account.move"]
        paid, waiting = Move.search(
            [("partner_id", "=", automatic.id), ("move_type", "=", "out_invoice")],
            order="invoice_date_due",
        )
        self.assertEqual(paid.amount_residual, 0.0)
        statement = self._statement(automatic, days(20))
        line = next(line for line in statement["lines"] if line["move"] == waiting)
        self.assertEqual(line["direct_debit"], days(30))
        returned = Move.search([("partner_id", "=", bakery.id), ("move_type", "=", "out_invoice")])
        self.assertEqual(returned.ar_dd_return_reason_id.code, "AM04")
        self.assertEqual(returned.amount_residual, returned.amount_total)
        # its e-mail queued and in the follow-up history, the return not before the
        # collection it returns (a new user's trial found the demo's return two days before)
        self.assertEqual(self._history(bakery, "email").move_ids, returned)
        collected_on = max(
            self.env["account.payment"].search([("partner_id", "=", bakery.id)]).mapped("date")
        )
        self.assertGreaterEqual(returned.ar_dd_returned_date, collected_on)
        self.assertEqual(
            self._statement(bakery, days(20))["totals"][0]["overdue"], returned.amount_total
        )
        # the invoice PDF prints the customer's account masked (the payment mode's setting),
        # never whole beside its pre-notification (a new user's trial)
        iban = waiting.mandate_id.partner_bank_id.acc_number
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", waiting.ids)[0]
            .decode()
        )
        self.assertIn('name="ar_dd_prenotice"', html)
        self.assertNotIn(iban, html)
        self.assertIn(iban[-4:], html)
