"""The run listens before it chases (issue #29, items 2 and 3): bank statement lines not
matched yet that belong to a customer hold its reminder back, with a history line and one
activity a line to match it; a stale bank feed holds back what goes beyond the first overdue
level, and the credit-control manager is told once."""

from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from odoo.addons.ar_followup.models.ar_followup_run_listen import subtract_working_days

from .common import ArFollowupCase, days

MATCH = "ar_followup.mail_activity_type_match_payment"
FEED = "ar_followup.mail_activity_type_bank_feed"


@tagged("post_install", "-at_install")
class TestListening(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.company_data["default_journal_bank"]
        cls.invoice = cls._invoice(cls.customer, 1210.0, days(-10))
        cls.company.ar_bank_feed_hold = False  # the feed's own tests turn it on

    def _line(self, amount, on, **values):
        """An incoming bank statement line of ``amount`` on ``on`` (posted, not matched)."""
        return self.env["account.bank.statement.line"].create(
            {
                "journal_id": values.pop("journal", self.bank).id,
                "date": on,
                "amount": amount,
                "payment_ref": values.pop("label", "Transfer"),
                **values,
            }
        )

    def _match_activities(self, lines=None):
        domain = [("activity_type_id", "=", self.env.ref(MATCH).id)]
        if lines is not None:
            domain += [("res_model", "=", "account.move"), ("res_id", "in", lines.move_id.ids)]
        return self.env["mail.activity"].search(domain)

    def _emails(self, partner=None):
        return self._history(partner or self.customer, "email")

    def test_a_payment_of_the_customer_holds_its_reminder_back(self):
        line = self._line(1210.0, days(-1), partner_id=self.customer.id)
        self._run(days(0))
        self.assertFalse(self._emails())
        skip = self._history(self.customer, "skip")
        self.assertIn("payment of $\xa01,210.00 received on 03/01/2026, not matched yet", skip.note)
        self.assertIn("held back until it is matched", skip.note)
        activity = self._match_activities(line)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.company._ar_credit_manager())
        self.assertIn("is not matched with its invoices", activity.note)
        # the next runs: still held, never a second activity for the line
        self._run(days(1))
        self._run(days(2))
        self.assertFalse(self._emails())
        self.assertEqual(len(self._match_activities(line)), 1)
        # matched: the invoice is paid, nothing is asked any more
        receivable = self.invoice.line_ids.filtered(lambda l: l.account_type == "asset_receivable")
        self._reconcile(line, receivable)
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self._run(days(3))
        self.assertFalse(self._emails())

    def _reconcile(self, line, receivable):
        """Match ``line`` with ``receivable`` as a bookkeeper does: its suspense line becomes
        the receivable counterpart, then both are reconciled."""
        suspense = line.move_id.line_ids.filtered(
            lambda l: l.account_id == line.journal_id.suspense_account_id
        )
        line.move_id.with_context(skip_readonly_check=True).write(
            {
                "line_ids": [
                    Command.update(
                        suspense.id,
                        {"account_id": receivable.account_id.id, "partner_id": self.customer.id},
                    )
                ]
            }
        )
        (suspense | receivable).reconcile()

    def test_matched_by_bank_account_number_or_reference(self):
        bank_account = (
            self.env["res.partner.bank"]
            .sudo()
            .create({"acc_number": "NL91 ABNA 0417 1643 00", "partner_id": self.customer.id})
        )
        self.assertTrue(bank_account.sanitized_acc_number)
        by_iban = self._line(1210.0, days(-1), account_number="nl91abna0417164300")
        self._run(days(0))
        self.assertFalse(self._emails())
        self.assertEqual(len(self._match_activities(by_iban)), 1)
        # by the invoice number, by its payment reference (another customer, same day)
        for label in ("name", "payment_reference"):
            other = self._customer(f"By {label}")
            invoice = self._invoice(other, 500.0, days(-10))
            self.assertTrue(invoice[label])
            line = self._line(500.0, days(-1), label=f"Betaling {invoice[label]} dank u")
            self._run(days(1))
            self.assertFalse(self._emails(other), label)
            self.assertEqual(len(self._match_activities(line)), 1, label)

    def test_what_is_no_payment_on_its_way(self):
        """Another currency, a line already matched, a line of another company, a line older
        than the invoice: the reminder goes."""
        eur = self.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])
        self._line(
            2420.0,
            days(-1),
            partner_id=self.customer.id,
            foreign_currency_id=eur.id,
            amount_currency=2420.0,
        )
        self._line(1210.0, days(-60), label=self.invoice.name)  # before the invoice
        other_company = self.setup_other_company(name="Listen B")
        self._line(
            1210.0,
            days(-1),
            partner_id=self.customer.id,
            journal=other_company["default_journal_bank"],
        )
        matched = self._line(1210.0, days(-1), partner_id=self.customer.id)
        receivable = self._invoice(self.customer, 1210.0, days(-20)).line_ids.filtered(
            lambda l: l.account_type == "asset_receivable"
        )
        self._reconcile(matched, receivable)
        self.assertTrue(matched.is_reconciled)
        self._run(days(0))
        self.assertEqual(len(self._emails()), 1)
        self.assertFalse(self._match_activities())

    def test_a_partial_payment(self):
        """1,000.00 of 1,210.00 waiting: the rest, 210.00, is below a minimum of 250.00: held
        back, named; with a minimum of 100.00 the reminder goes, and the activity says the
        payment is part of what is asked."""
        self.levels[7].min_overdue_amount = 250.0
        line = self._line(1000.0, days(-1), partner_id=self.customer.id)
        self._run(days(0))
        self.assertFalse(self._emails())
        skip = self._history(self.customer, "skip")
        self.assertIn("the rest ($\xa0210.00) is below the minimum of Friendly reminder", skip.note)
        self.assertIn(
            "It pays part of the $&nbsp;1,210.00 asked.", self._match_activities(line).note
        )
        self.levels[7].min_overdue_amount = 100.0
        self._run(days(1))
        self.assertEqual(len(self._emails()), 1)
        self.assertEqual(len(self._match_activities(line)), 1)

    def test_one_query_for_all_customers(self):
        run = self.Run.sudo().with_company(self.company).create({"date": days(0)})
        few = [self.customer.id]
        many = []
        for n in range(20):
            customer = self._customer(f"Many {n}")
            self._invoice(customer, 100.0, days(-10))
            self._line(100.0, days(-1), partner_id=customer.id)
            many.append(customer.id)
        counts = []
        for ids in (few, many):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            waiting = run._ar_waiting_payments(ids)
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(len(waiting), 20)
        self.assertEqual(counts[0], counts[1], counts)

    def test_never_a_reminder_while_a_payment_waits(self):
        """Invariant over a sequence of runs and payments coming in, matched later: no
        reminder on a day a payment of the customer covering it was waiting."""
        waiting_days = set()
        line = None
        for day in range(40):
            on = days(day)
            if day == 12:
                line = self._line(1210.0, on, partner_id=self.customer.id)
            if line and not line.is_reconciled:
                waiting_days.add(on)
            if day == 25:
                # one activity for the line while it waited; done once it is matched
                self.assertEqual(len(self._match_activities()), 1)
                receivable = self.invoice.line_ids.filtered(
                    lambda l: l.account_type == "asset_receivable"
                )
                self._reconcile(line, receivable)
                self.assertFalse(self._match_activities())
            self._run(on)
        for email in self._emails():
            self.assertNotIn(email.date, waiting_days)
        self.assertTrue(self._emails(), "reminded before the payment came in")
        self.assertFalse(self._match_activities())

    # -- the bank feed -----------------------------------------------------------------------

    def test_a_company_that_never_imported_is_told_once(self):
        self.company.ar_bank_feed_hold = True
        run = self._run(days(0))
        self.assertIn("No bank statement was ever imported", run.log)
        self.assertEqual(
            len(
                self.env["mail.activity"].search([("activity_type_id", "=", self.env.ref(FEED).id)])
            ),
            1,
        )
        self.assertEqual(len(self._emails()), 1, "not held back: told")
        run = self._run(days(1))
        self.assertNotIn("No bank statement", run.log or "")
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.ar_bank_feed_newest)

    def test_a_stale_feed_holds_back_beyond_the_first_overdue_level(self):
        """The newest line is of Monday 23 February 2026; on Monday 2 March, three working
        days back is Wednesday 25 February: stale. The friendly reminder (+7) goes, the
        second (+14) waits, with a history line; the manager gets one activity."""
        self.company.ar_bank_feed_hold = True
        self.assertEqual(subtract_working_days(days(0), 3), days(-5))
        self._line(10.0, days(-7), label="Something else")
        second = self._customer("At the second level")
        late = self._invoice(second, 400.0, days(-20))
        self._set_followup_state(late, self.levels[7], days(-13))
        run = self._run(days(0))
        self.assertIn("The newest bank statement line is of 02/23/2026", run.log)
        self.assertEqual(len(self._emails()), 1, "the friendly reminder goes")
        self.assertFalse(self._emails(second))
        self.assertIn("the bank statements are not current", self._history(second, "skip").note)
        feed = self.env["mail.activity"].search([("activity_type_id", "=", self.env.ref(FEED).id)])
        self.assertEqual(len(feed), 1)
        self._run(days(1))
        self.assertEqual(
            len(
                self.env["mail.activity"].search([("activity_type_id", "=", self.env.ref(FEED).id)])
            ),
            1,
            "once",
        )
        # current again: the activity is done, the second reminder goes
        self._line(5.0, days(2), label="Something else")
        self._run(days(2))
        self.assertFalse(feed.exists())
        self.assertEqual(len(self._emails(second)), 1)
        # the option off: nothing held back
        self.company.ar_bank_feed_hold = False
        third = self._customer("Option off")
        later = self._invoice(third, 400.0, days(-20))
        self._set_followup_state(later, self.levels[7], days(-13) + timedelta(days=20))
        self._run(days(30))
        self.assertTrue(self._emails(third))
