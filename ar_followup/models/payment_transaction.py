# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _create_payment(self, **extra_create_values):
        """One online payment for several invoices, their early-payment discounts deducted
        (the statement's pay button asks the discounted amount until the discount's last
        day): the discounts are written off as the register-payment wizard does for a group
        of invoices. Odoo writes off the discount of a transaction for one invoice only.
        The discounts apply when the transaction asks their discounted amount, which the
        server set when the customer started to pay: a payment begun on the discount's
        last day and confirmed the next keeps it."""
        self.ensure_one()
        invoices = self.invoice_ids.filtered(lambda move: move.state == "posted")
        if (
            len(invoices) > 1
            and "write_off_line_vals" not in extra_create_values
            and invoices.currency_id == self.currency_id
        ):
            write_off = self._ar_discount_write_off(invoices)
            if write_off:
                extra_create_values["write_off_line_vals"] = write_off
        return super()._create_payment(**extra_create_values)

    def _ar_discount_write_off(self, invoices):
        """The write-off lines of the early-payment discounts of ``invoices`` when this
        transaction pays exactly their discounted amount; ``[]`` else."""
        Statement = self.env["ar.followup.statement"].sudo()
        discounts = Statement._ar_discounts(invoices, None)
        amount, _discount = Statement._ar_amount_to_pay(invoices, None)
        if not discounts or self.currency_id.compare_amounts(self.amount, amount):
            return []
        terms = [
            move.line_ids.filtered(lambda line: line.display_type == "payment_term")
            for move in discounts
        ]
        lines = [
            {
                "aml": term,
                "amount_currency": -term.amount_residual_currency,
                "balance": -term.balance,
            }
            for term in terms
        ]
        open_balance = sum(term.balance - term.discount_balance for term in terms)
        values = self.env["account.move"]._get_invoice_counterpart_amls_for_early_payment_discount(
            lines, open_balance
        )
        write_off = [line for category in values.values() for line in category]
        for line in write_off:
            line["partner_id"] = invoices.commercial_partner_id[:1].id
        return write_off
