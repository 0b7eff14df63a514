# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit insurer (OCA's ``credit.policy.company``) with its policy's deadlines: the
maximum credit period (deliveries stop), the notification deadline (an unpaid invoice is
reported) and the claim deadline, each counted in days from the invoice's due date.
Insurer data are the credit-control manager's (OCA lets every billing user change them)."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

DEADLINE_FIELDS = ("ar_max_credit_days", "ar_notification_days", "ar_claim_days")


def check_credit_manager(env, model_name):
    """Insurer data (insurers, policy states, a customer's insurance) are changed by a
    credit-control manager only, whatever the client sends (the system itself may)."""
    if env.su or env.user.has_group("ar_followup.group_ar_manager"):
        return
    raise AccessError(
        env._(
            "Only a credit-control manager can change credit insurance data (%(model)s).",
            model=env[model_name]._description,
        )
    )


class CreditPolicyCompany(models.Model):
    _inherit = "credit.policy.company"

    ar_max_credit_days = fields.Integer(
        string="Maximum credit period (days)",
        help="Days after the due date after which the policy wants deliveries to stop: the "
        "follow-up run puts the customer on credit hold (origin: insurer) and lifts it when "
        "no invoice is past it any more. 0: no maximum.",
    )
    ar_notification_days = fields.Integer(
        string="Notification deadline (days)",
        help="Days after the due date by which an unpaid invoice must be reported to "
        "the insurer; one not reported in time is flagged as uninsured. 0: nothing to report.",
    )
    ar_claim_days = fields.Integer(
        string="Claim deadline (days)",
        help="Days after the due date by which a reported invoice must be claimed; "
        "one not claimed in time is flagged as uninsured. 0: no deadline.",
    )
    ar_warning_days = fields.Integer(
        string="Warn ahead (days)",
        default=7,
        help="The credit-control manager gets an activity this many days before a "
        "notification or claim deadline.",
    )

    ar_export_count = fields.Integer(
        string="Exports",
        compute="_compute_ar_export_count",
        help="The notification exports (CSV) made for this insurer, kept on it.",
    )

    def _ar_exports_domain(self):
        # what action_ar_insurer_export keeps on the insurer (its name is in the language
        # of the user who exported)
        return [("res_model", "=", self._name), ("mimetype", "=", "text/csv")]

    def _compute_ar_export_count(self):
        counts = dict(
            self.env["ir.attachment"]._read_group(
                [*self._ar_exports_domain(), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for insurer in self:
            insurer.ar_export_count = counts.get(insurer.id, 0)

    def action_ar_open_exports(self):
        """The notification exports kept on this insurer, newest first."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Exports for %(insurer)s", insurer=self.display_name),
            "res_model": "ir.attachment",
            "view_mode": "list,form",
            "views": [
                (
                    self.env.ref("ar_followup_credit_insurance.ir_attachment_view_list_exports").id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": [*self._ar_exports_domain(), ("res_id", "=", self.id)],
            "context": {"create": False},
        }

    @api.constrains(*DEADLINE_FIELDS, "ar_warning_days")
    def _check_ar_days(self):
        for insurer in self:
            for fname in (*DEADLINE_FIELDS, "ar_warning_days"):
                if insurer[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(insurer)s cannot be negative.",
                            field=self._fields[fname]._description_string(self.env),
                            insurer=insurer.display_name,
                        )
                    )
            notify, claim = insurer.ar_notification_days, insurer.ar_claim_days
            if notify and claim and claim < notify:
                raise ValidationError(
                    self.env._(
                        "The claim deadline of %(insurer)s (%(claim)s days) comes before its "
                        "notification deadline (%(notify)s days).",
                        insurer=insurer.display_name,
                        claim=claim,
                        notify=notify,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_credit_manager(self.env, self._name)
        return super().create(vals_list)

    def write(self, vals):
        check_credit_manager(self.env, self._name)
        return super().write(vals)

    def unlink(self):
        check_credit_manager(self.env, self._name)
        return super().unlink()
