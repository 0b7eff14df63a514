# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The partner's view of its account in the current company (``ar.customer.account``): the
fields made with :func:`~.ar_customer_account.account_field` are computed from it, written to
it through its access rights, and searched, sorted and grouped with one SQL expression."""

from collections import defaultdict

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, Query

# What a billing user sets on a customer's follow-up (the partner form, as before the
# account): written for it; the credit data are the credit-control manager's (the account's
# access rights).
FOLLOWUP_FIELDS = {"followup_policy_id", "followup_responsible_id", "followup_paused_until"}


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _valid_field_parameter(self, field, name):
        return name == "ar_account_field" or super()._valid_field_parameter(field, name)

    @api.model
    def _ar_account_fields(self):
        """``{partner field: account field}`` of the fields shown from the account."""
        return {
            fname: field.ar_account_field
            for fname, field in self._fields.items()
            if getattr(field, "ar_account_field", None)
        }

    def _ar_account(self, company=None):
        """The account of this partner's commercial partner in ``company`` (default: the
        current one), created when missing (sudo)."""
        self.ensure_one()
        company = company or self.env.company
        return self.env["ar.customer.account"]._ar_get(self, company)[self.commercial_partner_id.id]

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_ar_account_fields(self):
        accounts = self.env["ar.customer.account"]._ar_get(self, self.env.company, create=False)
        names = self._ar_account_fields()
        for partner in self:
            account = accounts.get(partner._origin.commercial_partner_id.id)
            for fname, account_fname in names.items():
                partner[fname] = account[account_fname] if account else False

    def _ar_write_account_field(self, account_fname):
        """Write the partner's field of ``account_fname`` on the accounts (current company) of
        the partners: the follow-up fields a billing user sets for it, the credit data as the
        user (the access rights of the accounts decide). A contact's data are its company's."""
        fname = "ar_" + account_fname
        field = self._fields[fname]
        by_value = defaultdict(list)
        for partner in self:
            commercial = partner.commercial_partner_id
            value = field.convert_to_write(partner[fname], partner)
            if commercial != partner:
                current = commercial.with_company(self.env.company)[fname]
                if value == field.convert_to_write(current, commercial):
                    continue
                partner._ar_raise_contact_data()
            by_value[value].append(partner.id)
        if not by_value:
            return
        Account = self.env["ar.customer.account"]
        if not self.env.su and account_fname not in FOLLOWUP_FIELDS:
            # the credit data: only who may write accounts (checked before one is created)
            Account.check_access("write")
        elif not self.env.su and not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only accounting users change a customer's follow-up."))
        for value, ids in by_value.items():
            accounts = Account._ar_get(self.browse(ids), self.env.company)
            records = Account.browse([account.id for account in accounts.values()])
            if account_fname in FOLLOWUP_FIELDS or self.env.su:
                records = records.sudo()
            records.write({account_fname: value})

    def _ar_raise_contact_data(self):
        """A contact's credit data are its company's: refused on the contact."""
        raise UserError(
            self.env._(
                "The credit data of %(contact)s are those of %(company)s: change "
                "them on %(company)s.",
                contact=self[:1].display_name,
                company=self[:1].commercial_partner_id.display_name,
            )
        )

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """The fields of the account: the value of the commercial partner's account in the
        current company (NULL without one), for searching, sorting and grouping."""
        account_fname = self._ar_account_fields().get(fname)
        if not account_fname:
            return super()._field_to_sql(alias, fname, query, flush)
        self.check_field_access_rights("read", [fname])
        Account = self.env["ar.customer.account"]
        if flush:
            Account.flush_model([account_fname, "partner_id", "company_id"])
            self.flush_model(["commercial_partner_id"])
        return SQL(
            "(SELECT a.%s FROM ar_customer_account a"
            " WHERE a.partner_id = %s AND a.company_id = %s)",
            SQL.identifier(account_fname),
            SQL.identifier(alias, "commercial_partner_id"),
            self.env.company.id,
        )

    def _ar_search_account_field(self, fname, operator, value):
        """The domain of ``(fname, operator, value)`` on a field of the account: the partners
        whose account's value (NULL without an account) meets the condition."""
        field = self._fields[fname]
        if field.type == "many2one" and (operator in ("any", "not any") or isinstance(value, str)):
            # a name (the search view) or a domain of the comodel: the ids it finds
            comodel = self.env[field.comodel_name]
            negative = operator in expression.NEGATIVE_TERM_OPERATORS or operator == "not any"
            if operator in ("any", "not any"):
                found = comodel._search(value)
            else:
                positive = {"!=": "=", "not like": "like", "not ilike": "ilike"}.get(
                    operator, operator
                )
                found = comodel._search([("display_name", positive, value)])
            query = Query(self.env, self._table, self._table_sql)
            condition = self._condition_to_sql(self._table, fname, "in", found, query)
            # negative: the partners without a value match too, as on a stored field
            query.add_where(SQL("NOT COALESCE(%s, FALSE)", condition) if negative else condition)
            return [("id", "in", query)]
        query = Query(self.env, self._table, self._table_sql)
        query.add_where(self._condition_to_sql(self._table, fname, operator, value, query))
        return [("id", "in", query)]
