# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's account seen from its partners: the partner's fields of the account
(written and searched here, see :func:`~.ar_customer_account.account_field`), and what a
change of a partner does to the credit data of its account. ``res.partner``'s ``create``,
``write`` and ``unlink`` call these: Odoo's own credit limit, which stays on the partner, is
the credit-control manager's; the hold set through the partner goes to the account's logged
methods; the structure of the partners (a contact's data are its company's; moving a partner
with credit data under or out of a company, or deleting it, is the credit-control manager's),
and the commercial entity Odoo computes, never written by hand."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, Query

from .ar_customer_account import FOLLOWUP_FIELDS

# Fields of the partner itself (not of its account) that only a credit-control manager may
# change: Odoo's own credit limit (a billing user sees it read-only). The account's fields
# are the account's access rights' (ar_customer_account.py).
CREDIT_MANAGER_FIELDS = {"credit_limit"}

# Writing these changes whose credit data a partner has (its commercial partner).
STRUCTURE_FIELDS = {"parent_id", "is_company"}


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"  # pylint: disable=consider-merging-classes-inherited

    # -- the partner's fields of the account -------------------------------------------

    @api.model
    def _ar_write_from_partners(self, partners, fname):
        """Write the partners' field of ``fname`` on their accounts (current company): the
        follow-up fields a billing user sets for it, the credit data as the user (the access
        rights of the accounts decide). A contact's data are its company's."""
        field = partners._fields["ar_" + fname]
        by_value = defaultdict(list)
        for partner in partners:
            commercial = partner.commercial_partner_id
            value = field.convert_to_write(partner[field.name], partner)
            if commercial != partner:
                current = commercial.with_company(self.env.company)[field.name]
                if value == field.convert_to_write(current, commercial):
                    continue
                self._ar_raise_contact_data(partner)
            by_value[value].append(partner.id)
        if not by_value:
            return
        su = self.env.su
        if not su and fname not in FOLLOWUP_FIELDS:
            # the credit data: only who may write accounts (checked before one is created)
            self.check_access("write")
        elif not su and not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only accounting users change a customer's follow-up."))
        for value, ids in by_value.items():
            accounts = self._ar_of(partners.browse(ids))
            if fname not in FOLLOWUP_FIELDS and not su:
                accounts = accounts.sudo(False)
            accounts.write({fname: value})

    @api.model
    def _ar_raise_contact_data(self, contact):
        """A contact's credit data are its company's: refused on the contact."""
        raise UserError(
            self.env._(
                "The credit data of %(contact)s are those of %(company)s: change "
                "them on %(company)s.",
                contact=contact[:1].display_name,
                company=contact[:1].commercial_partner_id.display_name,
            )
        )

    @api.model
    def _ar_partner_domain(self, fname, operator, value):
        """The partners' domain of ``(fname, operator, value)`` on a field of the account: the
        partners whose account's value (NULL without an account) meets the condition."""
        Partner = self.env["res.partner"]
        field = Partner._fields[fname]
        query = Query(self.env, Partner._table, Partner._table_sql)
        names = isinstance(value, str) or (
            isinstance(value, (list, tuple)) and any(isinstance(v, str) for v in value)
        )
        if field.type == "many2one" and (
            names or operator in ("any", "not any", "child_of", "parent_of")
        ):
            # a name (the search view), names, a domain or a hierarchy of the comodel: the
            # ids it finds, as Odoo resolves them for a stored many2one
            comodel = self.env[field.comodel_name]
            negative = operator in expression.NEGATIVE_TERM_OPERATORS or operator == "not any"
            if operator in ("any", "not any"):
                found = comodel._search(value)
            elif operator in ("child_of", "parent_of"):
                hierarchy = comodel._parent_name in comodel._fields
                ids = [value] if isinstance(value, int) else value
                found = comodel._search([("id", operator if hierarchy else "in", ids)])
            elif operator in ("in", "not in"):
                found = comodel._search(
                    [
                        "|",
                        ("display_name", "in", [v for v in value if isinstance(v, str)]),
                        ("id", "in", [v for v in value if isinstance(v, int)]),
                    ]
                )
            else:
                positive = {"!=": "=", "not like": "like", "not ilike": "ilike"}.get(
                    operator, operator
                )
                found = comodel._search([("display_name", positive, value)])
            condition = Partner._condition_to_sql(Partner._table, fname, "in", found, query)
            # negative: the partners without a value match too, as on a stored field
            query.add_where(SQL("NOT COALESCE(%s, FALSE)", condition) if negative else condition)
        else:
            query.add_where(
                Partner._condition_to_sql(Partner._table, fname, operator, value, query)
            )
        return [("id", "in", query)]

    # -- credit data ---------------------------------------------------------------------

    @api.model
    def _ar_credit_manager_fields(self):
        """The partner's fields only a credit-control manager writes (the credit insurance
        bridge adds the insurer's data)."""
        return set(CREDIT_MANAGER_FIELDS)

    def _ar_credit_data_domain(self):
        """The domain of an account with credit data (the sale bridge adds the prepayment)."""
        return expression.OR(
            [
                [("credit_hold", "=", True)],
                [("credit_policy", "!=", False)],
                [("insured_limit", "!=", 0)],
            ]
        )

    @api.model
    def _ar_with_credit_data(self, partners, outside=None):
        """The partners of ``partners`` with a credit limit in any company (but those of
        ``outside``), or an account with credit data (:meth:`_ar_credit_data_domain`) there:
        moving them is the manager's."""
        if not partners.ids:
            return partners.browse()
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        if outside is not None:
            companies -= outside
        domain = expression.AND(
            [
                [("partner_id", "in", partners.ids), ("company_id", "in", companies.ids)],
                self._ar_credit_data_domain(),
            ]
        )
        found = partners.browse(self.sudo().search_fetch(domain, ["partner_id"]).partner_id.ids)
        for company in companies:
            found |= partners.with_company(company).sudo().filtered("credit_limit")
        return partners.browse(found.ids)

    # -- what a change of its partners does to the account -------------------------

    @api.model
    def _ar_check_partner_write(self, partners, vals):
        """Credit decisions are the credit-control manager's (DESIGN.md, credit): limits,
        holds and ratings, checked on every partner written, contacts included, before the
        write and as the write would leave them (``parent_id`` and ``is_company`` with the
        credit fields). Credit data belong to the commercial partner: a contact only takes
        the copies Odoo makes of its company's limit. Moving a partner under another company,
        or out of one, is the manager's too when credit data go with it."""
        if self.env.su:
            return  # the hold and release methods, Odoo's own synchronisation of contacts
        self._ar_check_commercial_entity(partners, vals)
        manager = self.env.user.has_group("ar_followup.group_ar_manager")
        protected = self._ar_credit_manager_fields().intersection(vals)
        for partner in partners:
            commercial = self._ar_commercial_after(partner, vals)
            for fname in protected:
                field = partners._fields[fname]
                new = field.convert_to_cache(vals[fname], partner)
                if new == field.convert_to_cache(partner[fname], partner):
                    continue
                if commercial != partner:
                    if fname == "credit_limit" and new == field.convert_to_cache(
                        commercial[fname], commercial
                    ):
                        continue  # Odoo copies the company's limit to its contacts
                    self._ar_raise_contact_data(partner)
                if not manager:
                    raise AccessError(
                        self.env._(
                            "Only a credit-control manager can change the credit settings of "
                            "%(partner)s (%(field)s).",
                            partner=partner.display_name,
                            field=field._description_string(self.env),
                        )
                    )
        if manager:
            self._ar_check_measures_stay(partners, vals)  # (anybody else may not move data)
        if STRUCTURE_FIELDS.intersection(vals):
            # a manager moves the credit data of the companies he is a manager in only
            outside = self.env.user.company_ids if manager else None
            self._ar_check_structure_write(partners, vals, outside)

    @api.model
    def _ar_check_structure_write(self, partners, vals, outside=None):
        """Moving a partner under another company or out of one moves credit data with it:
        the credit-control manager's (of the companies of ``outside``, a manager's own: the
        data of the others count)."""
        moved = partners.filtered(
            lambda p: self._ar_commercial_after(p, vals) != p.commercial_partner_id
        )
        if not moved:
            return
        involved = moved | moved.commercial_partner_id
        if vals.get("parent_id"):
            involved |= partners.browse(vals["parent_id"]).commercial_partner_id
        with_data = self._ar_with_credit_data(involved, outside)
        if with_data:
            raise AccessError(
                self.env._(
                    "Only a credit-control manager of the companies concerned can move "
                    "%(partner)s to another company or out of one: %(with_data)s has a credit "
                    "limit, hold or policy.",
                    partner=", ".join(moved.mapped("display_name")),
                    with_data=", ".join(with_data.mapped("display_name")),
                )
            )

    @api.model
    def _ar_check_measures_stay(self, partners, vals):
        """A customer on credit hold or paying in advance (in any company) does not become a
        contact of another: its measure would stop applying unlogged. Its manager lifts it
        first (logged), whoever moves it."""
        if not STRUCTURE_FIELDS.intersection(vals) or "ar_credit_hold" in vals:
            return  # (with the hold itself: refused as a change in one step)
        becoming = partners.filtered(
            lambda p: p.commercial_partner_id == p and self._ar_commercial_after(p, vals) != p
        )
        if not becoming:
            return
        Account = self.sudo()
        flags = list(Account._ar_measures())
        domain = [("partner_id", "in", becoming.ids)]
        domain += ["|"] * (len(flags) - 1) + [(flag, "=", True) for flag in flags]
        held = Account.search(domain).partner_id
        if held:
            raise UserError(
                self.env._(
                    "%(partner)s is on credit hold or pays in advance (in one of its "
                    "companies): lift that first, then make it a contact of another company.",
                    partner=", ".join(held.mapped("display_name")),
                )
            )

    @api.model
    def _ar_check_commercial_entity(self, partners, vals):
        """Odoo computes the commercial entity from the company and the parent; written by
        hand it would put a customer under another's account."""
        if "commercial_partner_id" in vals and any(
            self._ar_commercial_after(partner, vals).id != vals["commercial_partner_id"]
            for partner in partners
        ):
            raise UserError(
                self.env._(
                    "The commercial entity of a contact follows its company: change its "
                    "company (parent) instead."
                )
            )

    @api.model
    def _ar_commercial_after(self, partner, vals):
        """The commercial partner ``partner`` would have after writing ``vals``."""
        partner.ensure_one()
        is_company = vals.get("is_company", partner.is_company)
        parent = partner.browse(vals["parent_id"]) if "parent_id" in vals else partner.parent_id
        if is_company or not parent:
            return partner
        return parent.commercial_partner_id

    @api.model
    def _ar_check_partner_create(self, partners, vals_list):
        """A credit limit given to a new partner is the credit-control manager's, but for
        Odoo's copy of its company's limit on a new contact."""
        if self.env.su or self.env.user.has_group("ar_followup.group_ar_manager"):
            return
        # the company's default credit limit (Settings), which the form sends: no decision
        default_limit = partners._fields["credit_limit"].get_company_dependent_fallback(partners)
        for vals in vals_list:
            parent = partners.browse(vals.get("parent_id")).commercial_partner_id
            for fname in self._ar_credit_manager_fields():
                if not vals.get(fname):
                    continue
                if fname == "credit_limit" and vals[fname] == default_limit:
                    continue
                if (
                    parent
                    and not vals.get("is_company")
                    and fname == "credit_limit"
                    and vals[fname] == parent.credit_limit
                ):
                    continue  # Odoo's copy of the company's limit
                raise AccessError(
                    self.env._(
                        "Only a credit-control manager can give a new partner its credit "
                        "settings (%(field)s).",
                        field=partners._fields[fname]._description_string(self.env),
                    )
                )

    @api.model
    def _ar_hold_from_partners(self, partners, hold, vals):
        """The hold written on ``partners`` (with the rest of ``vals``): set or released
        through the hold and release methods only, logged in the follow-up history and the
        chatter; who may is the accounts' access rights. Not in the write that moves a partner
        under a company or out of one: which customer it is for would change with it."""
        self.check_access("write")
        if STRUCTURE_FIELDS.intersection(vals) or "commercial_partner_id" in vals:
            raise UserError(
                self.env._(
                    "Change the company of %(partner)s and its credit hold or prepayment in two "
                    "steps.",
                    partner=partners[:1].display_name,
                )
            )
        changing = partners.filtered(lambda p: bool(p.ar_credit_hold) != hold)
        contacts = changing.filtered(lambda p: p.commercial_partner_id != p)
        if contacts:
            self._ar_raise_contact_data(contacts)
        reason = self._ar_by_user()
        today = fields.Date.context_today(self)
        accounts = self._ar_of(changing)
        if hold:
            accounts._ar_set_credit_hold(reason, today)
        else:
            accounts._ar_release_credit_hold(reason, today)

    @api.model
    def _ar_check_partner_unlink(self, partners):
        """Deleting a customer with credit data would make its contacts customers of their
        own, free of its hold or limit: the credit-control manager's."""
        if self.env.su:
            return
        manager = self.env.user.has_group("ar_followup.group_ar_manager")
        customers = partners.filtered(lambda p: p.commercial_partner_id == p)
        with_data = self._ar_with_credit_data(
            customers, self.env.user.company_ids if manager else None
        )
        if with_data:
            raise AccessError(
                self.env._(
                    "Only a credit-control manager of the companies concerned can delete "
                    "%(partner)s: it has a credit limit, hold, credit policy or prepayment.",
                    partner=", ".join(with_data.mapped("display_name")),
                )
            )
