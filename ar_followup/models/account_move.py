# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .ar_dispute import OPEN_STATES

# The follow-up's fields of an invoice are for internal users; portal pages read what they show
# with the rights of the page (portal users reach nothing else over RPC).
INTERNAL = "base.group_user"


class AccountMove(models.Model):
    _inherit = "account.move"

    # written by the follow-up only (as the system): a user who could write them could
    # unlink the charges an invoice had, or make a fee invoice an ordinary one
    # kept by the follow-up, its disputes, plans and collection cases: their own models and
    # methods decide them (with their rights checks), never a write on the invoice
    AR_SYSTEM_FIELDS = frozenset(
        {
            "ar_followup_history_ids",
            "ar_is_fee_invoice",
            "ar_dispute_ids",
            "ar_is_disputed",
            "ar_payment_plan_ids",
            "ar_in_payment_plan",
            "ar_collection_case_ids",
            "ar_in_collection",
            "ar_collection_case_id",
        }
    )

    ar_followup_state_ids = fields.One2many(
        "ar.followup.move.state",
        "move_id",
        string="Follow-up state",
        copy=False,
        groups=INTERNAL,
    )
    ar_followup_level_id = fields.Many2one(
        "ar.followup.level",
        string="Follow-up level",
        compute="_compute_ar_followup_state",
        compute_sudo=True,
        search="_search_ar_followup_level_id",
        help="The last follow-up level this invoice reached.",
        groups=INTERNAL,
    )
    ar_last_followup_date = fields.Date(
        string="Last follow-up",
        compute="_compute_ar_followup_state",
        compute_sudo=True,
        help="Date of the follow-up run in which the invoice reached its current level.",
        groups=INTERNAL,
    )
    ar_next_followup_date = fields.Date(
        string="Next follow-up",
        compute="_compute_ar_followup_state",
        compute_sudo=True,
        search="_search_ar_next_followup_date",
        help="Date from which the next follow-up level applies, as computed by the last run.",
        groups=INTERNAL,
    )
    ar_followup_excluded = fields.Boolean(
        string="Excluded from follow-up",
        copy=False,
        tracking=True,
        help="No reminder is sent for this invoice. With an end date, the exclusion lapses "
        "by itself after that date.",
        groups=INTERNAL,
    )
    ar_followup_excluded_until = fields.Date(
        string="Excluded until",
        copy=False,
        tracking=True,
        help="Last day of the exclusion; empty: excluded until switched off.",
        groups=INTERNAL,
    )
    ar_followup_history_ids = fields.Many2many(
        "ar.followup.history",
        "ar_followup_history_move_rel",
        "move_id",
        "history_id",
        string="Follow-up history",
        readonly=True,
        copy=False,
        groups=INTERNAL,
    )

    ar_is_fee_invoice = fields.Boolean(
        string="Collection costs invoice",
        readonly=True,
        copy=False,
        help="Created by the follow-up for collection costs and statutory interest.",
    )
    ar_dispute_ids = fields.Many2many(
        "ar.dispute",
        "ar_dispute_move_rel",
        "move_id",
        "dispute_id",
        string="Disputes",
        readonly=True,
        copy=False,
        groups=INTERNAL,
    )
    ar_is_disputed = fields.Boolean(
        string="Disputed",
        compute="_compute_ar_is_disputed",
        store=True,
        help="A dispute about this invoice is open: it is not chased until the dispute is closed.",
        groups=INTERNAL,
    )
    # the smart buttons of the invoice's claims (ar.claim.mixin): one count each
    ar_dispute_count = fields.Integer(compute="_compute_ar_claim_counts", groups=INTERNAL)
    ar_payment_plan_count = fields.Integer(
        string="Payment plan count", compute="_compute_ar_claim_counts", groups=INTERNAL
    )
    ar_collection_case_count = fields.Integer(
        string="Collection case count", compute="_compute_ar_claim_counts", groups=INTERNAL
    )

    @api.depends(
        "ar_followup_state_ids.level_id",
        "ar_followup_state_ids.last_date",
        "ar_followup_state_ids.next_date",
    )
    def _compute_ar_followup_state(self):
        for move in self:
            state = move.ar_followup_state_ids[:1]
            move.ar_followup_level_id = state.level_id
            move.ar_last_followup_date = state.last_date
            move.ar_next_followup_date = state.next_date

    def _search_ar_followup_level_id(self, operator_, value):
        return [("ar_followup_state_ids.level_id", operator_, value)]

    def _search_ar_next_followup_date(self, operator_, value):
        return [("ar_followup_state_ids.next_date", operator_, value)]

    @api.depends("ar_dispute_ids.is_open")
    def _compute_ar_is_disputed(self):
        for move in self:
            move.ar_is_disputed = any(d.is_open for d in move.ar_dispute_ids)

    @api.model
    def _ar_undisputed_ratio_sql(self, alias="m"):
        """SQL: the part of the open amount of the invoice ``alias`` that no open dispute
        covers, as a fraction (1: not disputed; 0: all of it). A dispute's amount is spread
        over its invoices by their open amounts; a dispute pauses the follow-up of what it
        disputes, not of the whole invoice."""
        move = SQL.identifier(alias)
        return SQL(
            """
            CASE WHEN %(move)s.ar_is_disputed IS TRUE THEN GREATEST(0, 1 - COALESCE((
                SELECT SUM(d.amount_disputed / NULLIF(t.total, 0))
                  FROM ar_dispute_move_rel r
                  JOIN ar_dispute d ON d.id = r.dispute_id AND d.state IN %(open)s
                 CROSS JOIN LATERAL (
                       SELECT SUM(dm.amount_residual) AS total
                         FROM ar_dispute_move_rel dr
                         JOIN account_move dm ON dm.id = dr.move_id
                        WHERE dr.dispute_id = d.id) t
                 WHERE r.move_id = %(move)s.id), 0)) ELSE 1 END
            """,
            move=move,
            open=OPEN_STATES,
        )

    def _ar_undisputed_residuals(self):
        """``{invoice: the part of its open amount (its currency) no open dispute covers}``,
        in one query."""
        if not self:
            return {}
        self.flush_model(["ar_is_disputed", "amount_residual"])
        self.env["ar.dispute"].flush_model(["state", "amount_disputed"])
        self.env.cr.execute(
            SQL(
                "SELECT m.id, %s FROM account_move m WHERE m.id = ANY(%s)",
                self._ar_undisputed_ratio_sql(),
                self.ids,
            )
        )
        ratios = dict(self.env.cr.fetchall())
        return {
            move: move.currency_id.round(move.amount_residual * float(ratios[move.id]))
            for move in self
        }

    @api.depends("ar_dispute_ids", "ar_payment_plan_ids", "ar_collection_case_ids")
    def _compute_ar_claim_counts(self):
        for move in self:
            move.ar_dispute_count = len(move.ar_dispute_ids)
            move.ar_payment_plan_count = len(move.ar_payment_plan_ids)
            move.ar_collection_case_count = len(move.ar_collection_case_ids)

    def action_ar_open_dispute(self):
        """'Dispute' on a customer invoice: a new dispute for it, or the open one."""
        self.ensure_one()
        open_dispute = self.ar_dispute_ids.filtered(lambda d: d.state in ("new", "in_progress"))
        action = {
            "type": "ir.actions.act_window",
            "res_model": "ar.dispute",
            "view_mode": "form",
            "target": "current",
        }
        if open_dispute:
            return {**action, "res_id": open_dispute[:1].id}
        return {
            **action,
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_move_ids": [fields.Command.set(self.ids)],
                "default_company_id": self.company_id.id,
            },
        }

    def action_ar_view_disputes(self):
        self.ensure_one()
        return self.ar_dispute_ids._get_records_action(name=self.env._("Disputes"))

    def action_ar_view_payment_plans(self):
        self.ensure_one()
        return self.ar_payment_plan_ids._get_records_action(name=self.env._("Payment plans"))

    def action_ar_view_collection_cases(self):
        self.ensure_one()
        return self.ar_collection_case_ids._get_records_action(name=self.env._("Collection cases"))

    ar_payment_plan_ids = fields.Many2many(
        "ar.payment.plan",
        "ar_payment_plan_move_rel",
        "move_id",
        "plan_id",
        string="Payment plans",
        readonly=True,
        copy=False,
        groups=INTERNAL,
    )
    ar_in_payment_plan = fields.Boolean(
        string="In a payment plan",
        compute="_compute_ar_in_payment_plan",
        store=True,
        help="An active payment plan covers this invoice: it is not chased while the plan is kept.",
        groups=INTERNAL,
    )

    @api.depends("ar_payment_plan_ids.state")
    def _compute_ar_in_payment_plan(self):
        for move in self:
            move.ar_in_payment_plan = any(p.state == "active" for p in move.ar_payment_plan_ids)

    ar_collection_case_ids = fields.Many2many(
        "ar.collection.case",
        "ar_collection_case_move_rel",
        "move_id",
        "case_id",
        string="Collection cases",
        readonly=True,
        copy=False,
        groups=INTERNAL,
    )
    ar_in_collection = fields.Boolean(
        string="Handed over",
        compute="_compute_ar_in_collection",
        store=True,
        help="Handed over to a collection agency, bailiff or lawyer: the follow-up leaves it "
        "alone while the case is open.",
        groups=INTERNAL,
    )

    @api.depends("ar_collection_case_ids.is_open")
    def _compute_ar_in_collection(self):
        for move in self:
            move.ar_in_collection = any(case.is_open for case in move.ar_collection_case_ids)

    ar_collection_case_id = fields.Many2one(
        "ar.collection.case",
        string="Entry of collection case",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The collection case whose remittance or write-off this entry posts.",
        groups=INTERNAL,
    )

    def button_draft(self):
        # the entries a case posted made its state: resetting one would leave the case wrong
        posted_by_case = self.sudo().filtered("ar_collection_case_id")
        if posted_by_case:
            raise UserError(
                self.env._(
                    "%(entries)s posted the remittance or write-off of %(cases)s: they cannot be "
                    "reset to draft. Correct them with a new entry.",
                    entries=", ".join(posted_by_case.mapped("name")),
                    cases=", ".join(posted_by_case.ar_collection_case_id.mapped("name")),
                )
            )
        return super().button_draft()

    def _ar_collection_agency(self):
        """The agency, bailiff or lawyer an open case handed the invoice to (empty: none);
        what the customer's portal names (read sudoed: the case is internal)."""
        self.ensure_one()
        return self.sudo().ar_collection_case_ids.filtered("is_open")[:1].agency_id

    def _ar_paid_otherwise(self):
        """Whether the invoice is paid otherwise than online now: handed over to an agency,
        which collects it (a bridge adds its own: being debited). No Pay Now, and the route
        that pays one invoice refuses it."""
        self.ensure_one()
        return bool(self.sudo().ar_in_collection)

    def _has_to_be_paid(self):
        # the portal's Pay Now
        return super()._has_to_be_paid() and not self._ar_paid_otherwise()

    def _post(self, soft=True):
        # Every reminder links each open invoice to its portal page: give customer invoices
        # their access token now, in the same write as the posting, rather than one by one
        # (or in a large update) when the first reminder is sent.
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            move._portal_ensure_token()
        return super()._post(soft=soft)

    @api.model
    def _ar_set_missing_portal_tokens(self, moves=None):
        """Access tokens, in one statement, for ``moves`` or (``None``, at install) every open
        customer invoice, when they have none: ``{move_id: token}`` of the tokens given."""
        scope = (
            SQL("id = ANY(%s)", moves.ids)
            if moves is not None
            else SQL("move_type = 'out_invoice' AND state = 'posted' AND amount_residual != 0")
        )
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET access_token = gen_random_uuid()::text "
                "WHERE %s AND access_token IS NULL RETURNING id, access_token",
                scope,
            )
        )
        tokens = dict(self.env.cr.fetchall())
        self.browse(tokens).invalidate_recordset(["access_token", "access_url"])
        return tokens

    @api.constrains("ar_followup_excluded", "ar_followup_excluded_until")
    def _check_ar_followup_excluded_until(self):
        for move in self:
            if move.ar_followup_excluded_until and not move.ar_followup_excluded:
                raise ValidationError(
                    self.env._(
                        "%(invoice)s: an exclusion end date needs the exclusion itself.",
                        invoice=self.display_name,
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._ar_check_system_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._ar_check_system_fields(vals)
        res = super().write(vals)
        if vals.get("state") == "posted":
            # posted by a write rather than ``_post``: the tokens every reminder links with
            untokened = self.filtered(lambda m: m.move_type == "out_invoice" and not m.access_token)
            if untokened:
                self._ar_set_missing_portal_tokens(untokened)
        return res

    @api.model
    def _ar_check_system_fields(self, vals):
        if not self.env.su and self.AR_SYSTEM_FIELDS & set(vals):
            raise AccessError(
                self.env._(
                    "The follow-up history, the disputes, payment plans and collection cases of "
                    "an invoice and the collection costs invoices are kept by the follow-up "
                    "itself: they cannot be changed on the invoice."
                )
            )
