# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The run's activities and credit holds: at most one open follow-up activity a customer and
activity type, for the collector or the credit-control manager; the hold of a hold level,
set before the reminders render (the final notice says whether the account is on hold)."""

import functools
from collections import defaultdict
from datetime import timedelta

from odoo import models
from odoo.tools import SQL, format_date


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"  # pylint: disable=consider-merging-classes-inherited

    def _ar_activity_note(self, level, moves, user):
        """The note of a follow-up activity, in the language of the user who gets it."""
        lang = user.lang or self.env.lang
        return (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render(
                "ar_followup.activity_note",
                {
                    "level": level.with_context(lang=lang),
                    "moves": moves,
                    "date": self.date,
                },
            )
        )

    def _ar_step_activity(self, batch):
        """Step *activity*: at most one open follow-up activity per customer and activity
        type; returns the values of their history lines (a skip line for a call without a
        phone number)."""
        wanted = [
            (partner, level)
            for partner in batch.partners
            for level in batch.actions[partner.id].activities
        ]
        if not wanted:
            return []
        open_activities = self._ar_open_activities(batch.partners)
        call = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        manager = functools.cache(self.company_id._ar_credit_manager)  # one search a batch
        vals_list, keys, history = [], [], []
        Account = self.env["ar.customer.account"]
        for partner, level in wanted:
            if (partner.id, level.activity_type_id.id) in open_activities:
                continue
            if level.activity_type_id == call and not Account._ar_phone(partner):
                history.append(
                    self._ar_history(
                        partner.id,
                        "skip",
                        level,
                        batch.actions[partner.id].moves,
                        note=lambda env: env._("No phone number for the call."),
                    )
                )
                continue
            vals_list.append(
                self._ar_activity_values(partner, level, batch.plan[partner.id], manager)
            )
            keys.append((partner.id, level))
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )
        for (partner_id, level), activity in zip(keys, activities, strict=True):
            batch.counts.activity += 1
            history.append(
                self._ar_history(
                    partner_id,
                    "activity",
                    level,
                    batch.actions[partner_id].moves,
                    activity_id=activity.id,
                )
            )
        return history

    def _ar_open_activities(self, partners):
        """``{(partner_id, activity_type_id)}`` of the follow-up activities still open."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT a.res_id, a.activity_type_id
                  FROM ar_followup_history h
                  JOIN mail_activity a ON a.id = h.activity_id
                 WHERE h.partner_id IN %s AND h.company_id = %s AND a.active
                """,
                tuple(partners.ids),
                self.company_id.id,
            )
        )
        return set(self.env.cr.fetchall())

    def _ar_activity_values(self, partner, level, plans, manager):
        """The activity of ``level`` for the customer: for its collector or the credit-control
        manager (``manager()``), in that user's language, about its overdue invoices (else
        all of them)."""
        if level.activity_responsible == "account_manager":
            user = self.env["ar.customer.account"]._ar_collector(partner, self.company_id)
        else:
            user = manager()
        Move = self.env["account.move"]
        overdue = Move.browse([p.move_id for p in plans if p.due < self.date]) or Move.browse(
            [p.move_id for p in plans]
        )
        translated = level.with_context(lang=user.lang or self.env.lang)
        return {
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": partner.id,
            "activity_type_id": level.activity_type_id.id,
            "summary": translated.activity_summary or translated.name,
            "note": self._ar_activity_note(level, overdue, user),
            "user_id": user.id,
            "date_deadline": self.date + timedelta(days=level.activity_deadline_days),
            "automated": True,
        }

    def _ar_step_prepayment(self, batch):
        """Step *prepayment*: nothing here; the sale bridge asks for prepayment."""
        return []

    def _ar_step_hold(self, batch):
        """Step *hold*: credit hold for the customers that reached a hold level (one write
        per level), on the run's date; returns the values of their history lines."""
        by_level = defaultdict(lambda: batch.partners.browse())
        for partner in batch.partners:
            hold = batch.actions[partner.id].hold
            if hold and not partner.ar_credit_hold:
                by_level[hold] |= partner
        history = []
        for level, level_partners in by_level.items():

            def reason(env, level=level):
                return env._(
                    "Follow-up level %(level)s reached on %(date)s",
                    level=level.with_env(env).name,
                    date=format_date(env, self.date),
                )

            accounts = self.env["ar.customer.account"]._ar_of(level_partners)
            history += accounts._ar_set_credit_hold(
                reason,
                self.date,
                origin="followup",
                level=level,
                run=self,
                moves={p.id: batch.actions[p.id].moves for p in level_partners},
            )
        batch.counts.hold += len(history)
        return history
