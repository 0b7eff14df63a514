# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A credit insurer collects a claim it paid, or collects for the insured company: the
agency of a case can be an insurer."""

from odoo import fields, models

INSURER_KIND = [("insurer", "Credit insurer")]


class ArCollectionAgency(models.Model):
    _inherit = "ar.collection.agency"

    kind = fields.Selection(selection_add=INSURER_KIND, ondelete={"insurer": "set default"})


class ArCollectionCase(models.Model):
    _inherit = "ar.collection.case"

    agency_kind = fields.Selection(selection_add=INSURER_KIND)
