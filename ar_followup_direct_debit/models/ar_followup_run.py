# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.tools import format_date


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"

    def _ar_nothing_to_send_otherwise(self, partner):
        """'Send reminder now' to a customer whose open invoices are all being debited: the
        debit is the reason nothing went out."""
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", self.company_id.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("amount_residual", ">", 0),
                ]
            )
        )
        last = invoices._ar_dd_last_collection(self.date, self.company_id)
        if not last:
            return super()._ar_nothing_to_send_otherwise(partner)
        return self.env._(
            "Nothing to send to %(customer)s: its open invoices are being collected by direct "
            "debit (last collection on %(date)s).",
            customer=partner.display_name,
            date=format_date(self.env, last),
        )
