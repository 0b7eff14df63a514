import os

import polib

from odoo.tests import TransactionCase, tagged

I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")


@tagged("post_install", "-at_install")
class TestDutchTranslation(TransactionCase):
    """nl.po is complete: every entry of the template translated, none fuzzy."""

    def test_nl_po_is_complete(self):
        pot = polib.pofile(os.path.join(I18N, "ar_followup.pot"))
        po = polib.pofile(os.path.join(I18N, "nl.po"))
        translated = {e.msgid: e for e in po if not e.obsolete}
        missing = [e.msgid for e in pot if e.msgid not in translated]
        untranslated = [e.msgid for e in translated.values() if not e.msgstr.strip()]
        fuzzy = [e.msgid for e in translated.values() if "fuzzy" in e.flags]
        self.assertFalse(missing, f"not in nl.po: {missing}")
        self.assertFalse(untranslated, f"untranslated: {untranslated}")
        self.assertFalse(fuzzy, f"fuzzy: {fuzzy}")

    def test_placeholders_are_kept(self):
        po = polib.pofile(os.path.join(I18N, "nl.po"))
        for entry in po:
            for token in ("%(", "%s", "{{", "t-out", "t-call"):
                self.assertEqual(
                    entry.msgid.count(token),
                    entry.msgstr.count(token),
                    f"{token!r} in {entry.msgid[:60]!r}",
                )
