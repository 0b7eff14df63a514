# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.3.0: the prepayment moves from company-dependent fields of the partner into the
customer's account per company (``ar.customer.account``), as the core's credit data did.
The values move into the accounts."""

from openupgradelib import openupgrade

from odoo.addons.ar_followup.tools.accounts import move_to_accounts
from odoo.addons.ar_followup_sale.models.ar_customer_account import PREPAYMENT_COLUMNS


@openupgrade.migrate()
def migrate(env, version):
    move_to_accounts(env, PREPAYMENT_COLUMNS)
