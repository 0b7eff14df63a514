# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.8.2: the dispute acknowledgement no longer promises "no reminders about this
invoice" when only part of it is disputed (the rest is still asked): a paragraph for a partial
dispute comes before the old one, which stays for a dispute of the whole amount. The template
is ``noupdate`` data: the paragraph is added, in English and Dutch, where the old one is found
as shipped; a template changed by hand keeps its text."""

from openupgradelib import openupgrade

CONDITION = "object.currency_id.compare_amounts(object.amount_disputed, object.amount_open) &lt; 0"
AMOUNT = (
    "<t t-out=\"object.amount_disputed\" t-options=\"{'widget': 'monetary', "
    "'display_currency': object.currency_id}\"/>"
)
DATE = "<t t-out=\"object.date_deadline\" t-options=\"{'widget': 'date'}\"/>"
LINK = '<a t-att-href="object.get_base_url() + object.get_portal_url()">'
INVOICES = {
    "en_US": '<t t-if="len(object.move_ids) == 1">the invoice</t><t t-else="">the invoices</t>',
    "nl_NL": '<t t-if="len(object.move_ids) == 1">de factuur</t><t t-else="">de facturen</t>',
}
OLD = {
    "en_US": "<p>We will not send you reminders about ",
    "nl_NL": "<p>Zolang wij het onderzoeken, sturen wij u over ",
}
NEW = {
    "en_US": (
        f'<p t-if="{CONDITION}">While we look into it, we do not ask you to pay the disputed '
        f"amount of {AMOUNT}; the rest of {INVOICES['en_US']} remains due. We will answer you "
        f"by {DATE} at the latest. You can follow the dispute and send us messages on its "
        f"page: {LINK}view the dispute</a>.</p>\n    "
    ),
    "nl_NL": (
        f'<p t-if="{CONDITION}">Zolang wij het onderzoeken, vragen wij u niet het betwiste '
        f"bedrag van {AMOUNT} te betalen; de rest van {INVOICES['nl_NL']} blijft verschuldigd. "
        f"Wij antwoorden u uiterlijk op {DATE}. U kunt het geschil volgen en ons berichten "
        f"sturen op de pagina van het geschil: {LINK}het geschil bekijken</a>.</p>\n    "
    ),
}


@openupgrade.migrate()
def migrate(env, version):
    template = env.ref("ar_followup.mail_template_dispute_ack", raise_if_not_found=False)
    if not template:
        return
    env.cr.execute("SELECT body_html FROM mail_template WHERE id = %s", [template.id])
    bodies = env.cr.fetchone()[0] or {}
    changed = {}
    for lang, body in bodies.items():
        old = OLD.get(lang) or (OLD["en_US"] if OLD["en_US"] in (body or "") else None)
        if not old or old not in (body or "") or "amount_disputed" in body:
            continue
        new = NEW.get(lang, NEW["en_US"])
        changed[lang] = body.replace(old, new + old.replace("<p>", '<p t-else="">'), 1)
    for lang, body in changed.items():
        template.with_context(lang=lang).body_html = body
