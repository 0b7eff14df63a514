# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ar_credit_policy = fields.Selection(
        related="company_id.ar_credit_policy", readonly=False, required=True
    )
    ar_credit_manager_ids = fields.Many2many(
        "res.users",
        string="Credit-control managers",
        compute="_compute_ar_credit_manager_ids",
        help="Who go ahead despite a credit hold or a blocked credit limit (with a reason, "
        "kept in the document's chatter), and change credit limits and holds: the users of "
        "the group Credit control: manager, which accounting administrators are in.",
    )
    ar_costs_b2b = fields.Selection(related="company_id.ar_costs_b2b", readonly=False)
    ar_costs_b2b_fixed = fields.Monetary(
        related="company_id.ar_costs_b2b_fixed", readonly=False, currency_field="currency_id"
    )
    ar_costs_add_vat = fields.Boolean(related="company_id.ar_costs_add_vat", readonly=False)
    ar_consumer_fatal_term = fields.Boolean(
        related="company_id.ar_consumer_fatal_term", readonly=False
    )
    ar_fee_product_id = fields.Many2one(related="company_id.ar_fee_product_id", readonly=False)
    ar_fee_journal_id = fields.Many2one(related="company_id.ar_fee_journal_id", readonly=False)
    ar_fee_min_amount = fields.Monetary(related="company_id.ar_fee_min_amount", readonly=False)
    ar_interest_regime = fields.Selection(related="company_id.ar_interest_regime", readonly=False)
    ar_dispute_days_quality = fields.Integer(
        related="company_id.ar_dispute_days_quality", readonly=False
    )
    ar_dispute_days_delivery = fields.Integer(
        related="company_id.ar_dispute_days_delivery", readonly=False
    )
    ar_dispute_days_pricing = fields.Integer(
        related="company_id.ar_dispute_days_pricing", readonly=False
    )
    ar_dispute_days_not_received = fields.Integer(
        related="company_id.ar_dispute_days_not_received", readonly=False
    )
    ar_dispute_days_other = fields.Integer(
        related="company_id.ar_dispute_days_other", readonly=False
    )
    ar_plan_max_instalments = fields.Integer(
        related="company_id.ar_plan_max_instalments", readonly=False
    )
    ar_plan_start_days = fields.Integer(related="company_id.ar_plan_start_days", readonly=False)
    ar_plan_min_instalment = fields.Monetary(
        related="company_id.ar_plan_min_instalment", readonly=False
    )
    ar_plan_grace_days = fields.Integer(related="company_id.ar_plan_grace_days", readonly=False)
    ar_plan_reminder_days = fields.Integer(
        related="company_id.ar_plan_reminder_days", readonly=False
    )
    ar_promise_horizon_days = fields.Integer(
        related="company_id.ar_promise_horizon_days", readonly=False
    )
    ar_reply_pause_days = fields.Integer(related="company_id.ar_reply_pause_days", readonly=False)
    ar_bank_feed_days = fields.Integer(related="company_id.ar_bank_feed_days", readonly=False)
    ar_bank_feed_hold = fields.Boolean(related="company_id.ar_bank_feed_hold", readonly=False)
    ar_bank_feed_newest = fields.Date(
        string="Newest bank statement line",
        compute="_compute_ar_bank_feed_newest",
        help="Payments by transfer reach the follow-up through bank statements: the newest "
        "line of the company's bank journals.",
    )
    ar_promise_grace_days = fields.Integer(
        related="company_id.ar_promise_grace_days", readonly=False
    )
    ar_statement_link_days = fields.Integer(
        related="company_id.ar_statement_link_days", readonly=False
    )
    ar_followup_grace_days = fields.Integer(
        related="company_id.ar_followup_grace_days", readonly=False
    )
    ar_default_agency_id = fields.Many2one(
        related="company_id.ar_default_agency_id", readonly=False
    )
    ar_agency_expense_account_id = fields.Many2one(
        related="company_id.ar_agency_expense_account_id", readonly=False
    )
    ar_bad_debt_account_id = fields.Many2one(
        related="company_id.ar_bad_debt_account_id", readonly=False
    )

    @api.depends("company_id")
    def _compute_ar_credit_manager_ids(self):
        group = self.env.ref("ar_followup.group_ar_manager")
        for settings in self:
            settings.ar_credit_manager_ids = (
                self.env["res.users"]
                .sudo()
                .search(
                    [
                        ("groups_id", "in", group.id),
                        ("share", "=", False),
                        ("company_ids", "in", settings.company_id.id),
                        ("id", "!=", self.env.ref("base.user_root").id),
                    ]
                )
            )

    @api.depends("company_id")
    def _compute_ar_bank_feed_newest(self):
        for settings in self:
            run = self.env["ar.followup.run"].sudo().new({"company_id": settings.company_id.id})
            settings.ar_bank_feed_newest = run._ar_bank_feed()[0]
