# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The escalation activity of the ladder's last level ("decide on the hand-off") offers the
credit-control manager *Hand off to agency* in the chatter and the activity lists; the hand-over
of the case marks it done."""

from odoo import api, fields, models

from .ar_collection_case import MANAGER

ESCALATION = "ar_followup.mail_activity_type_escalation"


class MailActivity(models.Model):
    _inherit = "mail.activity"

    ar_can_hand_off = fields.Boolean(
        string="Can be handed off",
        compute="_compute_ar_can_hand_off",
        help="A collection escalation on a customer, seen by a credit-control manager: the "
        "activity offers Hand off to agency.",
    )

    @api.depends_context("uid")
    @api.depends("activity_type_id", "res_model")
    def _compute_ar_can_hand_off(self):
        escalation = self.env.ref(ESCALATION, raise_if_not_found=False)
        manager = self.env.user.has_group(MANAGER)
        for activity in self:
            activity.ar_can_hand_off = bool(
                manager
                and escalation
                and activity.activity_type_id == escalation
                and activity.res_model == "res.partner"
            )

    def action_ar_hand_off(self):
        """The customer's collection case (a draft one if it has it, else a new one with its
        overdue invoices), opened from the escalation activity."""
        self.ensure_one()
        partner = self.env["res.partner"].browse(self.res_id)
        if self.res_model != "res.partner" or not partner.exists():
            return False
        return self.env["ar.customer.account"]._ar_hand_off(partner)

    def _ar_done_by_handover(self, case):
        """Marks done what asked for the hand-over: the customer's open escalation activities,
        the case's to-do (the run's "hand the claim over") and the ladder's activities (calls)
        about the case's invoices only, their feedback naming the case and the agency (a
        message in the customer's and the case's chatter)."""
        escalation = self.env.ref(ESCALATION, raise_if_not_found=False)
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        domain = [
            "&",
            "&",
            ("res_model", "=", "ar.collection.case"),
            ("res_id", "=", case.id),
            ("activity_type_id", "=", todo.id if todo else False),
        ]
        if escalation:
            domain = [
                "|",
                "&",
                "&",
                ("res_model", "=", "res.partner"),
                ("res_id", "=", case.partner_id.id),
                ("activity_type_id", "=", escalation.id),
                *domain,
            ]
        activities = self.sudo().search(domain)
        # the ladder's other activities (calls) about these invoices only: the agency has them
        history = (
            self.env["ar.followup.history"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", case.partner_id.id),
                    ("company_id", "=", case.company_id.id),
                    ("activity_id", "!=", False),
                    ("move_ids", "in", case.move_ids.ids),
                ]
            )
        )
        activities |= history.filtered(
            lambda line: line.activity_id.active and not (line.move_ids - case.move_ids)
        ).activity_id
        if activities:
            activities.action_feedback(
                feedback=self.env._(
                    "Handed over to %(agency)s in %(case)s.",
                    agency=case.agency_id.display_name,
                    case=case.name,
                )
            )
        return activities
