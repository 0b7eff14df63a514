# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A quotation paid online is confirmed by Odoo's post-processing of the payment (a scheduled
action, as OdooBot, which decides nothing on credit). When the credit decision still stops
it (a customer on credit hold who paid less than its own prepayment share, or than the whole
order), the payment is processed as usual, the quotation waits, and the credit-control
manager is asked to decide: a refusal here would roll the payment's processing back."""

from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        stopped = {}
        for tx in self.filtered(lambda tx: len(tx.sale_order_ids) == 1):
            quotation = tx.sale_order_ids.filtered(lambda so: so.state in ("draft", "sent"))
            if not quotation or not quotation._is_confirmation_amount_reached():
                continue
            problems = quotation._ar_credit_document_problems().get(quotation)
            if problems and not self.env["ar.credit.override"]._ar_approvals(quotation):
                stopped[tx] = (quotation, problems)
        confirmed = super(
            PaymentTransaction, self.filtered(lambda tx: tx not in stopped)
        )._check_amount_and_confirm_order()
        for tx, (quotation, problems) in stopped.items():
            quotation._ar_paid_but_stopped(tx, problems)
        return confirmed
