# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class ArWorklistSnooze(models.Model):
    _name = "ar.worklist.snooze"
    _description = "Customer Snoozed on the Collector Worklist"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    until = fields.Date(
        required=True,
        help="The customer is off the collector worklist up to and including this day.",
    )
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique (partner_id, company_id)",
            "A customer is snoozed once a company.",
        ),
    ]

    @api.model
    def _ar_snooze(self, partners, until):
        """Keep ``partners`` off the current company's worklist until ``until``."""
        partners = partners.commercial_partner_id
        partners.check_access("read")
        existing = self.search(
            [("partner_id", "in", partners.ids), ("company_id", "=", self.env.company.id)]
        )
        existing.write({"until": until, "user_id": self.env.uid})
        self.create(
            [
                {"partner_id": partner.id, "until": until}
                for partner in partners - existing.partner_id
            ]
        )
