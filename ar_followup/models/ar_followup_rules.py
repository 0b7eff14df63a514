# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The follow-up rules of a company on a date, shared by the run and the reminder.

A run applies them to every customer of a company on its date; a reminder, to its
customer on its own date (the claim its 14-day letter announces, the notice of a Belgian
consumer's first reminder). Both carry ``company_id`` and ``date``: the rules read them
there, never from the context, so a reminder rendered for the preview applies the same
rules as the run without a run of its own.
"""

from odoo import fields, models
from odoo.tools import SQL, formatLang

from ..tools.rows import InvoicePlan


class ArFollowupRules(models.AbstractModel):
    _name = "ar.followup.rules"
    _description = "Follow-up rules of a company on a date"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)

    def _ar_candidate_query(self, partner_ids=None):
        """The candidate invoices of the run (DESIGN.md semantics 1), as one query.

        Other modules add their exclusions (disputes, payment plans) through
        :meth:`_ar_candidate_exclusions`.
        """
        self.ensure_one()
        conditions = [
            SQL("m.company_id = %s", self.company_id.id),
            SQL("m.move_type = 'out_invoice'"),
            SQL("m.state = 'posted'"),
            SQL("m.amount_residual > 0"),
            *self._ar_candidate_exclusions(),
        ]
        if partner_ids is not None:
            conditions.append(SQL("m.commercial_partner_id IN %s", tuple(partner_ids) or (0,)))
        return SQL(
            """
            WITH pending AS (
                -- invoices whose last reminder is still queued (e-mail) or to print (letter)
                SELECT DISTINCT r.move_id
                  FROM ar_followup_history h
                  JOIN ar_followup_history_move_rel r ON r.history_id = h.id
                 WHERE h.company_id = %s AND h.delivery_state = 'queued'
            )
            SELECT m.id, m.commercial_partner_id, m.invoice_date_due, s.level_id,
                   s.last_date, m.amount_residual_signed * %s, s.next_date, m.invoice_date,
                   s.resume_date, m.id IN (SELECT move_id FROM pending),
                   m.ar_is_fee_invoice IS TRUE, s.costs_date, s.interest_date,
                   m.amount_residual * %s, m.currency_id, s.interest_missing
              FROM account_move m
              LEFT JOIN ar_followup_move_state s ON s.move_id = m.id
             WHERE %s
             ORDER BY m.commercial_partner_id, m.invoice_date_due, m.id
            """,
            self.company_id.id,
            self.env["account.move"]._ar_undisputed_ratio_sql(),
            self.env["account.move"]._ar_undisputed_ratio_sql(),
            SQL(" AND ").join(conditions),
        )

    def _ar_candidate_exclusions(self):
        """The SQL conditions on ``account_move m`` that a candidate invoice of the run's date
        must meet besides being an open customer invoice of the company: not excluded from the
        follow-up (or no longer), some of it not in an open dispute (the undisputed part is
        chased, for its amount), not in an active payment plan, not handed over to a
        collection agency (an open case). The run, the collector
        worklist and the status refresh use them: the override point for other
        exclusions."""
        ratio = self.env["account.move"]._ar_undisputed_ratio_sql()
        return [
            SQL(
                "(m.ar_followup_excluded IS NOT TRUE OR m.ar_followup_excluded_until < %s)",
                self.date,
            ),
            SQL("(m.ar_is_disputed IS NOT TRUE OR m.amount_residual * %s >= 0.005)", ratio),
            SQL("m.ar_in_payment_plan IS NOT TRUE"),
            SQL("m.ar_in_collection IS NOT TRUE"),
        ]

    def _ar_policy_levels(self, partners):
        """``{partner_id: [levels ordered by delay]}`` for the partners' policies (their own,
        else the company's default), reading the policies once."""
        company = self.company_id
        partners = partners.with_company(company)
        by_policy = {}
        result = {}
        for partner in partners:
            policy = self.env["ar.customer.account"]._ar_policy_of(partner, company)
            if policy not in by_policy:
                by_policy[policy] = policy.level_ids.filtered("active").sorted(
                    lambda lvl: (lvl.delay, lvl.id)
                )
            result[partner.id] = by_policy[policy]
        return result

    def _ar_claimable(self, plans):
        return [p for p in plans if not p.fee_invoice and not p.costs_date and p.due < self.date]

    def _ar_claimable_plans(self, partner):
        """The candidate invoices of ``partner`` a reminder rendered now claims (one query:
        a template renders it for one customer)."""
        self.env.flush_all()
        self.env.cr.execute(self._ar_candidate_query(partner.commercial_partner_id.ids))
        return self._ar_claimable([InvoicePlan(*row) for row in self.env.cr.fetchall()])

    def _ar_claim_preview(self, partner):
        """``(amount in company currency, principal)`` of the collection costs a 14-day letter
        of this run announces to ``partner``: the costs of its claim by the partner's rule."""
        self.ensure_one()
        plans = self._ar_claimable_plans(partner)
        company = self.company_id
        if not plans:
            return 0.0, 0.0
        eur = self.env.ref("base.EUR")
        principals = [
            company.currency_id._convert(p.residual, eur, company, self.date) for p in plans
        ]
        Fee = self.env["ar.fee"]
        amount, _steps = Fee._claim_costs(
            Fee._rule(partner.commercial_partner_id, company), company, principals, self.date
        )
        to_company = eur._convert
        return (
            to_company(amount, company.currency_id, company, self.date),
            sum(p.residual for p in plans),
        )

    def _ar_be_consumer_notice_of(self, partner):
        """What the first reminder to a Belgian consumer must state (art. XIX.2 CEL): the
        damages (per invoice, on its open amount) and the legal interest rate that follow its
        14-day period, where the customer's policy claims them: ``{'damages', 'rate'}`` or
        ``False``."""
        self.ensure_one()
        partner = partner.commercial_partner_id
        company = self.company_id
        Fee = self.env["ar.fee"]
        if Fee._rule(partner, company).costs != "be_consumer":
            return False
        levels = self._ar_policy_levels(partner)[partner.id]
        costs = any(levels.mapped("charge_costs"))
        interest = any(levels.mapped("charge_interest"))
        if not costs and not interest:
            return False
        plans = self._ar_claimable_plans(partner)
        eur = self.env.ref("base.EUR")
        damages = sum(
            Fee.be_consumer(company.currency_id._convert(p.residual, eur, company, self.date))
            for p in plans
        )
        rate = self.env["ar.interest.rate"]._ar_rate_on("be_legal", self.date)
        return {
            "damages": eur._convert(damages, company.currency_id, company, self.date)
            if costs
            else 0.0,
            "rate": formatLang(self.env, rate, digits=2) if interest and rate is not None else None,
        }
