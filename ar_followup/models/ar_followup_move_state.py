# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ArFollowupMoveState(models.Model):
    """Where an invoice stands in the follow-up: the level it reached, when, and when the
    next one applies.

    It is a narrow table of its own rather than three columns of ``account_move``: a run
    updates the state of every invoice it looks at (on the first run after installing, all of
    them), and a row of ``account_move`` carries some thirty indexes, so that each update cost
    about 60 µs instead of 2 µs here, and locked the invoices that users were working on. The
    invoice shows the state through its fields ``ar_followup_level_id``,
    ``ar_last_followup_date`` and ``ar_next_followup_date``.
    """

    _name = "ar.followup.move.state"
    _description = "Follow-up State of an Invoice"
    _rec_name = "move_id"
    _log_access = False  # written in bulk by the runs; the history says who did what

    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade")
    level_id = fields.Many2one(
        "ar.followup.level",
        string="Follow-up level",
        ondelete="restrict",
        index="btree_not_null",
        help="The last follow-up level the invoice reached.",
    )
    last_date = fields.Date(
        string="Last follow-up",
        help="Date of the follow-up run in which the invoice reached its level.",
    )
    next_date = fields.Date(
        string="Next follow-up",
        help="Date from which the next follow-up level applies, as computed by the last run.",
    )

    _sql_constraints = [
        ("move_uniq", "unique (move_id)", "An invoice has one follow-up state."),
    ]
