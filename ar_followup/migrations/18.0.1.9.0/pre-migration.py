# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.9.0: the customer's follow-up state and credit data move from company-dependent
fields of the partner into its account per company (``ar.customer.account``); the partner
shows them through fields of the same names.
The columns are set aside before the models are loaded."""

from openupgradelib import openupgrade

from odoo.addons.ar_followup.tools.accounts import COLUMNS, set_aside


@openupgrade.migrate()
def migrate(env, version):
    set_aside(env, COLUMNS)
