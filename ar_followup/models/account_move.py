# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountMove(models.Model):
    _inherit = "account.move"

    ar_followup_level_id = fields.Many2one(
        "ar.followup.level",
        string="Follow-up level",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The last follow-up level this invoice reached.",
    )
    ar_last_followup_date = fields.Date(
        string="Last follow-up",
        copy=False,
        readonly=True,
        help="Date of the follow-up run in which the invoice reached its current level.",
    )
    ar_next_followup_date = fields.Date(
        string="Next follow-up",
        copy=False,
        readonly=True,
        help="Date from which the next follow-up level applies, as computed by the last run.",
    )
    ar_followup_excluded = fields.Boolean(
        string="Excluded from follow-up",
        copy=False,
        tracking=True,
        help="No reminder is sent for this invoice. With an end date, the exclusion lapses "
        "by itself after that date.",
    )
    ar_followup_excluded_until = fields.Date(
        string="Excluded until",
        copy=False,
        tracking=True,
        help="Last day of the exclusion; empty: excluded until switched off.",
    )
    ar_followup_history_ids = fields.Many2many(
        "ar.followup.history",
        "ar_followup_history_move_rel",
        "move_id",
        "history_id",
        string="Follow-up history",
        readonly=True,
    )

    @api.constrains("ar_followup_excluded", "ar_followup_excluded_until")
    def _check_ar_followup_excluded_until(self):
        for move in self:
            if move.ar_followup_excluded_until and not move.ar_followup_excluded:
                raise ValidationError(
                    self.env._(
                        "%(invoice)s: an exclusion end date needs the exclusion itself.",
                        invoice=move.display_name,
                    )
                )

    def action_ar_toggle_exclusion(self):
        """Exclude the invoices from the follow-up, or include them again."""
        for move in self:
            move.write(
                {
                    "ar_followup_excluded": not move.ar_followup_excluded,
                    "ar_followup_excluded_until": False,
                }
            )
        return True
