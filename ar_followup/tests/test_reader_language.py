# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The texts the system writes in the history are in the reader's language (#33, point 11):
a new user's English colleagues read Dutch history lines and hold reasons, written in the
language of whoever ran the follow-up. A history line of the system is written in every
installed language; what a user typed stays as typed."""

from datetime import date

from odoo.tests import tagged
from odoo.tools.translate import code_translations

from .common import ArFollowupCase


@tagged("post_install", "-at_install")
class TestReaderLanguage(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.dutch = code_translations.get_python_translations("ar_followup", "nl_NL")

    def _notes(self, line):
        return (
            line.with_context(lang="en_US").note,
            line.with_context(lang="nl_NL").note,
        )

    def test_a_run_by_a_dutch_user_writes_for_english_readers_too(self):
        self.levels[30].credit_hold = True
        no_phone = self._customer("No Phone", phone=False)
        self._invoice(no_phone, 500.0, date(2026, 8, 1))
        held = self._customer("Held")
        self._invoice(held, 800.0, date(2026, 8, 1))
        for day in (date(2026, 8, 9), date(2026, 8, 16), date(2026, 8, 23), date(2026, 9, 1)):
            self.Run.with_context(lang="nl_NL").process(day)
            self._send_queue()
        english = "No phone number for the call."
        skips = self._history(no_phone, "skip").with_context(lang="en_US")
        skip = skips.filtered(lambda line: line.note == english)[:1]
        self.assertTrue(
            skip,
            self._history(no_phone).mapped(lambda h: (h.date, h.channel, h.level_id.delay, h.note)),
        )
        self.assertEqual(self._notes(skip), (english, self.dutch[english]))
        hold = self._history(held, "hold")
        self.assertTrue(hold)
        en, nl = self._notes(hold)
        self.assertTrue(en.startswith("Follow-up level "), en)
        self.assertIn(self.levels[30].with_context(lang="en_US").name, en)
        self.assertNotEqual(en, nl)
        self.assertIn(self.levels[30].with_context(lang="nl_NL").name, nl)
        # the dry run shows the reader's language too
        lines = (
            self.env["ar.followup.dry.run"]
            .with_context(lang="en_US")
            ._ar_simulate(date(2026, 9, 8))
        )
        for line in lines:
            if line["note"]:
                self.assertNotIn(self.dutch[english], line["note"])

    def test_a_typed_note_stays_as_typed(self):
        with self.subTest("promise"):
            self.env["ar.promise.wizard"].with_context(lang="nl_NL").create(
                {
                    "partner_id": self.customer.id,
                    "promise_date": date.today(),
                    "promise_amount": 100.0,
                    "note": "Betaalt vrijdag",
                }
            ).action_confirm()
            line = self._history(self.customer, "promise")
            self.assertEqual(self._notes(line), ("Betaalt vrijdag", "Betaalt vrijdag"))

    def test_a_hold_without_a_reason_says_by_whom_in_the_readers_language(self):
        """A manager who puts a customer on hold without a reason (the form, RPC): "by
        <user>" is the system's text, read in each reader's language; the customer's hold
        reason keeps the manager's."""
        customer = self._customer("By Whom")
        customer.with_company(self.company).with_user(self.credit_manager).write(
            {"ar_credit_hold": True}
        )
        line = self._history(customer, "hold")
        by = self.dutch["by %(user)s"] % {"user": "Credit Manager"}
        self.assertEqual(self._notes(line), ("by Credit Manager", by))
        self.assertTrue(by.startswith("door "))
        self.assertEqual(
            self._account(customer.with_company(self.company)).credit_hold_reason,
            "by Credit Manager",
        )
