# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

UNINSURED_POLICIES = [
    ("none", "No check"),
    ("warn", "Warn"),
    ("block", "Block"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    ar_uninsured_policy = fields.Selection(
        UNINSURED_POLICIES,
        string="Uninsured exposure",
        default="warn",
        required=True,
        help="What an exposure above the insured limit of a customer with a credit insurer "
        "does to its invoices, orders and deliveries: nothing, a warning, or block them (a "
        "credit-control manager may go on; the override is logged on the document).",
    )
