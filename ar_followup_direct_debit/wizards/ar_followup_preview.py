# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import format_date


class ArFollowupPreview(models.TransientModel):
    _inherit = "ar.followup.preview"

    def _ar_unchased_note(self, partner, overdue):
        """A customer whose overdue invoices are all being collected by direct debit gets no
        reminder: the preview says so, with the collection date."""
        today = fields.Date.context_today(self)
        collections = overdue._ar_dd_collections(today, overdue.ids, self.env.company)
        if not collections or len(collections) < len(overdue):
            return super()._ar_unchased_note(partner, overdue)
        return self.env._(
            "No reminder goes out to %(customer)s today: its overdue invoices are being "
            "collected by direct debit (last collection on %(date)s). Below is what this level "
            "says, not what the customer receives.",
            customer=partner.display_name,
            date=format_date(self.env, max(collections.values())),
        )
