# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A credit insurer collects a claim it paid, or collects for the insured company: the
agency of a case can be an insurer."""

from odoo import fields, models

from odoo.addons.ar_followup.tools.csv_cells import csv_text

INSURER_KIND = [("insurer", "Credit insurer")]


class ArCollectionAgency(models.Model):
    _inherit = "ar.collection.agency"

    kind = fields.Selection(selection_add=INSURER_KIND, ondelete={"insurer": "set default"})


class ArCollectionCase(models.Model):
    _inherit = "ar.collection.case"

    agency_kind = fields.Selection(selection_add=INSURER_KIND)

    def _ar_dossier_customer_cells(self):
        """A claim's dossier names the customer as the insurer knows it: its policy code
        (OCA's insurance code) on each row of the CSV, beside the KvK number."""
        cells = super()._ar_dossier_customer_cells()
        if self.agency_kind != "insurer":
            return cells
        return [("policy_code", csv_text(self.partner_id.sudo().risk_insurance_code)), *cells]

    def _ar_dossier_invoice_cells(self, move):
        """A claim's CSV says when each invoice was reported to the insurer (ISO date)."""
        cells = super()._ar_dossier_invoice_cells(move)
        if self.agency_kind != "insurer":
            return cells
        reported = move.sudo().ar_insurer_notified_date
        return [*cells, ("reported_on", reported.isoformat() if reported else "")]

    def _ar_close(self, state, date=None):
        """A claim cancelled (or returned by the insurer) is no claim: its invoices can be
        claimed again, and their claim deadline counts again."""
        res = super()._ar_close(state, date)
        if state in ("cancelled", "returned"):
            claimed = (
                self.env["account.move"].sudo().search([("ar_insurer_case_id", "in", self.ids)])
            )
            if claimed:
                claimed._ar_insurer_record(
                    {"ar_insurer_claim_date": False, "ar_insurer_case_id": False}
                )
        return res
