import io
import os
import re

import polib
from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

from .common import ArFollowupCase, days

I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")
# Dutch in the English texts too: the name of the decree that sets the collection costs
PROPER_NAMES = {"Besluit vergoeding voor buitengerechtelijke incassokosten"}


class DutchTranslationCase(TransactionCase):
    """nl.po of an add-on (``ADDON``, its ``i18n`` folder ``I18N``) is complete: every entry
    of the template translated, none fuzzy, and the template is the one the code gives
    today. The bridges check theirs with it."""

    __test__ = False  # a base: the core's and each bridge's class below run it
    ADDON = "ar_followup"
    I18N = I18N

    def _file(self, name):
        return os.path.join(self.I18N, name)

    def test_nl_po_is_complete(self):
        pot = polib.pofile(self._file(f"{self.ADDON}.pot"))
        po = polib.pofile(self._file("nl.po"))
        translated = {e.msgid: e for e in po if not e.obsolete}
        missing = [e.msgid for e in pot if e.msgid not in translated]
        untranslated = [e.msgid for e in translated.values() if not e.msgstr.strip()]
        fuzzy = [e.msgid for e in translated.values() if "fuzzy" in e.flags]
        self.assertFalse(missing, f"not in nl.po: {missing}")
        self.assertFalse(untranslated, f"untranslated: {untranslated}")
        self.assertFalse(fuzzy, f"fuzzy: {fuzzy}")

    def test_pot_matches_the_code(self):
        """The terms Odoo exports from the installed module today are those of its .pot and
        nl.po (``make i18n`` regenerates both)."""
        buffer = io.BytesIO()
        trans_export(False, [self.ADDON], buffer, "po", self.env.cr)
        exported = {e.msgid for e in polib.pofile(buffer.getvalue().decode())} - {""}
        pot = {e.msgid for e in polib.pofile(self._file(f"{self.ADDON}.pot"))}
        translated = {
            e.msgid
            for e in polib.pofile(self._file("nl.po"))
            if not e.obsolete and e.msgstr.strip() and "fuzzy" not in e.flags
        }
        self.assertFalse(exported - pot, f"terms of the code missing from {self.ADDON}.pot")
        self.assertFalse(pot - exported, f"terms of {self.ADDON}.pot no longer in the code")
        self.assertFalse(exported - translated, "terms of the code without Dutch")

    def test_placeholders_are_kept(self):
        po = polib.pofile(self._file("nl.po"))
        for entry in po:
            for token in ("%(", "%s", "{{", "t-out", "t-call"):
                self.assertEqual(
                    entry.msgid.count(token),
                    entry.msgstr.count(token),
                    f"{token!r} in {entry.msgid[:60]!r}",
                )


@tagged("post_install", "-at_install")
class TestDutchTranslation(DutchTranslationCase):
    __test__ = True


@tagged("post_install", "-at_install")
class TestDutchMails(ArFollowupCase):
    """Every e-mail template of the module, rendered for a Dutch customer, has no English
    sentence of its English rendering left."""

    def _text(self, markup):
        return " ".join(html.fromstring(f"<div>{markup}</div>").text_content().split())

    def _sentences(self, markup):
        """The runs of text of a rendered body with three words or more."""
        text = html.fromstring(f"<div>{markup}</div>").text_content()
        text = re.sub(r"https?://\S+", " ", text)  # links are no text (their tokens are random)
        runs = re.split(r"[\n.:;!?()]+", text)
        return {" ".join(run.split()) for run in runs if len(re.findall(r"[^\W\d_]{2,}", run)) >= 3}

    def _render_in(self, template, record, langs):
        """``{lang: subject and body}`` of ``template`` rendered on ``record`` on day 0."""
        rendered = {}
        for lang in langs:
            localized = template.with_context(lang=lang)
            with freeze_time(days(0)):
                rendered[lang] = (
                    localized._render_field("subject", [record.id])[record.id]
                    + "\n"
                    + localized._render_field("body_html", [record.id])[record.id]
                )
        return rendered

    def test_every_template_in_dutch(self):
        dutch = self._customer("Bakkerij Jansen", lang="nl_NL")
        invoice = self._invoice(dutch, 1200.0, days(-20))
        self._invoice(dutch, 300.0, days(5))
        self._invoice(dutch, 50.0, days(-20), move_type="out_refund")
        disputed = self._invoice(dutch, 80.0, days(-3))
        with freeze_time(days(0)):
            dispute = self.env["ar.dispute"].create(
                {
                    "partner_id": dutch.id,
                    "move_ids": [Command.set(disputed.ids)],
                    "reason": "quality",
                    "description": "Beschadigd",
                }
            )
            dispute.action_reject("Geleverd.")
            plan = self.env["ar.payment.plan"].create(
                {"partner_id": dutch.id, "move_ids": [Command.set(invoice.ids)]}
            )
            plan._set_instalments(3, days(10))
        agency = self._agency("Incasso Noord B.V.", contact_email="i@example.nl")
        Case = self.env["ar.collection.case"].sudo()  # its amounts are the system's
        case = Case.create(
            {
                "partner_id": dutch.id,
                "agency_id": agency.id,
                "move_ids": [Command.set(disputed.ids)],
                "amount_principal": 80.0,
            }
        )
        records = {
            "ar.followup.reminder": self._reminder(dutch, days(0)),
            "ar.customer.account": self._account(dutch),
            "ar.dispute": dispute,
            "ar.payment.plan": plan,
            "ar.collection.case": case,
        }
        templates = self.env["mail.template"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", "ar_followup"), ("model", "=", "mail.template")])
            .mapped("res_id")
        )
        # the reminders, disputes, plans, the statement, the collection cases
        self.assertEqual(len(templates), 15)
        for template in templates:
            rendered = self._render_in(template, records[template.model], ("en_US", "nl_NL"))
            english = self._sentences(rendered["en_US"])
            self.assertGreater(len(english), 2, template.name)
            dutch_text = self._text(rendered["nl_NL"])
            left = {s for s in english - PROPER_NAMES if s in dutch_text}
            self.assertFalse(left, f"English left in the Dutch {template.name}: {left}")
