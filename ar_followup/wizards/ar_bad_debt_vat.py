# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The VAT on bad debts (art. 29 Wet OB): the customer invoices of a Dutch company whose due
date is more than a year before a date and that are still unpaid, with the VAT their open
amount contains; that VAT is reclaimed in the return of the period the year ends in (the
write-off of such an invoice reverses it)."""

from datetime import date as Date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class ArBadDebtVat(models.TransientModel):
    _name = "ar.bad.debt.vat"
    _description = "VAT on Bad Debts"

    company_id = fields.Many2one("res.company", required=True, default=lambda s: s.env.company)
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="Invoices due more than a year before this date and still unpaid.",
    )
    line_ids = fields.One2many("ar.bad.debt.vat.line", "wizard_id", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    vat_total = fields.Monetary(string="VAT to reclaim", compute="_compute_vat_total")

    @api.depends("line_ids.vat")
    def _compute_vat_total(self):
        for wizard in self:
            wizard.vat_total = sum(wizard.line_ids.mapped("vat"))

    @api.model
    def _ar_rows(self, company, date):
        """``[(move id, open amount, VAT in it)]`` in company currency, one query: the VAT of
        the open amount is the invoice's VAT in the proportion of what is open."""
        Move = self.env["account.move"]
        Move.flush_model(
            ["amount_residual_signed", "amount_total_signed", "amount_tax_signed", "state"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id, m.amount_residual_signed,
                       ROUND(m.amount_tax_signed * m.amount_residual_signed
                             / NULLIF(m.amount_total_signed, 0), 2)
                  FROM account_move m
                 WHERE m.company_id = %s AND m.move_type = 'out_invoice'
                   AND m.state = 'posted' AND m.amount_residual_signed > 0
                   AND m.amount_tax_signed <> 0
                   AND m.invoice_date_due < %s
                 ORDER BY m.invoice_date_due, m.id
                """,
                company.id,
                date - relativedelta(years=1),
            )
        )
        return self.env.cr.fetchall()

    def _ar_check(self):
        """A company of the user's, a date a year can be counted back from."""
        self.ensure_one()
        if not self.env.su and self.company_id not in self.env.user.company_ids:
            raise AccessError(self.env._("You can only list the bad debts of your companies."))
        if self.date < Date(1901, 1, 1):
            raise UserError(self.env._("Choose a date in this century or the last."))

    def action_compute(self):
        self._ar_check()
        # the lines are the system's (their customer and due date are read sudoed)
        self.sudo().line_ids.unlink()
        self.env["ar.bad.debt.vat.line"].sudo().create(
            [
                {"wizard_id": self.id, "move_id": move_id, "residual": residual, "vat": vat}
                for move_id, residual, vat in self._ar_rows(self.company_id, self.date)
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_write_off(self):
        """Write the listed invoices off, their VAT reclaimed."""
        self._ar_check()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write off bad debts"),
            "res_model": "ar.collection.writeoff",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_move_ids": [fields.Command.set(self.line_ids.move_id.ids)],
                "default_date": self.date,
            },
        }


class ArBadDebtVatLine(models.TransientModel):
    _name = "ar.bad.debt.vat.line"
    _description = "VAT on a Bad Debt"
    _order = "id"

    wizard_id = fields.Many2one("ar.bad.debt.vat", required=True, ondelete="cascade")
    move_id = fields.Many2one("account.move", string="Invoice", required=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due", string="Due")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    residual = fields.Monetary(string="Open")
    vat = fields.Monetary(string="VAT in it")
