# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The follow-up does not chase an invoice being collected by direct debit
(``account_move.py``): not the run, not the claim a reminder announces, not the preview."""

from odoo import models
from odoo.tools import SQL


class ArFollowupRules(models.AbstractModel):
    _inherit = "ar.followup.rules"

    def _ar_candidate_exclusions(self):
        return [
            *super()._ar_candidate_exclusions(),
            SQL(
                "NOT %s",
                self.env["account.move"]._ar_dd_collecting_sql(self.date, self.company_id),
            ),
        ]
