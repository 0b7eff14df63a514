# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    def _do_auto_reconcile(self, rules):
        """A line matched on import says who paid: the customer of the invoices it paid,
        when it named no partner of its own (a payer's account nobody knew)."""
        result = super()._do_auto_reconcile(rules)
        if self.is_reconciled and not self.partner_id:
            customers = self.move_id.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            ).partner_id.commercial_partner_id
            if len(customers) == 1:
                self.partner_id = customers
        return result
