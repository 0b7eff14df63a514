# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import format_date


class ArFollowupPreview(models.TransientModel):
    _inherit = "ar.followup.preview"

    def _ar_unchased_note(self, partner, invoices):
        """A customer whose open invoices are all being collected by direct debit gets no
        reminder: the preview says so, with the collection date."""
        last = invoices._ar_dd_last_collection(fields.Date.context_today(self), self.env.company)
        if not last:
            return super()._ar_unchased_note(partner, invoices)
        return self.env._(
            "No reminder goes out to %(customer)s today: its open invoices are being "
            "collected by direct debit (last collection on %(date)s). Below is what this level "
            "says, not what the customer receives.",
            customer=partner.display_name,
            date=format_date(self.env, last),
        )
