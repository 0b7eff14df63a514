# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Prepayment for risky customers: a customer who must pay a share of its quotations online
before they are confirmed (Odoo's own ``require_payment`` and ``prepayment_percent``, the
portal's pay-to-confirm). Set by a credit-control manager, by a level of the ladder, or, a
company option, for a new customer until it has paid a number of invoices on time; set and
lifted through the account's :meth:`_ar_set_prepayment` and :meth:`_ar_lift_prepayment` only
(``ar_customer_account.py``), each logged in the follow-up history and the chatter."""

from odoo import api, fields, models

from odoo.addons.ar_followup.models.ar_customer_account import account_field
from odoo.addons.ar_followup.models.res_partner import ACCOUNT_GROUPS

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
        reason = self.env["ar.customer.account"]._ar_by_user()
        today = fields.Date.context_today(self)
        Account = self.env["ar.customer.account"]
        if required is not None and not required:
            Account._ar_of(self)._ar_lift_prepayment(reason, today)
        else:
            partners = self if required else self.filtered("ar_prepayment_required")
            Account._ar_of(partners)._ar_set_prepayment(percent, reason, today)
        return super().write(vals) if vals else True
