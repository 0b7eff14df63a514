# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The run of a company for its date also does the credit insurer's duties
(``account_move_duties.py``), once, after its batches: they are of the company's insured
invoices, not of the customers the ladder acts on."""

from odoo import models


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"

    def _ar_finish(self, plan, executed, partners):
        self.env["account.move"]._ar_insurer_duties(
            self.date, self.company_id, partners.ids if partners is not None else None
        )
        return super()._ar_finish(plan, executed, partners)
