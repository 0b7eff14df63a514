# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The plan of a run: the candidate invoices and the level each one reaches today.

One SQL query selects every candidate invoice of the company with its current level, one
query sums the customers' open credits, one reads what their reminders so far allow; the
policies are read once; the next level of every invoice is then decided in memory, by the
level rule of :mod:`..tools.ladder` (DESIGN.md semantics 1 and 2).
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL, float_compare

from ..tools import ladder as ladder_rule
from ..tools.rows import InvoicePlan


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"  # pylint: disable=consider-merging-classes-inherited

    def _ar_open_credits(self, partner_ids):
        """Per commercial partner, the open credits on receivable accounts (credit notes and
        payments not yet matched with an invoice), negative, in company currency."""
        if not partner_ids:
            return {}
        figures = self.env["ar.followup.statement"]._ar_receivable_figures(
            self.date, self.company_id, partner_ids
        )
        return {pid: row.credits for pid, row in figures.items()}

    def _ar_reminder_status(self, partner_ids):
        """Per customer, what its reminders so far allow (DESIGN.md semantics 3), in one query:
        ``{partner_id: (tone, reminded_today, toned)}``: the largest delay of the levels of
        the reminders sent or queued for invoices that are still open (a reminder is never
        of a lower level), whether a reminder was sent or queued on the run's date (at most
        one a day), and the ids of the open invoices the reminders of that level listed (a
        reminder of the same level is not sent again for them alone). Reminders that were
        not delivered do not count, nor those about invoices now handed over to an agency
        (out of the ladder)."""
        if not partner_ids:
            return {}
        self.env["ar.followup.history"].flush_model()
        self.env["account.move"].flush_model(["ar_in_collection"])
        self.env.cr.execute(
            SQL(
                """
                SELECT h.partner_id, l.delay, BOOL_OR(h.date = %(date)s),
                       ARRAY_AGG(DISTINCT m.id) FILTER (WHERE m.id IS NOT NULL)
                  FROM ar_followup_history h
                  JOIN ar_followup_level l ON l.id = h.level_id
             LEFT JOIN ar_followup_history_move_rel r ON r.history_id = h.id
             LEFT JOIN account_move m ON m.id = r.move_id AND m.state = 'posted'
                       AND m.amount_residual > 0 AND m.ar_in_collection IS NOT TRUE
                 WHERE h.company_id = %(company)s AND h.partner_id = ANY(%(partners)s)
                   AND h.channel IN ('email', 'letter')
                   AND h.delivery_state IN ('queued', 'sent')
                 GROUP BY h.partner_id, l.delay
                """,
                date=self.date,
                company=self.company_id.id,
                partners=list(partner_ids),
            )
        )
        status = {}
        for pid, delay, today, move_ids in self.env.cr.fetchall():
            tone, reminded_today, toned = status.get(pid, (None, False, frozenset()))
            if move_ids and (tone is None or delay > tone):
                tone, toned = delay, frozenset(move_ids)
            status[pid] = (tone, reminded_today or today, toned)
        return status

    @api.model
    def _ar_next_level(self, levels, current, due, date):
        """The level that follows ``current`` for an invoice due on ``due``, seen at ``date``:
        the first level with a larger delay; levels with a negative delay only while the
        invoice is not yet due."""
        ladder = [(level.delay, level) for level in levels]
        return ladder_rule.next_step(ladder, current.delay if current else None, date > due)[1]

    def _ar_plan(self, partner_ids=None, force=False):
        """Decide, for every candidate invoice, whether it reaches a level in this run.

        :returns: ``{partner_id: [InvoicePlan]}`` for every partner with candidates
        """
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(self._ar_candidate_query(partner_ids))
        by_partner = defaultdict(list)
        for row in self.env.cr.fetchall():
            by_partner[row[1]].append(InvoicePlan(*row))
        if not by_partner:
            return {}
        partners = self.env["res.partner"].with_company(self.company_id).browse(list(by_partner))
        levels_by_partner = self._ar_policy_levels(partners)
        current_levels = (
            self.env["ar.followup.level"]
            .with_context(active_test=False)
            .browse({p.level_id for plans in by_partner.values() for p in plans if p.level_id})
        )
        current_levels.fetch(["delay"])
        credits = self._ar_open_credits(list(by_partner))
        status = self._ar_reminder_status(list(by_partner))
        # the ladders and the delays as plain values: the plan sees every open invoice
        delays = {level.id: level.delay for level in current_levels}
        # the customers who replied wait for an answer (a pause that lapsed resumes, once)
        Reply = self.env["ar.followup.reply"]
        self.env["ar.followup.history"]._ar_record(
            Reply._ar_lapse(self.company_id, self.date, run=self)
        )
        replied = Reply._ar_paused(self.company_id, self.date, list(by_partner))
        ladders = {}
        for partner in partners:
            if (
                partner.ar_followup_paused_until and partner.ar_followup_paused_until >= self.date
            ) or partner.id in replied:
                del by_partner[partner.id]
                continue
            levels = levels_by_partner[partner.id]
            if levels not in ladders:
                ladders[levels] = [(level.delay, level) for level in levels]
            tone, reminded_today, toned = status.get(partner.id, (None, False, frozenset()))
            for plan in by_partner[partner.id]:
                plan.toned = plan.move_id in toned
            self._ar_plan_partner(
                by_partner[partner.id],
                ladders[levels],
                delays,
                credits.get(partner.id, 0.0),
                tone,
                reminded_today,
                force,
            )
        return dict(by_partner)

    def _ar_plan_partner(self, plans, ladder, delays, credit, tone, reminded_today, force):
        """The level each invoice of one customer reaches today (``plans``, its
        :class:`InvoicePlan`), and the date from which the following one applies."""
        date = self.date
        tomorrow = date + timedelta(days=1)
        rounding = self.company_id.currency_id.rounding
        net_open = sum(p.residual for p in plans) + credit
        net_overdue = sum(p.residual for p in plans if p.due < date) + credit
        enough = {}  # level -> whether the customer's amount reaches its minimum
        for plan in plans:
            plan.tone = tone  # the batch's actions read it: the status is read once
            current = delays.get(plan.level_id) if plan.level_id else None
            overdue = date > plan.due
            late_issue = (plan.due - plan.invoice_date).days if plan.invoice_date else None
            delay, level = ladder_rule.next_step(ladder, current, overdue, late_issue)
            if level is None:
                continue
            reach = ladder_rule.reach_date(plan.due, delay, current, plan.last_date)
            grace = plan.resume_date and plan.resume_date > date
            if plan.resume_date and plan.resume_date > reach:
                reach = plan.resume_date  # grace period after a dispute or a plan
            forced = force and overdue and delay >= 0 and plan.last_date != date
            if reach > date and (grace or not forced):
                plan.next_date = reach
                continue
            if plan.pending:
                # the reminder of its current level has not reached the customer yet: the
                # ladder does not move on before it has
                plan.next_date = tomorrow
                continue
            if reminded_today and level.send_email and (tone is None or delay >= tone):
                plan.next_date = tomorrow  # one reminder a customer a day
                continue
            if level not in enough:
                basis = net_overdue if delay > 0 else net_open
                enough[level] = float_compare(basis, 0.0, precision_rounding=rounding) > 0 and (
                    float_compare(basis, level.min_overdue_amount, precision_rounding=rounding) >= 0
                )
            if not enough[level]:
                continue  # below the level's minimum: waits for more to be overdue
            plan.new_level = level
            following_delay, following = ladder_rule.next_step(ladder, delay, overdue, late_issue)
            if following is not None:
                plan.next_date = ladder_rule.reach_date(plan.due, following_delay, delay, date)
        self._ar_hold_back_petty_fees(plans)

    def _ar_hold_back_petty_fees(self, plans):
        """Fee invoices go with the customer's other invoices: when none of those reaches a
        level today, fee invoices whose open total is below the company's smallest fee
        invoice (or the level's minimum) reach none by themselves (a 0.25 EUR interest
        invoice never gets a 14-day letter of its own)."""
        fees = [p for p in plans if p.fee_invoice and p.new_level]
        if not fees or any(p.new_level for p in plans if not p.fee_invoice):
            return
        company = self.company_id
        total = sum(p.residual for p in plans if p.fee_invoice and p.due < self.date)
        for plan in fees:
            floor = max(company.ar_fee_min_amount, plan.new_level.min_overdue_amount)
            if company.currency_id.compare_amounts(total, floor) < 0:
                plan.new_level = None
                plan.next_date = None
