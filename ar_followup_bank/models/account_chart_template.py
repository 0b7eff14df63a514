# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from odoo.addons.account.models.chart_template import template


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @template(model="account.reconcile.model")
    def _get_ar_followup_bank_reconcile_model(self, template_code):
        return {"ar_structured_reference": self.env["account.reconcile.model"]._ar_rule_values()}
