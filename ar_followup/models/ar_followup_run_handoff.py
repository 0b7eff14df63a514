# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The run's hand-off step: a customer whose invoices reached a level marked *Hand off to an
agency* gets a draft collection case of its overdue invoices, for the credit-control manager
to hand over (an activity on the case); never a second one while one is draft or open."""

from odoo import Command, models

from .ar_collection_case import OPEN_CASE_STATES


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"  # pylint: disable=consider-merging-classes-inherited

    def _ar_step_handoff(self, batch):
        """Step *handoff*: the draft cases (:meth:`_ar_draft_cases`); no history line; the
        case is marked as created by the run."""
        self._ar_draft_cases(batch)
        return []

    def _ar_draft_cases(self, batch):
        """One draft case per customer that reached a hand-off level today (one search and
        one create a batch)."""
        wanted = {
            partner_id: [p.move_id for p in plans if p.due < self.date]
            for partner_id, plans in batch.plan.items()
            if any(p.new_level and p.new_level.handoff for p in plans)
        }
        if not wanted:
            return self.env["ar.collection.case"]
        Case = self.env["ar.collection.case"].sudo().with_company(self.company_id)
        busy = Case.search(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "in", list(wanted)),
                ("state", "in", ("draft", *OPEN_CASE_STATES)),
            ]
        ).partner_id
        agency = self.company_id.ar_default_agency_id
        cases = Case.create(
            [
                {
                    "partner_id": partner_id,
                    "company_id": self.company_id.id,
                    "agency_id": agency.id,
                    "move_ids": [Command.set(move_ids)],
                    "created_by_run": True,
                    "user_id": self.company_id._ar_credit_manager().id,
                }
                for partner_id, move_ids in wanted.items()
                if partner_id not in busy.ids and move_ids
            ]
        )
        for case in cases:
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.date,
                summary=self.env._("Hand the claim over, or cancel the case"),
                user_id=case.user_id.id or self.env.uid,
            )
        return cases
