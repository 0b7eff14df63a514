# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, fields, models

from ..models.ar_kpi import AGING_BUCKETS

BUCKET_KEYS = [key for key, _label, _limit in AGING_BUCKETS]


class ArAgingWizard(models.TransientModel):
    _name = "ar.aging.wizard"
    _description = "Aged Receivables"

    date = fields.Date(string="As of", required=True, default=fields.Date.context_today)
    line_ids = fields.One2many("ar.aging.line", "wizard_id")

    def action_open(self):
        """Compute the aging as of the date (one query) and show it."""
        self.ensure_one()
        rows = self.env["ar.kpi"].aging(self.date)
        partners = self.env["res.partner"].browse({row["partner_id"] for row in rows})
        by_id = {partner.id: partner for partner in partners}
        collectors = self.env["ar.customer.account"]._ar_collectors(partners)
        self.line_ids = [Command.clear()] + [
            Command.create(
                {
                    "partner_id": row["partner_id"],
                    "currency_id": row["currency_id"],
                    "user_id": by_id[row["partner_id"]].user_id.id,
                    "responsible_id": collectors[row["partner_id"]].id,
                    **{key: row[key] for key in BUCKET_KEYS},
                    "total": row["total"],
                    "total_company": row["total_company"],
                }
            )
            for row in rows
        ]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Aged receivables as of %s", fields.Date.to_string(self.date)),
            "res_model": "ar.aging.line",
            "view_mode": "list,pivot,graph",
            "domain": [("wizard_id", "=", self.id)],
            "context": {"search_default_group_currency": 1},
        }
