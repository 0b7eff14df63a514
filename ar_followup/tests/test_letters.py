import html
import os
import re
import shutil
import subprocess
import tempfile

import polib

from odoo import fields
from odoo.tests import tagged

from ..models.ar_followup_level import LETTER_PLACEHOLDERS
from .common import ArFollowupCase, days

# the shipped levels that send a letter: delay -> (what the letter asks, its deadline)
SHIPPED_LETTERS = {
    -3: ("amount_due", days(3)),  # by the invoice's due date
    7: ("amount_overdue", days(14)),
    14: ("amount_overdue", days(7)),
    30: ("amount_overdue", days(7)),
}
LONG_DATES = {
    "en_US": {days(3): "March 5, 2026", days(7): "March 9, 2026", days(14): "March 16, 2026"},
    "nl_NL": {days(3): "5 maart 2026", days(7): "9 maart 2026", days(14): "16 maart 2026"},
}
GREETING = {"en_US": "Dear Sir or Madam,", "nl_NL": "Geachte heer, mevrouw,"}
SIGNATURE = {"en_US": "Kind regards,", "nl_NL": "Met vriendelijke groet,"}
REPLY = ("reply", "e-mail te antwoorden", "antwoord")


def text_of(content):
    """The visible text of an HTML rendering, on one line, non-breaking spaces as spaces."""
    if isinstance(content, bytes):
        content = content.decode()
    content = re.sub(r"<(style|script)\b.*?</\1>", " ", content, flags=re.DOTALL)
    content = html.unescape(re.sub(r"<[^>]+>", " ", content))
    return re.sub(r"\s+", " ", content.replace("\xa0", " ")).strip()


@tagged("post_install", "-at_install")
class TestLetters(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.company.write(
            {"name": "Debiteuren BV", "phone": "+31 30 987 6543", "email": "debiteuren@example.com"}
        )
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.company.currency_id = cls.eur  # no entries yet: € before the amount in both
        cls.eur.position = "before"
        cls.customer.ar_followup_responsible_id = cls.account_manager
        cls.dutch = cls._customer("Klant Twee", lang="nl_NL")
        cls.dutch.ar_followup_responsible_id = cls.account_manager

    def _letter(self, partner, level, moves, on=None):
        return (
            self.env["ar.followup.history"]
            .sudo()
            .create(  # as the run does
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "channel": "letter",
                    "level_id": level.id,
                    "move_ids": [(6, 0, moves.ids)],
                    "date": on or days(0),
                    "letter_state": "to_print",
                }
            )
        )

    def _render(self, report, records, lang):
        """The report's HTML for ``records``, printed by a user working in ``lang``."""
        self.env.user.lang = lang
        Report = self.env["ir.actions.report"].with_context(lang=lang)
        # a statement as of days(0) (a letter is dated as its history line)
        data = {"date": fields.Date.to_string(days(0))}
        return text_of(Report._render_qweb_html(report, records.ids, data=data)[0])

    def test_shipped_levels_have_letters_in_english_and_dutch(self):
        for level in self.policy.level_ids.filtered("send_email"):
            english = level.with_context(lang="en_US").letter_text
            dutch = level.with_context(lang="nl_NL").letter_text
            self.assertIn("Dear Sir or Madam,", english, level.name)
            self.assertIn("Geachte heer, mevrouw,", dutch, level.name)
            for text in (english, dutch):
                self.assertIn("{collector}", text)
                self.assertIn("{phone}", text)
                self.assertIn("{email}", text)
                self.assertIn("{deadline}", text)
                self.assertFalse(any(word in text for word in REPLY), text)
        self.assertEqual(
            {lvl.delay for lvl in self.policy.level_ids if lvl.letter_text}, set(SHIPPED_LETTERS)
        )
        final = self.levels[30].with_context(lang="nl_NL").letter_text
        self.assertIn("incassobureau", final)
        self.assertIn("geblokkeerd", final)

    def test_letter_of_each_level_in_english_and_dutch(self):
        for lang, partner in (("en_US", self.customer), ("nl_NL", self.dutch)):
            for delay, (_asked, deadline) in SHIPPED_LETTERS.items():
                with self.subTest(lang=lang, delay=delay):
                    due = days(3) if delay < 0 else days(-10)
                    invoice = self._invoice(partner, 1234.56, due)
                    letter = self._letter(partner, self.levels[delay], invoice)
                    text = self._render("ar_followup.report_letter", letter, lang)
                    amount = "€ 1,234.56" if lang == "en_US" else "€ 1.234,56"
                    self.assertIn(GREETING[lang], text)
                    self.assertIn(amount, text)
                    self.assertIn(LONG_DATES[lang][deadline], text)
                    self.assertIn(SIGNATURE[lang], text)
                    self.assertIn("Account Manager Debiteuren BV", text, "signed by the collector")
                    self.assertIn("+31 30 987 6543", text)
                    self.assertIn("debiteuren@example.com", text)
                    self.assertFalse([word for word in REPLY if word in text.lower()], text)
                    if delay == 30:
                        self.assertIn(
                            "collection agency" if lang == "en_US" else "incassobureau", text
                        )
                    invoice.button_draft()
                    invoice.button_cancel()

    def test_dutch_letter_printed_by_an_english_user_is_all_dutch(self):
        self._invoice(self.dutch, 1234.56, days(-10))  # invoice date 21 January
        self._invoice(self.dutch, 100.0, days(5))  # not due
        letter = self._letter(
            self.dutch, self.levels[14], self._invoice(self.dutch, 50.0, days(-40))
        )
        text = self._render("ar_followup.report_letter", letter, "en_US")
        # the letter: Dutch long dates, the overdue amount in Dutch format
        self.assertIn("2 maart 2026", text)
        self.assertIn("het vervallen bedrag van € 1.284,56 uiterlijk 9 maart 2026", text)
        # the table: Dutch headers, dates and amounts; totals
        for term in ("Nummer", "Factuurdatum", "Vervaldatum", "Openstaand bedrag", "(vervallen)"):
            self.assertIn(term, text)
        self.assertIn("21-01-2026 20-02-2026 10 € 1.234,56 € 1.234,56", text)
        self.assertIn("Totaal EUR waarvan vervallen € 1.284,56 € 1.384,56", text)
        # the aging: Dutch headers and amounts
        self.assertIn("Ouderdomsanalyse Valuta Niet vervallen 1-30 dagen 31-60 dagen", text)
        self.assertIn("EUR € 100,00 € 1.234,56 € 50,00 € 0,00 € 0,00 € 1.384,56", text)
        self.assertIn("telefonisch op +31 30 987 6543", text)
        for english in (
            "Dear",
            "Number",
            "Due date",
            "Open amount",
            "Aging",
            "Currency",
            "Not due",
            "days",
            "Total",
            "overdue",
            "March",
            "1,234.56",
            "02/20/2026",
            "Please",
        ):
            self.assertNotIn(english, text)

    def test_english_statement_printed_by_a_dutch_user_is_all_english(self):
        self._invoice(self.customer, 1234.56, days(-10))
        self._invoice(self.customer, 100.0, days(5))
        text = self._render("ar_followup.report_statement", self.customer, "nl_NL")
        self.assertIn("Statement of account Date: 03/02/2026", text)
        self.assertIn("01/21/2026 02/20/2026 10 € 1,234.56 € 1,234.56", text)
        self.assertIn("Total EUR overdue € 1,234.56 € 1,334.56", text)
        self.assertIn("Aging Currency Not due 1-30 days 31-60 days", text)
        self.assertIn("EUR € 100.00 € 1,234.56 € 0.00 € 0.00 € 0.00 € 1,334.56", text)
        self.assertIn("please contact Account Manager by phone at +31 30 987 6543", text)
        self.assertNotIn("replying", text)
        for dutch in ("Overzicht", "Datum", "Totaal", "vervallen", "dagen", "Valuta", "1.234,56"):
            self.assertNotIn(dutch, text)

    def test_statements_of_two_languages_in_one_print(self):
        self._invoice(self.customer, 10.0, days(-10))
        self._invoice(self.dutch, 20.0, days(-10))
        text = self._render("ar_followup.report_statement", self.customer | self.dutch, "en_US")
        english, dutch = text.split("Klant Twee", 1)
        self.assertIn("Total EUR overdue € 10.00", english)
        self.assertIn("Totaal EUR waarvan vervallen € 20,00", dutch)

    def test_reminder_email_still_asks_for_a_reply(self):
        partner = self._customer("Mail Klant", lang="nl_NL")
        self._invoice(partner, 1234.56, days(-10))
        self._run(days(0))
        body = text_of(self._mails(partner).body_html)
        self.assertIn("door op deze e-mail te antwoorden", body)
        self.assertIn("€ 1.234,56", body)
        self.assertNotIn("telefonisch op", body)

    def test_letter_pdf(self):
        # make test installs it (scripts/prepare.sh: ensure_pdftotext)
        self.assertTrue(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
        self._invoice(self.dutch, 1234.56, days(-10))
        letter = self._letter(
            self.dutch, self.levels[30], self._invoice(self.dutch, 10.0, days(-40))
        )
        content, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, lang="en_US")
            ._render_qweb_pdf("ar_followup.action_report_letter", letter.ids)
        )
        self.assertEqual(kind, "pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", pdf.name, "-"], capture_output=True, check=True, text=True
            ).stdout
        text = re.sub(r"\s+", " ", text.replace("\xa0", " "))
        self.assertIn("Geachte heer, mevrouw,", text)
        self.assertIn("2 maart 2026", text)
        self.assertIn("€ 1.244,56", text)
        self.assertIn("9 maart 2026", text)
        self.assertIn("incassobureau", text)
        self.assertIn("Met vriendelijke groet,", text)
        self.assertIn("Ouderdom", text)
        self.assertNotIn("1,234.56", text)

    def test_existing_default_levels_get_the_letters(self):
        custom = "<p>Onze eigen tekst</p>"
        self.levels[7].letter_text = custom
        for delay in (-3, 14, 30):
            self.levels[delay].with_context(lang="en_US").letter_text = False
            self.levels[delay].letter_payment_days = 3
        filled = self.env["ar.followup.policy"]._ar_fill_default_letters()
        self.assertEqual(
            filled & self.policy.level_ids, self.levels[-3] | self.levels[14] | self.levels[30]
        )
        self.assertEqual(self.levels[7].letter_text, custom)
        self.assertEqual(self.levels[14].letter_payment_days, 7)
        self.assertEqual(self.levels[-3].letter_payment_days, 0)
        self.assertIn(
            "Despite our earlier reminder", self.levels[14].with_context(lang="en_US").letter_text
        )
        self.assertIn(
            "Ondanks onze eerdere herinnering",
            self.levels[14].with_context(lang="nl_NL").letter_text,
        )
        self.assertFalse(self.env["ar.followup.policy"]._ar_fill_default_letters())

    def test_dutch_letters_keep_the_placeholders(self):
        po = polib.pofile(os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n", "nl.po"))
        for entry in po:
            for name in LETTER_PLACEHOLDERS:
                token = "{" + name + "}"
                self.assertEqual(
                    entry.msgid.count(token), entry.msgstr.count(token), entry.msgid[:60]
                )
