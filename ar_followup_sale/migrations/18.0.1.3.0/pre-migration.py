# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.3.0: the prepayment moves from company-dependent fields of the partner into the
customer's account per company (``ar.customer.account``), as the core's credit data did.
The columns are set aside before the models are loaded."""

from openupgradelib import openupgrade

from odoo.addons.ar_followup.tools.accounts import set_aside
from odoo.addons.ar_followup_sale.models.ar_customer_account import PREPAYMENT_COLUMNS


@openupgrade.migrate()
def migrate(env, version):
    set_aside(env, PREPAYMENT_COLUMNS)
