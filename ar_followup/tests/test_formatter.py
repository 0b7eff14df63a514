from datetime import date

from odoo.tests import TransactionCase, tagged
from odoo.tools import format_date, formatLang

from odoo.addons.ar_followup.tools import ArFormatter


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
                for value in (0.0, 0.005, 1.0, -12.5, 1234.567, 1234567.891, -0.004):
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
