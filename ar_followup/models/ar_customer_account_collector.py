# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Who and what follows a customer up in a company: its follow-up policy (its own, else the
company's default), its collector (the follow-up responsible, else the salesperson, else the
company's credit-control manager) and the phone a call can use. The one answer to "which
policy" and "who" for the run, the preview, calls, disputes, payment plans, promises, the
worklist and the aging."""

from datetime import timedelta

from odoo import api, fields, models

from ..tools import ladder as ladder_rule


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _ar_policy_of(self, customer, company=None):
        """The follow-up policy of ``customer`` in ``company`` (default: the current one):
        its own while active and of that company, else the company's default."""
        company = company or self.env.company
        policy = customer.commercial_partner_id.with_company(company).ar_followup_policy_id
        if not policy.active or policy.company_id != company:
            return company.ar_default_policy_id
        return policy

    @api.model
    def _ar_call_levels_reached(self, customers):
        """The customers whose policy has a call level that their oldest overdue item has
        reached."""
        call = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        date = fields.Date.context_today(self)
        figures = self._ar_receivables_of(customers.commercial_partner_id.ids, self.env.company)
        reached = customers.browse()
        for partner in customers:
            levels = self._ar_policy_of(partner).level_ids.filtered("active")
            ladder = [(lvl.delay, lvl) for lvl in levels.sorted(lambda lvl: (lvl.delay, lvl.id))]
            calls = [d for d, lvl in ladder if lvl.create_activity and lvl.activity_type_id == call]
            row = figures.get(partner.commercial_partner_id.id)
            oldest_due = date - timedelta(days=row.oldest_days if row else 0)
            delay = ladder_rule.reached_delay(ladder, oldest_due, date)
            if calls and delay is not None and delay >= min(calls):
                reached |= partner
        return reached

    @api.model
    def _ar_collector(self, customer, company=None):
        """Who is responsible for the follow-up of ``customer`` in ``company`` (default: the
        current one): its follow-up responsible, else its salesperson, else the company's
        credit-control manager; only active internal users."""
        customer.ensure_one()
        return self._ar_collectors(customer, company)[customer.id]

    @api.model
    def _ar_collectors(self, customers, company=None):
        """``{partner id: collector}`` (see :meth:`_ar_collector`) for ``customers``, the
        company's credit-control manager looked up once."""
        company = company or self.env.company
        manager = None
        result = {}
        for partner in customers:
            commercial = partner.commercial_partner_id.with_company(company).sudo()
            for user in (commercial.ar_followup_responsible_id, commercial.user_id):
                if user and user.active and not user.share and company in user.company_ids:
                    result[partner.id] = user
                    break
            else:
                manager = manager or company._ar_credit_manager()
                result[partner.id] = manager
        return result

    @api.model
    def _ar_collector_domain(self, user):
        """The partner domain of the customers assigned to ``user`` as their collector: their
        follow-up responsible, else their salesperson."""
        return [
            "|",
            ("ar_followup_responsible_id", "=", user.id),
            "&",
            ("ar_followup_responsible_id", "=", False),
            ("user_id", "=", user.id),
        ]

    @api.model
    def _ar_phone(self, customer):
        """The phone number a follow-up call can use: the customer's, else an invoice
        contact's."""
        customer.ensure_one()
        contacts = customer | customer.child_ids.filtered(lambda c: c.type == "invoice")
        return next((c.phone or c.mobile for c in contacts if c.phone or c.mobile), False)
