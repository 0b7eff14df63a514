# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's credit hold while a collection case is open: a hold it had becomes the
case's (it no longer lifts itself) and is given back when the case closes; a hold the case set
is lifted, unless another case of the customer is still open."""

from odoo import models


class ArCollectionCase(models.Model):
    _inherit = "ar.collection.case"  # pylint: disable=consider-merging-classes-inherited

    def _ar_hold_customer(self, date):
        """The customer stays on credit hold while the case is open: a hold it had becomes
        the case's (it no longer lifts itself), restored when the case closes."""
        partner = self.partner_id.with_company(self.company_id)
        if partner.ar_credit_hold:
            if partner.ar_credit_hold_origin != "collection":
                self.sudo().hold_origin_before = partner.ar_credit_hold_origin
                partner.sudo().ar_credit_hold_origin = "collection"
            return
        partner.sudo()._ar_set_credit_hold(
            lambda env: env._(
                "claim handed over to %(agency)s (%(case)s)",
                agency=self.agency_id.display_name,
                case=self.name,
            ),
            date,
            origin="collection",
            moves={partner.id: self.move_ids.ids},
        )

    def _ar_release_customer(self, date):
        """Lift the hold the case set (or give back the one the customer had), unless
        another case of the customer is still open."""
        partner = self.partner_id.with_company(self.company_id)
        if partner.ar_credit_hold_origin != "collection":
            return
        others = self.search_count(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", self.company_id.id),
                ("is_open", "=", True),
                ("id", "!=", self.id),
            ]
        )
        if others:
            return
        if self.hold_origin_before:
            partner.sudo().ar_credit_hold_origin = self.hold_origin_before
        else:
            partner.sudo()._ar_release_credit_hold(
                lambda env: env._("case %(case)s closed", case=self.name), date
            )
