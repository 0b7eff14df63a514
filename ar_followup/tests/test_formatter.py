from datetime import date

from odoo.tests import TransactionCase, tagged
from odoo.tools import format_date, formatLang

from odoo.addons.ar_followup.tools import ArFormatter, parse_amount

# repeated values (the formatter remembers the last one), every length of the integer part
VALUES = (
    0.0,
    0.005,
    0.005,
    1.0,
    -12.5,
    1234.567,
    1234.567,
    1234567.891,
    -0.004,
    -999.995,
    -1234.5,
    12345678901.25,
    100000.0,
)


@tagged("post_install", "-at_install")
class TestFormatter(TransactionCase):
    """The reminders' formatter gives the text of Odoo's formatLang and format_date."""

    def test_same_text_as_odoo(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        eur = self.env.ref("base.EUR")
        usd = self.env.ref("base.USD")
        for lang in ("en_US", "nl_NL"):
            env = self.env(context=dict(self.env.context, lang=lang))
            formatter = ArFormatter(env)
            for currency in (eur, usd):
                for value in VALUES:
                    self.assertEqual(
                        formatter.amount(value, currency),
                        formatLang(env, value, currency_obj=currency),
                        f"{lang} {currency.name} {value}",
                    )
            for value in (date(2026, 3, 2), date(2026, 12, 31)):
                self.assertEqual(formatter.date(value), format_date(env, value), lang)
            self.assertEqual(formatter.date(False), "")
        nl = ArFormatter(self.env(context=dict(self.env.context, lang="nl_NL")))
        self.assertIn("1.234,50", nl.amount(1234.5, eur))
        self.assertIn("1,234.50", ArFormatter(self.env).amount(1234.5, eur))

    def test_other_grouping(self):
        """Languages that do not group by threes (here 3, then 2) take Odoo's own grouping."""
        lang = self.env["res.lang"]._activate_lang("nl_NL")
        lang.write({"grouping": "[3,2,0]"})
        env = self.env(context=dict(self.env.context, lang="nl_NL"))
        formatter = ArFormatter(env)
        eur, usd = self.env.ref("base.EUR"), self.env.ref("base.USD")
        for value in VALUES:
            for currency in (eur, usd, eur):
                self.assertEqual(
                    formatter.amount(value, currency),
                    formatLang(env, value, currency_obj=currency),
                    f"{currency.name} {value}",
                )
        self.assertIn("1.23.45.678,90", formatter.amount(12345678.9, eur))


@tagged("post_install", "-at_install")
class TestParseAmount(TransactionCase):
    def test_amounts_as_people_type_them(self):
        for text, dutch, english in (
            ("2.000,00", 2000.0, 2000.0),
            ("2,000.00", 2000.0, 2000.0),
            ("2000,00", 2000.0, 2000.0),
            ("2000.5", 2000.5, 2000.5),
            ("2.000", 2000.0, 2.0),  # Dutch groups thousands with a dot
            ("2,000", 2.0, 2000.0),  # English with a comma
            ("2,5", 2.5, 2.5),
            ("1.234.567,89", 1234567.89, 1234567.89),
            ("€ 1 250,00", 1250.0, 1250.0),
            ("125,50 EUR", 125.5, 125.5),
            ("-5", -5.0, -5.0),
            ("0,001", 0.001, 0.001),  # no thousands after a leading 0
            ("0.001", 0.001, 0.001),
            ("0,50", 0.5, 0.5),
        ):
            self.assertEqual(parse_amount(text, "."), dutch, text)
            self.assertEqual(parse_amount(text, ","), english, text)
        for text in (
            "",
            "abc",
            "1e3",
            "inf",
            "nan",
            "1.2.3,4",
            "12\x00",
            ",5",
            "1,2,3",
            "0.000,01",
            "1234.567,89",
            None,
        ):
            self.assertIsNone(parse_amount(text, "."), text)
