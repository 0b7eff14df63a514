# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The prepayment on the customer's account: a customer measure like the credit hold, set and
lifted by its logged methods only (:meth:`ArCustomerAccount._ar_set_prepayment`,
:meth:`ArCustomerAccount._ar_lift_prepayment`), by hand, by a level of the ladder or, a
company option, for a new customer until it has paid a number of invoices on time."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL, float_compare, format_date

from odoo.addons.ar_followup.models.ar_customer_account import Measure
from odoo.addons.ar_followup.models.ar_customer_account_hold import reason_clause

PREPAYMENT_ORIGINS = [
    ("manual", "By hand"),
    ("followup", "Follow-up level"),
    ("new_customer", "New customer"),
]

# the partner's company-dependent columns of 18.0.1.2.1 (migrations/18.0.1.3.0)
PREPAYMENT_COLUMNS = {
    "ar_prepayment_required": ("prepayment_required", "boolean", None),
    "ar_prepayment_percent": ("prepayment_percent", "numeric", None),
    "ar_prepayment_origin": ("prepayment_origin", "varchar", None),
    "ar_prepayment_date": ("prepayment_date", "date", None),
}


def percent_text(share):
    """A share as a percentage in words: 0.3333 gives "33.33 %", 1.0 "100 %"."""
    return "{} %".format(f"{share * 100:.2f}".rstrip("0").rstrip("."))


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"

    prepayment_required = fields.Boolean(
        string="Prepayment required",
        index="btree_not_null",
        help="The customer's quotations ask for online payment of this share before they "
        "are confirmed (the portal's pay-to-confirm).",
    )
    prepayment_percent = fields.Float(
        string="Prepayment",
        digits=(16, 4),
        help="The share of the order to pay in advance (100 %: all of it).",
    )
    prepayment_origin = fields.Selection(
        PREPAYMENT_ORIGINS,
        string="Prepayment set by",
        readonly=True,
        help="A prepayment of a new customer lifts itself once the customer has paid the "
        "number of invoices on time the company asks; the others are lifted by hand.",
    )
    prepayment_date = fields.Date(string="Prepayment since", readonly=True)

    @api.onchange("prepayment_required")
    def _onchange_prepayment_required(self):
        if self.prepayment_required and not self.prepayment_percent:
            self.prepayment_percent = 1.0

    @api.constrains("prepayment_required", "prepayment_percent")
    def _check_prepayment_percent(self):
        for account in self:
            if account.prepayment_required and not 0 < account.prepayment_percent <= 1:
                raise ValidationError(
                    self.env._(
                        "The prepayment of %(partner)s must be more than 0 %% and at most "
                        "100 %% of the order.",
                        partner=account.partner_id.display_name,
                    )
                )

    def _ar_credit_data_domain(self):
        """A prepayment is credit data too (moving such a partner is the manager's)."""
        return expression.OR(
            [super()._ar_credit_data_domain(), [("prepayment_required", "=", True)]]
        )

    def _ar_measures(self):
        measures = super()._ar_measures()
        measures["prepayment_required"] = Measure(
            lambda accounts, vals, reason, date: accounts._ar_set_prepayment(
                vals.get("prepayment_percent"), reason, date
            ),
            lambda accounts, reason, date: accounts._ar_lift_prepayment(reason, date),
            {"prepayment_required", "prepayment_percent", "prepayment_origin", "prepayment_date"},
        )
        return measures

    # -- set and lifted: the logged methods -------------------------------------------

    def _ar_set_prepayment(
        self, percent, reason, date, origin="manual", level=None, run=None, moves=None
    ):
        """Require prepayment of ``percent`` (a share, 1.0 = all; ``None``: the account's
        own, else all) from these accounts' customers on ``date``, with a history line and a
        chatter note each, and ask it on their open quotations too. Accounts that already
        pay that share in advance are left alone. Returns the history values (recorded by
        the caller when given a run, else here)."""
        by_percent = {}
        for account in self:
            share = (account.prepayment_percent or 1.0) if percent is None else percent
            if not 0 < share <= 1:
                raise ValidationError(
                    self.env._(
                        "The prepayment of %(partner)s must be more than 0 %% and at most "
                        "100 %% of the order (not %(percent)s).",
                        partner=account.partner_id.display_name,
                        percent=percent_text(share),
                    )
                )
            if account.prepayment_required and not float_compare(
                share, account.prepayment_percent, precision_digits=4
            ):
                continue
            by_percent.setdefault(share, self.browse())
            by_percent[share] |= account
        history = []

        def why(env, share):
            # ``reason``: typed by a user, or a function of an environment (the system's)
            return env._(
                "Prepayment of %(percent)s required: %(reason)s.",
                percent=percent_text(share),
                reason=reason_clause(reason(env) if callable(reason) else reason),
            )

        for share, accounts in by_percent.items():
            history += accounts._ar_change_measure(
                {
                    "prepayment_required": True,
                    "prepayment_percent": share,
                    "prepayment_origin": origin,
                    "prepayment_date": date,
                },
                "prepayment",
                lambda env, s=share: why(env, s),
                date,
                lambda env, s=share: why(env, s),
                level=level,
                run=run,
                moves=moves,
            )
            self.env["sale.order"]._ar_apply_prepayment(accounts.partner_id, share)
        return history

    def _ar_lift_prepayment(self, reason, date):
        """Lift the prepayment of these accounts (history dated ``date``); their customers'
        open quotations go back to the company's settings. Returns the accounts that had
        one."""
        accounts = self.filtered("prepayment_required")
        if not accounts:
            return accounts

        def text(env):
            return env._(
                "Prepayment lifted: %(reason)s.",
                reason=reason_clause(reason(env) if callable(reason) else reason),
            )

        accounts._ar_change_measure(
            {
                "prepayment_required": False,
                "prepayment_percent": False,
                "prepayment_origin": False,
                "prepayment_date": False,
            },
            "prepayment_lifted",
            text,
            date,
            text,
        )
        self.env["sale.order"]._ar_apply_prepayment(accounts.partner_id, None)
        return accounts

    # -- new customers -------------------------------------------------------------------

    @api.model
    def _ar_invoices_paid_on_time(self, partners, company):
        """``{partner id: number of its customer invoices in ``company`` paid in full by
        their due date}`` (the last reconciliation of their receivable no later than the due
        date), one query for all the ``partners``."""
        if not partners.ids:
            return {}
        for model in ("account.move", "account.move.line", "account.partial.reconcile"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT move.commercial_partner_id, count(*)
                  FROM account_move move
                 WHERE move.commercial_partner_id = ANY(%(partners)s)
                   AND move.company_id = %(company)s
                   AND move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.payment_state IN ('paid', 'in_payment')
                   AND (SELECT max(apr.max_date)
                          FROM account_move_line line
                          JOIN account_partial_reconcile apr ON apr.debit_move_id = line.id
                         WHERE line.move_id = move.id
                           AND line.display_type = 'payment_term')
                       <= move.invoice_date_due
                 GROUP BY move.commercial_partner_id
                """,
                partners=partners.ids,
                company=company.id,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _ar_require_new_customer_prepayment(self, partners, date):
        """The company's rule for new customers (current company): a customer of
        ``partners`` about to get its first quotation that has fewer invoices paid on time
        than the company asks pays in advance until it has. Returns the partners it now
        applies to."""
        company = self.env.company
        if not company.ar_prepayment_new_customers:
            return partners.browse()
        partners = partners.filtered(lambda p: not p.ar_account_id.prepayment_required)
        if not partners:
            return partners
        self.env["sale.order"].flush_model(["partner_id", "company_id"])
        partners.flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT partner.commercial_partner_id
                  FROM sale_order so JOIN res_partner partner ON partner.id = so.partner_id
                 WHERE partner.commercial_partner_id = ANY(%s) AND so.company_id = %s
                """,
                partners.ids,
                company.id,
            )
        )
        known = {row[0] for row in self.env.cr.fetchall()}
        paid = self._ar_invoices_paid_on_time(partners, company)
        wanted = company.ar_prepayment_new_customer_invoices
        new = partners.filtered(lambda p: p.id not in known and paid.get(p.id, 0) < wanted)
        self._ar_of(new)._ar_set_prepayment(
            company.ar_prepayment_new_customer_percent or 1.0,
            lambda env: env._(
                "new customer, until %(count)s invoices are paid on time", count=wanted
            ),
            date,
            origin="new_customer",
        )
        return new

    @api.model
    def _ar_lift_new_customer_prepayments(self, date):
        """Lift the new-customer prepayments (current company) of the customers that have
        now paid the number of invoices on time the company asks; returns their accounts."""
        company = self.env.company
        accounts = (
            self.env["ar.customer.account"]
            .sudo()
            .search_fetch(
                [
                    ("company_id", "=", company.id),
                    ("prepayment_required", "=", True),
                    ("prepayment_origin", "=", "new_customer"),
                ],
                ["partner_id"],
            )
        )
        if not accounts:
            return accounts
        wanted = company.ar_prepayment_new_customer_invoices
        paid = self._ar_invoices_paid_on_time(accounts.partner_id, company)
        trusted = accounts.filtered(lambda a: paid.get(a.partner_id.id, 0) >= wanted)
        return trusted._ar_lift_prepayment(
            lambda env: env._(
                "%(count)s invoices paid on time (by %(date)s)",
                count=wanted,
                date=format_date(env, date),
            ),
            date,
        )
