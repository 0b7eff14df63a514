# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The end of a run, after its last batch: the next dates of the invoices that reached
nothing, the customers' status, the holds released. A bridge that runs the batches as jobs
does the invoices' part when it plans and the rest when its last job is done."""

from odoo import models
from odoo.tools import SQL, split_every


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"  # pylint: disable=consider-merging-classes-inherited

    def _ar_finish(self, plan, executed, partners):
        """After the last batch: the next dates of the invoices that reached nothing, the
        customers' status, the holds that nothing overdue justifies any more, all as of the
        run's date.

        :param plan: ``None`` when the invoices' part was done already
            (:meth:`_ar_finish_invoices`, by a bridge that runs the batches as jobs)
        """
        if plan is not None:
            self._ar_finish_invoices(plan, executed, partners)
        self.env["ar.followup.move.state"]._ar_refresh_partners(self.company_id, partners)
        self.env["ar.customer.account"].with_company(self.company_id)._ar_release_settled_holds(
            self.date, partners.ids if partners is not None else None
        )
        self.state = "done"

    def _ar_finish_invoices(self, plan, executed, partners):
        """The next dates of the invoices of ``plan`` whose customers are not in
        ``executed``, and none for the invoices that are no candidates any more."""
        waiting = [p for pid, plans in plan.items() if pid not in executed for p in plans]
        for chunk in split_every(5000, waiting, list):
            self._ar_write_invoices(chunk)
        self._ar_clear_next_dates(plan, partners)

    def _ar_clear_next_dates(self, plan, partners=None):
        """Clear the next date of the invoices that are no candidates of ``plan`` any more,
        in one statement."""
        self.ensure_one()
        self.env["ar.followup.move.state"].flush_model()
        company_id = self.company_id.id
        candidate_ids = [p.move_id for plans in plan.values() for p in plans]
        partner_filter = SQL()
        if partners is not None:
            partner_filter = SQL("AND m.commercial_partner_id IN %s", tuple(partners.ids) or (0,))
        self.env.cr.execute(
            SQL(
                """
                UPDATE ar_followup_move_state s SET next_date = NULL
                  FROM account_move m
                 WHERE m.id = s.move_id AND m.company_id = %s AND s.next_date IS NOT NULL
                   AND NOT (m.id = ANY(%s)) %s
                """,
                company_id,
                candidate_ids,
                partner_filter,
            )
        )
