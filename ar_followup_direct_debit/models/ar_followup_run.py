# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The run does not chase an invoice being collected by direct debit (``account_move.py``)."""

from odoo import models
from odoo.tools import SQL


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"

    def _ar_candidate_exclusions(self):
        return [
            *super()._ar_candidate_exclusions(),
            SQL(
                "NOT %s",
                self.env["account.move"]._ar_dd_collecting_sql(self.date, self.company_id),
            ),
        ]
