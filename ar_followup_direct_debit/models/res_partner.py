# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The business (B2B) mandate form carries its mandate reference: the debtor's bank
registers the mandate under it before the first debit. The reference is reserved from OCA's
mandate sequence when the form is first printed for a customer, kept on the customer (per
company), printed again on every copy of the form, and given to the B2B mandate the bookkeeper
registers for that customer when the signed form comes back. Once a mandate carries it, the
next form gets a new one."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.ar_followup.models.res_partner import ACCOUNT_GROUPS


class ResPartner(models.Model):
    _inherit = "res.partner"

    ar_dd_b2b_reference = fields.Char(
        string="Reserved B2B mandate reference",
        company_dependent=True,
        copy=False,
        readonly=True,
        groups=ACCOUNT_GROUPS,
        help="The mandate reference printed on this customer's business (B2B) direct debit "
        "form. The B2B mandate registered for this customer when the signed form comes back "
        "takes it.",
    )

    def _ar_dd_check_b2b_reference(self, vals_list):
        if not self.env.su and any("ar_dd_b2b_reference" in vals for vals in vals_list):
            raise AccessError(
                self.env._("The B2B mandate reference is reserved by printing the form.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._ar_dd_check_b2b_reference(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._ar_dd_check_b2b_reference([vals])
        return super().write(vals)

    def _ar_dd_b2b_reference(self, company):
        """The mandate reference of this customer's B2B form in ``company``: the reserved
        one while no mandate of the company carries it, else a new one from OCA's mandate
        sequence, kept on the customer."""
        self.ensure_one()
        partner = self.commercial_partner_id.sudo().with_company(company)
        reference = partner.ar_dd_b2b_reference
        if not reference or self.env["account.banking.mandate"]._ar_reference_taken(
            reference, company
        ):
            sequence = self.env["ir.sequence"].sudo().with_company(company)
            reference = sequence.next_by_code("account.banking.mandate")
            partner.ar_dd_b2b_reference = reference
        return reference
