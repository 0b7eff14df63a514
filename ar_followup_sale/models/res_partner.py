# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Prepayment for risky customers: a customer who must pay a share of its quotations online
before they are confirmed (Odoo's own ``require_payment`` and ``prepayment_percent``, the
portal's pay-to-confirm). Set by a credit-control manager, by a level of the ladder, or, a
company option, for a new customer until it has paid a number of invoices on time; set and
lifted through :meth:`_ar_set_prepayment` and :meth:`_ar_lift_prepayment` only, each logged
in the follow-up history and the chatter."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_compare, format_date

from odoo.addons.ar_followup.models.ar_customer_account import account_field
from odoo.addons.ar_followup.models.res_partner import ACCOUNT_GROUPS
from odoo.addons.ar_followup.models.res_partner_credit import reason_clause

from .ar_customer_account import PREPAYMENT_ORIGINS


class ResPartner(models.Model):
    _inherit = "res.partner"

    ar_prepayment_required = account_field(
        fields.Boolean,
        "prepayment_required",
        string="Prepayment required",
        help="The customer's quotations ask for online payment of this share before they "
        "are confirmed (the portal's pay-to-confirm); only a credit-control manager confirms "
        "one without it.",
        groups=ACCOUNT_GROUPS,
    )
    ar_prepayment_percent = account_field(
        fields.Float,
        "prepayment_percent",
        string="Prepayment",
        digits=(16, 4),
        help="The share of the order to pay in advance (100 %: all of it).",
        groups=ACCOUNT_GROUPS,
    )
    ar_prepayment_origin = account_field(
        fields.Selection,
        "prepayment_origin",
        selection=PREPAYMENT_ORIGINS,
        string="Prepayment set by",
        readonly=True,
        help="A prepayment of a new customer lifts itself once the customer has paid the "
        "number of invoices on time the company asks; the others are lifted by hand.",
        groups=ACCOUNT_GROUPS,
    )
    ar_prepayment_date = account_field(
        fields.Date,
        "prepayment_date",
        string="Prepayment since",
        readonly=True,
        groups=ACCOUNT_GROUPS,
    )

    @api.onchange("ar_prepayment_required")
    def _onchange_ar_prepayment_required(self):
        if self.ar_prepayment_required and not self.ar_prepayment_percent:
            self.ar_prepayment_percent = 1.0

    def write(self, vals):
        """A prepayment set or lifted by a user (the form, RPC) goes through the logged
        methods; who may do it is the accounts' access rights, as for every credit field."""
        if self.env.su or not {"ar_prepayment_required", "ar_prepayment_percent"} & set(vals):
            return super().write(vals)
        self.env["ar.customer.account"].check_access("write")
        self._ar_check_measure_alone(vals)
        contacts = self.filtered(lambda p: p.commercial_partner_id != p)
        if contacts:
            self.env["ar.customer.account"]._ar_raise_contact_data(contacts)
        vals = dict(vals)
        required = vals.pop("ar_prepayment_required", None)
        percent = vals.pop("ar_prepayment_percent", None)
        if percent is not None:
            percent = self._fields["ar_prepayment_percent"].convert_to_cache(percent, self)
        vals.pop("ar_prepayment_origin", None)
        vals.pop("ar_prepayment_date", None)
        reason = self._ar_by_user()
        today = fields.Date.context_today(self)
        if required is not None and not required:
            self._ar_lift_prepayment(reason, today)
        else:
            partners = self if required else self.filtered("ar_prepayment_required")
            partners._ar_set_prepayment(percent, reason, today)
        return super().write(vals) if vals else True

    def _ar_set_prepayment(
        self, percent, reason, date, origin="manual", level=None, run=None, moves=None
    ):
        """Require prepayment of ``percent`` (a share, 1.0 = all; ``None``: the partner's
        own, else all) from the partners for the current company on ``date``, with a history
        line and a chatter note each, and ask it on their open quotations too. Partners that
        already pay that share in advance are left alone. Returns the history values
        (recorded by the caller when given a run, else here)."""
        by_percent = {}
        for partner in self:
            share = (partner.ar_prepayment_percent or 1.0) if percent is None else percent
            if not 0 < share <= 1:
                raise ValidationError(
                    self.env._(
                        "The prepayment of %(partner)s must be more than 0 %% and at most "
                        "100 %% of the order (not %(percent)s).",
                        partner=partner.display_name,
                        percent=self._ar_percent_text(share),
                    )
                )
            if partner.ar_prepayment_required and not float_compare(
                share, partner.ar_prepayment_percent, precision_digits=4
            ):
                continue
            by_percent.setdefault(share, self.browse())
            by_percent[share] |= partner
        history = []

        def why(env, share):
            # ``reason``: typed by a user, or a function of an environment (the system's)
            return env._(
                "Prepayment of %(percent)s required: %(reason)s.",
                percent=self._ar_percent_text(share),
                reason=reason_clause(reason(env) if callable(reason) else reason),
            )

        for share, partners in by_percent.items():
            history += (
                self.env["ar.customer.account"]
                ._ar_of(partners)
                ._ar_change_measure(
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
            )
            self.env["sale.order"]._ar_apply_prepayment(partners, share)
        return history

    def _ar_lift_prepayment(self, reason, date):
        """Lift the prepayment of the partners for the current company (history dated
        ``date``); their open quotations go back to the company's settings."""
        partners = self.filtered("ar_prepayment_required")
        if not partners:
            return partners

        def text(env):
            return env._(
                "Prepayment lifted: %(reason)s.",
                reason=reason_clause(reason(env) if callable(reason) else reason),
            )

        self.env["ar.customer.account"]._ar_of(partners)._ar_change_measure(
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
        self.env["sale.order"]._ar_apply_prepayment(partners, None)
        return partners

    def _ar_percent_text(self, share):
        return "{} %".format(f"{share * 100:.2f}".rstrip("0").rstrip("."))

    # -- new customers -------------------------------------------------------------------

    def _ar_invoices_paid_on_time(self, company):
        """``{partner id: number of its customer invoices in ``company`` paid in full by
        their due date}`` (the last reconciliation of their receivable no later than the due
        date), one query for all the partners."""
        if not self.ids:
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
                partners=self.ids,
                company=company.id,
            )
        )
        return dict(self.env.cr.fetchall())

    def _ar_require_new_customer_prepayment(self, date):
        """The company's rule for new customers (current company): a customer about to get
        its first quotation that has fewer invoices paid on time than the company asks pays
        in advance until it has. Returns the partners it now applies to."""
        company = self.env.company
        if not company.ar_prepayment_new_customers:
            return self.browse()
        partners = self.filtered(lambda p: not p.ar_prepayment_required)
        if not partners:
            return partners
        self.env["sale.order"].flush_model(["partner_id", "company_id"])
        self.flush_model(["commercial_partner_id"])
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
        paid = partners._ar_invoices_paid_on_time(company)
        wanted = company.ar_prepayment_new_customer_invoices
        new = partners.filtered(lambda p: p.id not in known and paid.get(p.id, 0) < wanted)
        new._ar_set_prepayment(
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
        now paid the number of invoices on time the company asks."""
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
        partners = self.browse(accounts.partner_id.ids)
        if not partners:
            return partners
        wanted = company.ar_prepayment_new_customer_invoices
        paid = partners._ar_invoices_paid_on_time(company)
        trusted = partners.filtered(lambda p: paid.get(p.id, 0) >= wanted)
        return trusted._ar_lift_prepayment(
            lambda env: env._(
                "%(count)s invoices paid on time (by %(date)s)",
                count=wanted,
                date=format_date(env, date),
            ),
            date,
        )
