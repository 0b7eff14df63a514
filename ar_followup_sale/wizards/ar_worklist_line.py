# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

from odoo.addons.ar_followup.wizards.ar_worklist_line import Task


class ArWorklistLine(models.TransientModel):
    _inherit = "ar.worklist.line"

    @api.model
    def _worklist_sources(self):
        return [*super()._worklist_sources(), self._worklist_held_orders]

    @api.model
    def _worklist_held_orders(self, date, company):
        """Customers on credit hold whose quotations wait to be confirmed: the collector
        decides (a payment, an override) before the customer calls the sales team."""
        held = (
            self.env["res.partner"]
            .with_company(company)
            .search([("ar_credit_hold", "=", True), ("parent_id", "=", False)])
        )
        if not held:
            return {}
        groups = self.env["sale.order"]._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "in", ("draft", "sent")),
                ("partner_id", "child_of", held.ids),
            ],
            ["partner_id"],
            ["date_order:min"],
        )
        tasks = {}
        for partner, oldest in groups:
            pid = partner.commercial_partner_id.id
            day = oldest.date()
            if pid not in tasks or day < tasks[pid].since:
                tasks[pid] = Task("held_orders", day)
        return tasks
