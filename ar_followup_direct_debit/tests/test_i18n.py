import os

import polib

from odoo.tests import TransactionCase, tagged

from odoo.addons.ar_followup.tests.test_i18n import DutchTranslationCase


@tagged("post_install", "-at_install")
class TestDutchTranslation(DutchTranslationCase):
    __test__ = True
    ADDON = "ar_followup_direct_debit"
    I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")


@tagged("post_install", "-at_install")
class TestOcaInDutch(TransactionCase):
    """OCA's screens this bridge brings, in Dutch (i18n_extra): OCA's own Dutch of the
    direct debit and payment return modules leaves these empty."""

    def test_ocas_labels_in_dutch(self):
        fields = self.env["ir.model.fields"].with_context(lang="nl_NL")
        for model, fname, dutch in (("account.move", "returned_payment", "Betaling teruggeboekt"),):
            self.assertEqual(fields._get(model, fname).field_description, dutch)
        menu = self.env.ref("account_payment_return_import.menu_account_payment_return_import")
        self.assertEqual(menu.with_context(lang="nl_NL").name, "Storno importeren")

    def test_every_entry_translated(self):
        po = polib.pofile(
            os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n_extra", "nl.po")
        )
        self.assertFalse([e.msgid for e in po if not e.msgstr or "fuzzy" in e.flags])
