# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.6.1: the customer's notice of a hand-over goes to whom the reminders go (the
invoice contacts, else the customer), not to the customer's own e-mail. The template is
``noupdate`` data: its recipient is set on the existing one, unless it was changed by hand."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    template = env.ref("ar_followup.mail_template_collection_notice", raise_if_not_found=False)
    if template and template.partner_to == "{{ object.partner_id.id }}":
        template.partner_to = "{{ object.partner_id.ar_followup_partner_to }}"
