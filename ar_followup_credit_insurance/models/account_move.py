# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""An insured invoice and its insurer's deadlines, counted from its due date (a payment plan
or a promise does not move them): when deliveries must stop, when it must be reported, when
claimed. What was done (reported, claimed, a deadline missed) is recorded
by the system only: a client may not write it."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.ar_followup.models.res_partner import ACCOUNT_GROUPS

UNINSURED_REASONS = [
    ("notification", "Not reported in time"),
    ("claim", "Not claimed in time"),
]
SYSTEM_FIELDS = {
    # the deadlines, computed from the insurer's terms
    "ar_insurer_stop_date",
    "ar_insurer_notify_deadline",
    "ar_insurer_claim_deadline",
    "ar_insurer_notified_date",
    "ar_insurer_claim_date",
    "ar_insurer_case_id",
    "ar_insurer_uninsured",
    "ar_insurer_warned",
}


# OCA's insurance of an invoice: whether it is insured and by whom; once posted, the
# credit-control manager's (taken off, the insurer's deadlines and hold go with it)
INSURANCE_FIELDS = {
    "insured_with_credit_policy",
    "credit_policy_company_id",
    "credit_policy_state_id",
}


class AccountMove(models.Model):
    _inherit = "account.move"

    ar_insurer_stop_date = fields.Date(
        string="Deliveries stop after",
        compute="_compute_ar_insurer_dates",
        store=True,
        index="btree_not_null",
        help="The end of the insurer's maximum credit period: unpaid after it, the customer "
        "is put on credit hold.",
        groups=ACCOUNT_GROUPS,
    )
    ar_insurer_notify_deadline = fields.Date(
        string="Report to the insurer by",
        compute="_compute_ar_insurer_dates",
        store=True,
        index="btree_not_null",
        help="Unpaid, the invoice must be reported to the insurer by this date, else it is "
        "not insured.",
        groups=ACCOUNT_GROUPS,
    )
    ar_insurer_claim_deadline = fields.Date(
        string="Claim by",
        compute="_compute_ar_insurer_dates",
        store=True,
        help="Reported and still unpaid, the invoice must be claimed by this date.",
        groups=ACCOUNT_GROUPS,
    )
    ar_insurer_notified_date = fields.Date(
        string="Reported to the insurer on",
        readonly=True,
        copy=False,
        groups=ACCOUNT_GROUPS,
    )
    ar_insurer_claim_date = fields.Date(
        string="Claimed on",
        readonly=True,
        copy=False,
        groups=ACCOUNT_GROUPS,
    )
    ar_insurer_case_id = fields.Many2one(
        "ar.collection.case",
        string="Claim",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=ACCOUNT_GROUPS,
    )
    ar_insurer_uninsured = fields.Selection(
        UNINSURED_REASONS,
        string="Uninsured",
        readonly=True,
        copy=False,
        help="A deadline of the insurer's policy was missed: the invoice is no longer covered.",
        groups=ACCOUNT_GROUPS,
    )
    ar_insurer_warned = fields.Selection(
        [("notification", "Notification"), ("claim", "Claim")],
        string="Deadline activity for",
        readonly=True,
        copy=False,
        help="The deadline the credit-control manager last got an activity for (once each).",
        groups=ACCOUNT_GROUPS,
    )

    @api.depends(
        "credit_policy_company_id.ar_max_credit_days",
        "credit_policy_company_id.ar_notification_days",
        "credit_policy_company_id.ar_claim_days",
        "invoice_date_due",
        "state",
        "move_type",
    )
    def _compute_ar_insurer_dates(self):
        for move in self:
            insurer = move.credit_policy_company_id
            due = move.invoice_date_due
            if not (insurer and move.move_type == "out_invoice" and move.state == "posted"):
                due = False

            def after(days, due=due):
                return due + timedelta(days=days) if due and days else False

            move.ar_insurer_stop_date = after(insurer.ar_max_credit_days)
            move.ar_insurer_notify_deadline = after(insurer.ar_notification_days)
            move.ar_insurer_claim_deadline = after(insurer.ar_claim_days)

    def _ar_check_insurance_write(self):
        posted = self.filtered(lambda m: m.state == "posted")
        if posted and not self.env.user.has_group("ar_followup.group_ar_manager"):
            raise AccessError(
                self.env._(
                    "Only a credit-control manager can change the credit insurance of a posted "
                    "invoice (%(invoices)s).",
                    invoices=", ".join(posted.mapped("name")),
                )
            )

    def _ar_insurer_record(self, vals):
        """Record what was done with the insurer (``SYSTEM_FIELDS``) on these invoices, as the
        system: Odoo's write of an invoice reads the taxes of its lines to keep its tax lines
        in step, one query per invoice unless they are read for all of them first."""
        moves = self.sudo()
        moves.line_ids.tax_ids  # noqa: B018 (prefetched for Odoo's write, in one query)
        moves.write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(SYSTEM_FIELDS.intersection(vals) for vals in vals_list):
            raise AccessError(
                self.env._(
                    "What was reported or claimed from the insurer is recorded by its actions."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and INSURANCE_FIELDS.intersection(vals):
            self._ar_check_insurance_write()
        if not self.env.su and SYSTEM_FIELDS.intersection(vals):
            raise AccessError(
                self.env._(
                    "What was reported or claimed from the insurer is recorded by its actions."
                )
            )
        return super().write(vals)
