# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.8.1: a final notice is sent once (``ar.followup.level.is_final_notice``): the
levels that send the shipped final notice template are marked so, as new default policies
have them."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    template = env.ref("ar_followup.mail_template_final_notice", raise_if_not_found=False)
    if template:
        env["ar.followup.level"].with_context(active_test=False).search(
            [("mail_template_id", "=", template.id)]
        ).write({"is_final_notice": True})
