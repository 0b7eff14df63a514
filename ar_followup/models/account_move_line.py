# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from contextvars import ContextVar

from odoo import api, fields, models

# set by the server while it matches a payment in steps (an online payment of undisputed
# parts): the customers' follow-up follows once, after the last step (never a client's key)
FOLLOW_LATER = ContextVar("ar_followup_follow_later", default=False)

# what, written on a posted line, moves its receivable to another customer or changes it
RECEIVABLE_LINE_FIELDS = frozenset(
    {"partner_id", "account_id", "debit", "credit", "balance", "amount_currency", "move_id"}
)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # what the customer's open items (its follow-up tab) show of their entry
    ar_due_date = fields.Date(
        string="Due",
        compute="_compute_ar_due_date",
        help="The item's due date or, where it has none, its date.",
    )
    ar_followup_level_id = fields.Many2one(related="move_id.ar_followup_level_id")
    ar_next_followup_date = fields.Date(related="move_id.ar_next_followup_date")
    ar_followup_excluded = fields.Boolean(related="move_id.ar_followup_excluded")
    # a line of a fee invoice the run made: what it charges (the reminders list each kind
    # on its own line)
    ar_fee_kind = fields.Selection(
        [("costs", "Collection costs"), ("interest", "Interest")],
        string="Fee",
        readonly=True,
        copy=False,
    )

    def _compute_ar_due_date(self):
        for line in self:
            line.ar_due_date = line.date_maturity or line.date

    # -- the credit decision: a receivable of a posted entry moved or changed ---------------

    @api.model_create_multi
    def create(self, vals_list):
        moves = (
            self.env["account.move"]
            .browse({vals["move_id"] for vals in vals_list if vals.get("move_id")})
            .filtered(lambda m: m.state == "posted")
        )
        before = moves._ar_receivable_balances(split=True)
        lines = super().create(vals_list)
        if before:
            moves._ar_check_receivable_change(before)
        return lines

    def write(self, vals):
        moves = self.env["account.move"]
        if RECEIVABLE_LINE_FIELDS.intersection(vals):
            moves = self.filtered(lambda line: line.parent_state == "posted").move_id
            if vals.get("move_id"):
                moves |= (
                    self.env["account.move"]
                    .browse(vals["move_id"])
                    .filtered(lambda m: m.state == "posted")
                )
        before = moves._ar_receivable_balances(split=True)
        res = super().write(vals)
        if before:
            moves._ar_check_receivable_change(before)
        return res

    def unlink(self):
        moves = self.filtered(lambda line: line.parent_state == "posted").move_id
        before = moves._ar_receivable_balances(split=True)
        res = super().unlink()
        if before:
            moves.exists()._ar_check_receivable_change(before)
        return res

    def action_ar_toggle_exclusion(self):
        """Exclude the invoices of these items from the follow-up, or include them again."""
        return self.move_id.action_ar_toggle_exclusion()

    def reconcile(self):
        results = super().reconcile()
        if not FOLLOW_LATER.get():
            self._ar_follow_settled_invoices()
        self._ar_release_settled_holds()
        self._ar_close_match_activities()
        return results

    def _ar_follow_settled_invoices(self):
        """Customer invoices this matching settled: their customer's follow-up level, next
        date and worklist follow at once, with a history line (not at the next run)."""
        settled = self.move_id.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "posted"
                and m.company_currency_id.is_zero(m.amount_residual)
            )
        )
        if settled:
            self.env["ar.followup.move.state"]._ar_settled(settled)

    def _ar_close_match_activities(self):
        """A statement line the follow-up waited for is matched: its activity is done."""
        moves = self.move_id.filtered("statement_line_id")
        if not moves:
            return
        matched = moves.filtered(lambda move: move.statement_line_id.is_reconciled)
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "account.move"),
                    ("res_id", "in", matched.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("ar_followup.mail_activity_type_match_payment").id,
                    ),
                ]
            )
        )
        if activities:
            activities.action_feedback(feedback=self.env._("Matched with its invoices."))

    def _ar_release_settled_holds(self):
        """A payment or credit note matched with a customer's invoices lifts its follow-up
        hold when nothing is overdue any more."""
        receivable = self.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and line.partner_id
        )
        Account = self.env["ar.customer.account"]
        for company in receivable.company_id:
            partners = receivable.filtered(lambda line, c=company: line.company_id == c).partner_id
            # a payment is matched today, whatever the date of the entries
            Account.with_company(company)._ar_release_settled_holds(
                fields.Date.context_today(self), partners.commercial_partner_id.ids
            )
