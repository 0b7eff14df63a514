# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The statement (reminders, the statement link, the portal) shows an invoice being collected
by direct debit as "collected by direct debit on D", not overdue: it is not in the total
asked, the QR code or Pay all."""

from odoo import api, models


class ArFollowupStatement(models.AbstractModel):
    _inherit = "ar.followup.statement"

    @api.model
    def _ar_invoice_liner(self, invoice_rows, payment_rows, date, chased_move_ids):
        line = super()._ar_invoice_liner(invoice_rows, payment_rows, date, chased_move_ids)
        collected = self.env["account.move"]._ar_dd_collections(
            date, [row.move_id for row in invoice_rows if not row.refund]
        )

        def dd_line(row):
            values = line(row)
            collect_date = collected.get(row.move_id)
            if collect_date:
                values["overdue"] = False
                values["direct_debit"] = collect_date
            return values

        return dd_line

    @api.model
    def _ar_payable(self, partner, company, date, invoice_ids=None, overdue=True):
        payable = super()._ar_payable(partner, company, date, invoice_ids, overdue)
        ids = [move.id for invoices in payable.values() for move in invoices]
        collected = self.env["account.move"]._ar_dd_collections(date, ids, company)
        if not collected:
            return payable
        result = {}
        for currency, invoices in payable.items():
            left = invoices.filtered(lambda m: m.id not in collected)
            if left:
                result[currency] = left
        return result
