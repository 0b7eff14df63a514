# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The partner's view of its account in the current company (``ar.customer.account``): the
account itself (``ar_account_id``, read with all its columns for the partners read together),
and the fields made with :func:`~.ar_customer_account.account_field`, computed from it,
written to it through its access rights, and searched, sorted and grouped with one SQL
expression."""

from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner import ACCOUNT_GROUPS


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    ar_account_id = fields.Many2one(
        "ar.customer.account",
        string="Customer account",
        compute="_compute_ar_account_fields",
        help="The customer's account in the current company (none before it is first needed).",
        groups=ACCOUNT_GROUPS,
    )

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

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_ar_account_fields(self):
        names = self._ar_account_fields()
        Account = self.env["ar.customer.account"]
        stored = [
            name for name, field in Account._fields.items() if field.store and field.column_type
        ]
        accounts = Account._ar_get(self, self.env.company, create=False, fnames=stored)
        for partner in self:
            account = accounts.get(partner._origin.commercial_partner_id.id, Account.sudo())
            partner.ar_account_id = account.sudo(self.env.su)
            for fname, account_fname in names.items():
                partner[fname] = account[account_fname] if account else False

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """The fields of the account: the value of the commercial partner's account in the
        current company (NULL without one), for searching, sorting and grouping."""
        account_fname = getattr(self._fields.get(fname), "ar_account_field", None)
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
