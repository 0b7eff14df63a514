# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Who may run the follow-up, and for which day: billing users and above run today's; another
day is a credit-control manager's (or the server's own, as the superuser: the demo's replay),
and a run never goes back before the day the company's follow-up last ran. A client over
JSON-RPC gets no further: costs, interest, holds and the 14-day terms count from the run's
day, so a run for another day is a credit decision."""

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from .ar_credit_override import is_credit_manager, server_today


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _ar_check_run_right(self):
        """Who may run the follow-up (and see its dry run): billing users and above."""
        if self.env.su or self.env.user.has_group("account.group_account_invoice"):
            return
        raise AccessError(
            self.env._("Only billing users and credit controllers can run the follow-up.")
        )

    @api.model
    def _ar_today(self):
        """Today as the scheduled action counts it (in the time zone of OdooBot, whose
        action it is), not in the time zone a client sends in its context: a run's day is a
        credit decision."""
        return server_today(self.env)

    @api.model
    def _ar_check_run_date(self, date, today):
        """Which day a run may be for: today; another day only for a credit-control manager
        (or the server itself, as the superuser), and never before the day the company's
        follow-up last ran: costs, interest, holds and the 14-day terms count from the run's
        day, and the ladder only goes forward."""
        if date != today and not self.env.su and not is_credit_manager(self.env.user):
            raise AccessError(
                self.env._(
                    "The follow-up runs for today (%(today)s); only a credit-control manager "
                    "runs it for another day.",
                    today=format_date(self.env, today),
                )
            )
        last = self._ar_last_run_date()
        if last and date < last:
            raise UserError(
                self.env._(
                    "The follow-up of %(company)s ran for %(last)s already: a run never goes "
                    "back before it (%(date)s).",
                    company=self.env.company.name,
                    last=format_date(self.env, last),
                    date=format_date(self.env, date),
                )
            )

    @api.model
    def _ar_last_run_date(self):
        """The day the current company's follow-up last ran for (any run), else ``None``."""
        last = (
            self.sudo()
            .search([("company_id", "=", self.env.company.id)], order="date desc", limit=1)
            .date
        )
        return last or None
