# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ArWorklistSnooze(models.Model):
    _name = "ar.worklist.snooze"
    _description = "Customer Snoozed on the Collector Worklist"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
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
        """Keep ``partners`` off the current company's worklist until ``until`` (the
        worklist's button: billing users read snoozes, only this writes them, for the
        customers they may read in the current company)."""
        partners = partners.commercial_partner_id
        partners.check_access("read")
        company = self.env.company
        if partners.filtered(lambda p: p.company_id and p.company_id != company):
            raise UserError(self.env._("Snooze the customers of the current company only."))
        Snooze = self.sudo()
        existing = Snooze.search(
            [("partner_id", "in", partners.ids), ("company_id", "=", company.id)]
        )
        existing.write({"until": until, "user_id": self.env.uid})
        Snooze.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "until": until,
                    "user_id": self.env.uid,
                }
                for partner in partners - existing.partner_id
            ]
        )
