# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.2.0: the default levels have a letter (greeting, request with its deadline, what
happens next, contact, signature) in every installed language.

The levels of the companies' default policies that send e-mails and have no letter text get
the letter of their default level; a text someone wrote is kept.
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    env["ar.followup.policy"]._ar_fill_default_letters()
