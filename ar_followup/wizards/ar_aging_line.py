# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ArAgingLine(models.TransientModel):
    _name = "ar.aging.line"
    _description = "Aged Receivables Line"
    _order = "total_company desc"

    wizard_id = fields.Many2one("ar.aging.wizard", required=True, ondelete="cascade", index=True)
    date = fields.Date(related="wizard_id.date", string="As of")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    responsible_id = fields.Many2one("res.users", string="Account manager", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company currency"
    )
    not_due = fields.Monetary(string="Not due", readonly=True)
    d1_30 = fields.Monetary(string="1-30", readonly=True)
    d31_60 = fields.Monetary(string="31-60", readonly=True)
    d61_90 = fields.Monetary(string="61-90", readonly=True)
    d91_120 = fields.Monetary(string="91-120", readonly=True)
    over_120 = fields.Monetary(readonly=True)
    total = fields.Monetary(readonly=True)
    total_company = fields.Monetary(
        string="Total (company currency)", currency_field="company_currency_id", readonly=True
    )

    def action_open_items(self):
        self.ensure_one()
        return self.env["ar.customer.account"]._ar_open_items_action(self.partner_id)
