"""Bad debts (issue #20): a write-off posts the open amount as a loss with a reason and
reconciles the invoice; with the VAT reclaimed (art. 29 Wet OB, an invoice unpaid a year
after its due date) it reverses the VAT the open amount contains; the list of such invoices
at a date; a case closed as written off."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestBadDebt(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bad_debt = cls.company_data["default_account_expense"].copy(
            {"code": "499900", "name": "Bad debts"}
        )
        cls.company.ar_bad_debt_account_id = cls.bad_debt
        cls.tax = cls.company_data["default_tax_sale"]  # 15 %
        cls.billing = cls._user("arb_billing", "billing", name="Bea Billing")

    def _taxed_invoice(self, amount, due):
        """``amount`` untaxed plus the 15 % tax, due on ``due``."""
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goods",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set(self.tax.ids)],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _write_off(self, invoices, on, **values):
        wizard = (
            self.env["ar.collection.writeoff"]
            .with_user(self.credit_manager)
            .create(
                {
                    "move_ids": [Command.set(invoices.ids)],
                    "date": on,
                    "reason": "Customer bankrupt",
                    **values,
                }
            )
        )
        with freeze_time(on):  # a write-off is dated today at the latest
            action = wizard.action_confirm()
        # the entries as journal entries, not in the invoices' list (#33: "Tax Excluded 0.00")
        if "res_id" in action:
            return wizard, self.env["account.move"].browse(action["res_id"])
        self.assertEqual(action["views"][0][0], self.env.ref("account.view_move_tree").id)
        return wizard, self.env["account.move"].browse(action["domain"][0][2])

    def test_a_debt_a_year_overdue_reclaims_the_vat_it_contains(self):
        self.assertEqual(self.tax.amount, 15.0)
        invoice = self._taxed_invoice(1000.0, days(0))  # 1,000.00 + 150.00 = 1,150.00
        self._pay(invoice, 150.0, on=days(10))  # 1,000.00 open
        # a year and a day after the due date: listed, with the VAT of what is open:
        # 150.00 x 1,000.00 / 1,150.00 = 130.434... = 130.43
        rows = self.env["ar.bad.debt.vat"]._ar_rows(self.company, days(366))
        self.assertEqual(rows, [(invoice.id, 1000.0, 130.43)])
        self.assertFalse(self.env["ar.bad.debt.vat"]._ar_rows(self.company, days(365)))
        _wizard, move = self._write_off(invoice, days(366), reclaim_vat=True)
        self.assertEqual(move.state, "posted")
        lines = {(line.account_id, round(line.balance, 2)): line for line in move.line_ids}
        receivable = invoice.line_ids.filtered(lambda l: l.display_type == "payment_term")
        tax_line = invoice.line_ids.filtered(lambda l: l.display_type == "tax")
        # the loss: 1,000.00 x 1,000.00 / 1,150.00 = 869.565... = 869.57; the VAT 130.43;
        # 869.57 + 130.43 = 1,000.00 credited on the receivable
        self.assertEqual(
            sorted((line.account_id.id, round(line.balance, 2)) for line in move.line_ids),
            sorted(
                [
                    (receivable.account_id.id, -1000.0),
                    (self.bad_debt.id, 869.57),
                    (tax_line.account_id.id, 130.43),
                ]
            ),
        )
        reversal = lines[(tax_line.account_id, 130.43)]
        self.assertEqual(reversal.tax_repartition_line_id.document_type, "refund")
        self.assertEqual(reversal.tax_tag_ids, reversal.tax_repartition_line_id.tag_ids)
        self.assertEqual(lines[(self.bad_debt, 869.57)].tax_ids, self.tax)
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertIn("Customer bankrupt", invoice.message_ids[0].body)
        self.assertFalse(self.env["ar.bad.debt.vat"]._ar_rows(self.company, days(366)))

    def test_reclaiming_is_the_default_for_a_dutch_company_a_year_on(self):
        invoice = self._taxed_invoice(1000.0, days(0))
        Wizard = self.env["ar.collection.writeoff"]
        values = {"move_ids": [Command.set(invoice.ids)], "reason": "x"}
        self.assertFalse(Wizard.new({**values, "date": days(366)}).reclaim_vat, "not Dutch")
        self.company.account_fiscal_country_id = self.env.ref("base.nl")
        self.assertTrue(Wizard.new({**values, "date": days(366)}).reclaim_vat)
        self.assertFalse(Wizard.new({**values, "date": days(365)}).reclaim_vat, "a year only")

    def test_a_younger_debt_is_a_loss_with_its_vat(self):
        invoice = self._taxed_invoice(1000.0, days(0))
        wizard, move = self._write_off(invoice, days(200))
        self.assertFalse(wizard.reclaim_vat, "not a year overdue")
        self.assertEqual(
            sorted(round(line.balance, 2) for line in move.line_ids), [-1150.0, 1150.0]
        )
        self.assertEqual(move.line_ids.filtered(lambda l: l.balance > 0).account_id, self.bad_debt)
        self.assertFalse(move.line_ids.tax_ids)

    def test_only_a_manager_writes_off_and_nothing_without_the_account(self):
        invoice = self._taxed_invoice(100.0, days(0))
        with self.assertRaises(AccessError):
            self.env["ar.collection.writeoff"].with_user(self.billing).create(
                {"move_ids": [Command.set(invoice.ids)], "reason": "x"}
            ).action_confirm()
        self.company.ar_bad_debt_account_id = False
        with self.assertRaises(UserError):
            self._write_off(invoice, days(400))
        self.assertEqual(invoice.amount_residual, 115.0)

    def test_a_case_closed_as_written_off(self):
        agency = self._agency("Deurwaarder Zuid", "bailiff", "z@example.nl")
        invoice = self._taxed_invoice(200.0, days(0))
        case = (
            self.env["ar.collection.case"]
            .with_user(self.credit_manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "agency_id": agency.id,
                    "move_ids": [Command.set(invoice.ids)],
                }
            )
        )
        with freeze_time(days(30)):
            case.action_hand_over()
        self._write_off(invoice, days(400), case_id=case.id, reclaim_vat=True)
        self.assertEqual((case.state, case.date_closed), ("written_off", days(400)))
        self.assertEqual(case.amount_written_off, 230.0)
        self.assertFalse(self.customer.ar_credit_hold)


@tagged("post_install", "-at_install")
class TestWriteOffIsNoPayment(TestBadDebt):
    """Found by a new user (#33): a write-off showed in the history as "Invoices paid"."""

    def test_a_write_off_writes_no_payment_line(self):
        invoice = self._taxed_invoice(1000.0, days(0))
        self._set_followup_state(invoice, self.levels[30], days(31))
        self.env["ar.followup.move.state"]._ar_refresh_partners(self.company, self.customer)
        self.assertTrue(self.customer.with_company(self.company).ar_followup_level_id)
        self._write_off(invoice, days(366))
        self.assertFalse(self._history(self.customer, "payment"))
        self.assertFalse(self.customer.with_company(self.company).ar_followup_level_id)
