# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The run's prepayment step: a customer that reached a level asking for prepayment pays in
advance from now on (after the credit hold, before the reminders; never less than it pays
now); at the end of the run the new customers that have paid enough invoices on time no
longer do."""

from collections import defaultdict

from odoo import models
from odoo.tools import format_date


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"

    def _ar_step_prepayment(self, batch):
        history = super()._ar_step_prepayment(batch)
        by_level = defaultdict(lambda: batch.partners.browse())
        for partner in batch.partners:
            levels = [
                p.new_level
                for p in batch.plan.get(partner.id, ())
                if p.new_level and p.new_level.ar_prepayment
            ]
            if not levels:
                continue
            level = max(levels, key=lambda level: level.delay)
            # the run only ever asks for more: never less than what the customer pays now
            if not (
                partner.ar_account_id.prepayment_required
                and partner.ar_account_id.prepayment_percent >= level.ar_prepayment_percent
            ):
                by_level[level] |= partner
        for level, partners in by_level.items():
            accounts = self.env["ar.customer.account"]._ar_of(partners)
            history += accounts._ar_set_prepayment(
                level.ar_prepayment_percent,
                lambda env, level=level: env._(
                    "Follow-up level %(level)s reached on %(date)s",
                    level=level.with_env(env).name,
                    date=format_date(env, self.date),
                ),
                self.date,
                origin="followup",
                level=level,
                run=self,
                moves={p.id: batch.actions[p.id].moves for p in partners},
            )
        return history

    def _ar_finish(self, plan, executed, partners):
        res = super()._ar_finish(plan, executed, partners)
        Account = self.env["ar.customer.account"].with_company(self.company_id)
        Account._ar_lift_new_customer_prepayments(self.date)
        return res
