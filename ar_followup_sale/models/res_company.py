# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    ar_credit_check_delivered = fields.Boolean(
        string="Credit check on invoices of delivered goods",
        help="Off (the default): an invoice of goods already delivered is posted whatever the "
        "customer's credit hold or limit (the credit decision was taken at the order and the "
        "delivery; the invoice only asks to be paid). On: such an invoice is stopped too.",
    )
    ar_prepayment_new_customers = fields.Boolean(
        string="Prepayment for new customers",
        help="A customer's first quotation asks for prepayment, and so do its next ones until "
        "it has paid the given number of invoices on time (checked by the daily follow-up "
        "run, which then lifts it, logged in the follow-up history).",
    )
    ar_prepayment_new_customer_invoices = fields.Integer(
        string="Invoices paid on time before credit",
        default=3,
        help="How many invoices a new customer pays on time before it no longer pays in advance.",
    )
    ar_prepayment_new_customer_percent = fields.Float(
        string="New customers' prepayment",
        default=1.0,
        help="The share of each order a new customer pays in advance (100 %: all of it).",
    )

    @api.constrains(
        "ar_prepayment_new_customers",
        "ar_prepayment_new_customer_invoices",
        "ar_prepayment_new_customer_percent",
    )
    def _check_ar_prepayment_new_customers(self):
        for company in self.filtered("ar_prepayment_new_customers"):
            if company.ar_prepayment_new_customer_invoices < 1:
                raise ValidationError(
                    self.env._("A new customer pays at least one invoice on time before credit.")
                )
            if not 0 < company.ar_prepayment_new_customer_percent <= 1:
                raise ValidationError(
                    self.env._(
                        "The prepayment of new customers must be more than 0 % and at most "
                        "100 % of the order."
                    )
                )
