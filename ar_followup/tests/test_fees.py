"""Collection costs and statutory interest charged by the run (issue #16).

Every expected amount is computed by hand in the comment next to it, from the scales and
rules whose sources head test_fee_scales.py (WIK, Book XIX CEL, Directive 2011/7/EU) and the
rates shipped in data/ar_fee_data.xml, each with its publication (see test_rates.py).
"""

from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.ar_followup.models.ar_fee import LEGAL_RULES

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestFeesCharged(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])
        cls.consumer = cls._customer("Jan Jansen", is_company=False)
        # the figures of these tests, however small, are invoiced (test_petty_fees: not)
        cls.company.ar_fee_min_amount = 0.0

    def _fee_lines(self, partner):
        return self._history(partner, "fee")

    def _costs(self, partner):
        return self._fee_lines(partner).filtered("fee_amount")

    def _fourteen_day_ladder(self):
        """14-day letter at +14 claiming costs; the +30 level archived, so that the letter's
        term ends between two levels (+21 and +45)."""
        self._make_fourteen_day_letter(self.levels[14], charge_costs=True)
        self.levels[45].charge_costs = True
        self.levels[30].active = False

    def test_consumer_claim_charged_once(self):
        """Three invoices of 100 named in one 14-day letter: WIK on 300 = 45.00, once, on the
        first run after its term, though no level is reached that day; the letter announced
        exactly that amount."""
        self._fourteen_day_ladder()
        invoices = [self._invoice(self.consumer, 100.0, days(-8), currency=self.eur) for _ in "abc"]
        self._run(days(0))  # +8: friendly reminder
        self._run(days(7))  # +15: the 14-day letter, e-mailed on days(7)
        letter = self._history(self.consumer, "email")[-1]
        self.assertEqual(letter.level_id, self.levels[14])
        self.assertEqual(letter.claim_move_ids.ids, [m.id for m in invoices])
        # announced: WIK(EUR 300) = EUR 45 = USD 22.50 (company currency, EUR at 2.0)
        self.assertIn("22.50", letter.body_html)
        self._run(days(14))  # +22: the call; 7 days into the term
        self._run(days(21))  # the term's last day (8 to 21 March)
        self.assertFalse(self._costs(self.consumer))
        run = self._run(days(22))  # day 15 after the letter: no level, the costs
        self.assertFalse(run.email_count)
        fee = self._costs(self.consumer)
        self.assertEqual(len(fee), 1)
        self.assertEqual(fee.fee_amount, 45.0)  # 15% of 300
        self.assertEqual(fee.fee_base, 300.0)
        self.assertEqual(fee.fee_currency_id, self.eur)
        self.assertEqual(sorted(fee.move_ids.ids), sorted(m.id for m in invoices))
        self.assertIn("15% of 300.00", fee.fee_computation)
        self.assertEqual(fee.fee_move_id.amount_total, 45.0)
        self.assertTrue(fee.fee_move_id.ar_is_fee_invoice)
        self.assertEqual(fee.fee_move_id.state, "posted")
        self.assertIn("(on 300.00", fee.fee_move_id.invoice_line_ids.name)
        # the +45 level claims costs too: never again for these invoices
        for n in range(23, 60):
            self._run(days(n))
        self.assertEqual(self._costs(self.consumer), fee)
        self.assertEqual(invoices[0].ar_followup_level_id, self.levels[45])

    def test_a_fourteen_day_letter_must_state_the_costs(self):
        level = self.levels[14]  # its template is the second reminder's
        with self.assertRaises(ValidationError):
            level.is_fourteen_day_letter = True
        with self.assertRaises(ValidationError):
            self._make_fourteen_day_letter(level, letter_text="<p>Pay within 14 days.</p>")
        self._make_fourteen_day_letter(level, letter_text=False, send_letter="never")
        self.assertTrue(level.is_fourteen_day_letter)

    def test_a_second_fourteen_day_letter_gives_its_own_term(self):
        """Each 14-day letter promises 14 days: the costs of the invoices it names wait for
        the term of the latest one, and are charged once, on the sum it announced."""
        self._fourteen_day_ladder()
        first = self._invoice(self.consumer, 1000.0, days(-8), currency=self.eur)
        second = self._invoice(self.consumer, 500.0, days(-1), currency=self.eur)
        self._run(days(0))  # first: +8
        self._run(days(7))  # first: the 14-day letter (names both); second: +8
        self._run(days(14))  # second: its own 14-day letter, term 15 to 28 days(...)
        letters = self._history(self.consumer, "email").filtered(
            lambda h: h.level_id == self.levels[14]
        )
        self.assertEqual(len(letters), 2)
        self.assertEqual(letters[-1].claim_move_ids, first | second)
        self._run(days(22))  # the first letter's term is over, not the second's
        self.assertFalse(self._costs(self.consumer))
        self._run(days(28))
        self.assertFalse(self._costs(self.consumer))
        self._run(days(29))
        fee = self._costs(self.consumer)
        self.assertEqual(fee.fee_amount, 225.0)  # 15% of 1,500, once
        self.assertEqual(fee.move_ids, first | second)

    def test_costs_wait_only_for_a_fourteen_day_letter_that_goes_out(self):
        """An invoice reaching the 14-day level on a day the customer gets a higher reminder
        (no 14-day letter goes out) does not put the costs of the earlier letter off."""
        self._fourteen_day_ladder()
        self.levels[30].active = True
        old = self._invoice(self.consumer, 1000.0, days(-8), currency=self.eur)
        self._run(days(0))
        self._run(days(7))  # old: the 14-day letter; its term ends days(21)
        late = self._invoice(self.consumer, 200.0, days(7), currency=self.eur)
        self._run(days(14))  # old: the call; late: +7, the friendly reminder
        self._run(days(23))  # old: the final notice; late: +16, its 14-day level
        self.assertEqual(old.ar_followup_level_id, self.levels[30])
        self.assertEqual(late.ar_followup_level_id, self.levels[14])
        sent = self._history(self.consumer, "email").filtered(lambda h: h.date == days(23))
        self.assertEqual(sent.level_id, self.levels[30], "the final notice, not a 14-day letter")
        costs = self._costs(self.consumer)
        self.assertEqual((costs.fee_amount, costs.move_ids), (150.0, old))
        self.assertNotIn(late, costs.move_ids)

    def test_a_business_named_in_a_fourteen_day_letter_waits_for_its_term(self):
        """The letter promised 14 days: a business is not charged before they have passed,
        though its costs could be charged at once without the letter."""
        self._fourteen_day_ladder()
        invoice = self._invoice(self.customer, 1000.0, days(-8), currency=self.eur)
        self._run(days(0))
        self._run(days(7))  # the 14-day letter, with costs announced
        self.assertEqual(self._history(self.customer, "email")[-1].claim_move_ids, invoice)
        self.assertFalse(self._costs(self.customer))
        self._run(days(21))
        self.assertFalse(self._costs(self.customer))
        self._run(days(22))
        self.assertEqual(self._costs(self.customer).fee_amount, 150.0)

    def test_fourteen_day_letter_by_post(self):
        """A 14-day letter posted: received two days later, costs from day 17."""
        self._fourteen_day_ladder()
        consumer = self._customer("Piet Post", is_company=False, email=False)
        self._invoice(consumer, 1000.0, days(-8), currency=self.eur)
        self._run(days(0))
        self._history(consumer, "letter").action_print_letters()
        self._run(days(7))
        letters = self._history(consumer, "letter")
        self.assertEqual(letters[-1].level_id, self.levels[14])
        # printed the day of the run: sent days(7); received days(9); term days(10)-days(23)
        letters[-1].action_print_letters()
        self._run(days(23))
        self.assertFalse(self._costs(consumer))
        self._run(days(24))
        self.assertEqual(self._costs(consumer).fee_amount, 150.0)

    def test_letter_before_the_due_date_does_not_count(self):
        """An invoice not yet due when the 14-day letter was sent is not in its claim."""
        self._fourteen_day_ladder()
        old = self._invoice(self.consumer, 1000.0, days(-8), currency=self.eur)
        new = self._invoice(self.consumer, 500.0, days(10), currency=self.eur)
        self._run(days(0))
        self._run(days(7))
        self.assertEqual(self._history(self.consumer, "email")[-1].claim_move_ids, old)
        for n in (14, 22, 30):
            self._run(days(n))
        fee = self._costs(self.consumer)
        self.assertEqual(fee.move_ids, old)
        self.assertEqual(fee.fee_amount, 150.0)
        self.assertNotIn(new, self._costs(self.consumer).move_ids)

    def test_consumer_without_letter_pays_no_costs(self):
        self.levels[7].charge_costs = True
        self._invoice(self.consumer, 1000.0, days(-8), currency=self.eur)
        self._run(days(0))  # +8: a level that claims costs, but no 14-day letter
        self.assertFalse(self._costs(self.consumer))
        skip = self._history(self.consumer, "skip").filtered(lambda h: "14-day" in (h.note or ""))
        self.assertTrue(skip)

    def test_business_claim_charged_once(self):
        """A business with one invoice of 1,000 on two levels that claim costs: WIK 150.00,
        once; with the €40 option: 40.00 once (not at each level)."""
        self.levels[14].charge_costs = True
        self.levels[30].charge_costs = True
        invoice = self._invoice(self.customer, 1000.0, days(-8), currency=self.eur)
        for n in (0, 7, 14, 22, 30, 50):
            self._run(days(n))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[45])
        self.assertEqual(self._costs(self.customer).mapped("fee_amount"), [150.0])
        self.company.ar_costs_b2b = "minimum"
        flat = self._customer("Flat Rate")
        self._invoice(flat, 1000.0, days(43), currency=self.eur)
        for n in (51, 58, 65, 73, 81, 91):  # after the first customer's runs: never back
            self._run(days(n))
        self.assertEqual(self._costs(flat).mapped("fee_amount"), [40.0])

    def test_no_charge_on_a_day_no_reminder_goes_out(self):
        """The demo's Schildersbedrijf Bakker: a second invoice reaches the final notice while
        the customer already had one for an invoice still open. No second final notice goes
        out, so its costs and interest are not charged that day (a skip line says why); they
        go with the hand-off, the next step the customer hears of."""
        self.levels[30].charge_costs = True
        self.levels[30].charge_interest = True
        first = self._invoice(self.customer, 1000.0, days(-30), currency=self.eur)
        second = self._invoice(self.customer, 500.0, days(-20), currency=self.eur)
        self._set_followup_state(first, self.levels[21], days(-9))
        self._set_followup_state(second, self.levels[21], days(-1))
        for n in range(30):
            self._run(days(n))
        fee = self._fee_lines(self.customer).fee_move_id
        self._pay(first, first.amount_residual, on=days(30))
        self._pay(fee, fee.amount_residual, on=days(30))
        # still on hold (released by the next run): posted through a manager's override
        third = self._invoice(
            self.customer, 200.0, days(35), currency=self.eur, invoice_date=days(5), override=True
        )
        for n in range(30, 33):
            self._run(days(n))
        lines = [
            ((h.date - days(0)).days, h.channel, h.level_id.delay, h.move_ids, h.fee_amount)
            for h in self._history(self.customer)
            if h.channel in ("fee", "email") or "charged" in (h.note or "")
        ]
        self.assertEqual(
            lines,
            [
                (0, "fee", 30, first, 150.0),  # 15 % of 1,000 (WIK, first bracket)
                (0, "fee", 30, first, 0.0),  # its interest
                (0, "email", 30, first, 0.0),  # with the final notice
                (10, "skip", 30, second, 0.0),  # no second final notice: nothing charged
                # day 32: the courtesy reminder of the third invoice goes out (the tone fell
                # with the first invoice paid); the second's costs and interest go with it,
                # at the level it has reached meanwhile (+45, day 25)
                (32, "fee", 45, second, 75.0),  # 15 % of 500
                (32, "fee", 45, second, 0.0),
                (32, "email", -3, third, 0.0),
            ],
        )
        skip = self._history(self.customer, "skip").filtered(lambda h: "charged" in h.note)
        self.assertIn("no reminder goes out to the customer today", skip.note)

    def test_business_at_least_forty_per_invoice(self):
        self.levels[7].charge_costs = True
        for _ in range(3):
            self._invoice(self.customer, 50.0, days(-8), currency=self.eur)
        self._run(days(0))
        fee = self._costs(self.customer)
        self.assertEqual(len(fee), 1)
        self.assertEqual(fee.fee_amount, 120.0)  # WIK(150) = 40 < 3 x 40
        self.assertEqual(len(fee.move_ids), 3)

    def test_flat_rate_once_per_invoice(self):
        self.company.ar_costs_b2b = "minimum"
        self.levels[7].charge_costs = True
        self.levels[14].charge_costs = True
        first = self._invoice(self.customer, 1000.0, days(-8), currency=self.eur)
        self._run(days(0))
        second = self._invoice(self.customer, 200.0, days(-1), currency=self.eur)
        self._run(days(7))  # first reaches +14 (no new costs), second +8 (its own 40)
        costs = self._costs(self.customer)
        self.assertEqual(costs.mapped("fee_amount"), [40.0, 40.0])
        self.assertEqual([c.move_ids for c in costs], [first, second])

    def test_fixed_costs_from_the_terms(self):
        self.company.write({"ar_costs_b2b": "fixed", "ar_costs_b2b_fixed": 15.0})
        self.levels[7].charge_costs = True
        self._invoice(self.customer, 1000.0, days(-8))  # company currency
        self._invoice(self.customer, 10.0, days(-8))
        self._run(days(0))
        self.assertEqual(self._costs(self.customer).fee_amount, 30.0)  # 2 x 15.00

    def test_be_consumer_waits_after_the_free_first_reminder(self):
        """Book XIX CEL: the first reminder is free; nothing but the principal until its 14
        days (from the day after the e-mail) have passed: then the damages and the interest
        once, on the first run after, though no level is reached that day."""
        self.company.ar_interest_regime = "be"
        for delay in (7, 14):
            self.levels[delay].charge_costs = True
            self.levels[delay].charge_interest = True
        self.levels[21].active = False
        self.levels[30].active = False
        self._invoice(self.consumer, 300.0, days(-8), currency=self.eur)
        self._run(days(0))  # first reminder, e-mailed days(0): 2 to 15 March 2026
        self.assertFalse(self._fee_lines(self.consumer), "the first reminder is free")
        # it says so, with the damages that follow (EUR 45 = USD 22.50) and the legal rate
        body = self._mails(self.consumer).body_html
        self.assertIn("This reminder is free of charge", body)
        self.assertIn("22.50", body)
        self.assertIn("4.50% a year", body)
        self._run(days(7))  # second reminder: 7 days into the period
        self.assertFalse(self._fee_lines(self.consumer))
        self._run(days(14))  # the period's last day
        self.assertFalse(self._fee_lines(self.consumer))
        run = self._run(days(15))
        self.assertFalse(run.email_count)
        lines = self._fee_lines(self.consumer)
        self.assertEqual(lines.mapped("fee_amount"), [45.0, 0.0])  # 30 + 10% of 150
        # interest from the day after the period, 17 March, to the run, 17 March: one day of
        # the 2026 legal interest (4.50%): 300 * 4.5% / 365 = 0.036986 -> 0.04
        self.assertEqual(lines.mapped("interest_amount"), [0.0, 0.04])
        self._run(days(16))
        self.assertEqual(len(self._fee_lines(self.consumer)), 2, "exactly once")

    def test_be_consumer_by_post(self):
        """Posted on Monday 2 March 2026: the period starts on the third working day after
        (Thursday 5 March) and ends on 18 March; the damages on 19 March."""
        self.company.ar_interest_regime = "be"
        self.levels[7].charge_costs = True
        consumer = self._customer("Brief Post", is_company=False, email=False)
        self._invoice(consumer, 1234.56, days(-8), currency=self.eur)
        self._run(days(0))
        self._history(consumer, "letter").action_print_letters()
        self._run(days(16))  # 18 March
        self.assertFalse(self._costs(consumer))
        self._run(days(17))  # 19 March
        self.assertEqual(self._costs(consumer).fee_amount, 101.73)

    def test_be_consumer_living_in_belgium_of_a_dutch_company(self):
        belgian = self._customer(
            "Marie Peeters", is_company=False, country_id=self.env.ref("base.be").id
        )
        self.assertEqual(self.env["ar.fee"]._rule(belgian, self.company), LEGAL_RULES["be", True])
        self.assertEqual(
            self.env["ar.fee"]._rule(self.consumer, self.company), LEGAL_RULES["nl", True]
        )

    def test_consumer_interest_from_the_fourteen_day_term(self):
        """Interest on a Dutch consumer's invoice runs from the day after the 14-day letter's
        term, unless the terms make the payment term a fatal term."""
        self._fourteen_day_ladder()
        self.levels[14].charge_interest = True
        first = self._invoice(self.consumer, 1000.0, days(-8), currency=self.eur)
        self._run(days(0))
        self._run(days(7))  # 14-day letter on 9 March 2026; term 10 to 23 March
        self.assertFalse(self._fee_lines(self.consumer))
        self._run(days(22))  # 24 March: the costs and the interest of one day
        lines = self._fee_lines(self.consumer)
        # the 2026-H1 wettelijke rente, 4%: 1000 * 4% * 1/365 = 0.1096 -> 0.11
        self.assertEqual(sorted(lines.mapped("interest_amount")), [0.0, 0.11])
        self.assertEqual(first.ar_followup_state_ids.interest_date, days(22))
        self._run(days(23))
        self.assertEqual(len(self._fee_lines(self.consumer)), 2, "exactly once")

    def test_consumer_interest_with_a_fatal_term(self):
        self.company.ar_consumer_fatal_term = True
        self._make_fourteen_day_letter(self.levels[14])
        self.levels[14].charge_interest = True
        self._invoice(self.consumer, 1000.0, days(-8), currency=self.eur)
        self._run(days(0))
        self._run(days(7))
        # 23 Feb to 9 March 2026 = 15 days at 4%: 1000 * 4% * 15/365 = 1.6438 -> 1.64
        self.assertEqual(self._fee_lines(self.consumer).interest_amount, 1.64)

    def test_fee_invoice_never_charged(self):
        """A fee invoice stays overdue through every level: listed in each reminder, never
        part of a claim, never charged interest."""
        for delay in (7, 14, 30, 45):
            self.levels[delay].charge_costs = True
            self.levels[delay].charge_interest = True
        self._invoice(self.customer, 1000.0, date(2025, 12, 24))
        for day in (date(2026, 1, 1), date(2026, 1, 8), date(2026, 1, 15)):
            self._run(day)
        fee_invoices = self.env["account.move"].search(
            [("partner_id", "=", self.customer.id), ("ar_is_fee_invoice", "=", True)]
        )
        self.assertTrue(fee_invoices)
        for n in range(15, 80):
            self._run(date(2026, 1, 1) + timedelta(days=n))
        lines = self._fee_lines(self.customer)
        self.assertFalse(lines.move_ids & fee_invoices, "no fee on a fee invoice")
        self.assertEqual(len(lines.filtered("fee_amount")), 1)
        self.assertTrue(
            fee_invoices[0].ar_followup_level_id,
            (
                fee_invoices[0].invoice_date_due,
                self._history(self.customer).mapped(
                    lambda h: (
                        h.date,
                        h.channel,
                        h.level_id.delay,
                        h.note,
                        h.move_ids.mapped("name"),
                    )
                ),
            ),
        )
        self.assertIn(fee_invoices[0].name, self._mails(self.customer)[-1].body_html)

    def test_costs_of_an_undelivered_reminder_are_cancelled(self):
        """The reminder that claimed the costs never reached the customer (our mail server
        was down through every retry): its fee invoice is cancelled, and the costs are
        claimed again, once, with the reminder that does reach it."""
        self.levels[7].charge_costs = True
        invoice = self._invoice(self.customer, 1000.0, days(-8), currency=self.eur)
        start = datetime(2026, 3, 2, 8, 0)
        with self._smtp_down():
            self._run(days(0), send=False)
            for hours in (0, 2, 5):
                self._send_queue_at(start + timedelta(hours=hours))
        fee = self._costs(self.customer)
        self.assertEqual(self._history(self.customer, "email").delivery_state, "failed")
        self.assertEqual(fee.delivery_state, "cancelled")
        self.assertEqual(fee.fee_move_id.state, "cancel")
        self.assertIn("not delivered", fee.note)
        self.assertFalse(invoice.ar_followup_state_ids.costs_date)
        self._run(days(1))
        charged = self._costs(self.customer).filtered(lambda h: h.delivery_state != "cancelled")
        self.assertEqual(charged.mapped("fee_amount"), [150.0])
        self.assertEqual(charged.fee_move_id.state, "posted")
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])

    def test_fee_invoice_on_the_reminder_of_a_batched_run(self):
        """A run of several batches reads the open items of all customers once: the fee
        invoices it creates on the way are still listed on their customers' reminders."""
        self.company.ar_costs_b2b = "minimum"
        self.levels[7].charge_costs = True
        customers = [self._customer(f"Batched {i}") for i in range(3)]
        for customer in customers:
            self._invoice(customer, 100.0, days(-8), currency=self.eur)
        self._set_batch_size(1)
        run = self.Run.with_company(self.company)
        run.process(days(0))
        for customer in customers:
            fee = self._fee_lines(customer)
            self.assertEqual(fee.fee_amount, 40.0, customer.name)
            body = self._mails(customer).body_html
            self.assertIn(fee.fee_move_id.name, body)
            # costs only: named on their own line, no interest (issue #33, point 10)
            self.assertIn("Collection costs: 40.00\xa0€", body)
            self.assertNotIn("interest", body.lower())
            self.assertIn("140.00", body, "total open of the invoice and the fee")

    def test_never_charged_twice_for_an_invoice(self):
        self.levels[7].charge_costs = True
        invoice = self._invoice(self.customer, 100.0, days(-8), currency=self.eur)
        self._run(days(0))
        self.assertEqual(self._fee_lines(self.customer).fee_amount, 40.0)
        # the invoice reaches the same level again (e.g. its level was reset)
        self._set_followup_state(invoice, None, None)
        self._run(days(1))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self.assertEqual(len(self._fee_lines(self.customer)), 1)

    def test_statutory_interest_charged_and_not_twice(self):
        self.levels[7].charge_interest = True
        self.levels[14].charge_interest = True
        # due 2025-01-31, at 11.15% (NL commercial rate of 2025-H1: ECB 3.15% + 8)
        invoice = self._invoice(self.customer, 10000.0, date(2025, 1, 31))
        self._run(date(2025, 2, 8))  # 8 days: 10000 * 11.15% * 8/365 = 24.44
        first = self._fee_lines(self.customer)
        self.assertEqual(first.interest_amount, 24.44)
        self.assertIn("11.15", first.fee_computation)
        self._run(date(2025, 2, 15))  # 15 days: 45.82 accrued, 24.44 charged: 21.38
        second = self._fee_lines(self.customer) - first
        self.assertEqual(second.interest_amount, 21.38)
        self.assertIn("24.44", second.fee_computation)
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])

    def test_missing_rate_is_reported(self):
        self.levels[7].charge_interest = True
        self._invoice(self.customer, 1000.0, date(2026, 7, 31))
        run = self._run(date(2026, 8, 8))  # no rate is known from 2026-07-01
        self.assertFalse(self._fee_lines(self.customer))
        skip = self._history(self.customer, "skip")
        self.assertIn("No statutory interest charged", skip.note)
        self.assertIn("Statutory Interest Rates", run.log)
        name = self._history(self.customer, "email").move_ids.name
        Activity = self.env["mail.activity"]
        activity = Activity.search([("res_model", "=", "ar.interest.rate")])
        self.assertEqual(len(activity), 1)
        self.assertIn(name, activity.note)
        self.assertEqual(activity.user_id, self.company._ar_credit_manager())
        # a later run that misses the same figure updates it, does not ask again
        other = self._invoice(self.customer, 500.0, date(2026, 7, 31))
        self.levels[14].charge_interest = True
        self._run(date(2026, 8, 15))
        self.assertEqual(Activity.search([("res_model", "=", "ar.interest.rate")]), activity)
        self.assertIn(other.name, activity.note)

    def test_interest_charged_once_the_missing_rate_is_entered(self):
        """A run met no rate: once the credit-control manager has entered it, the next run
        charges the interest (not only the invoice's next level), and the activity is done."""
        self.levels[7].charge_interest = True
        self._invoice(self.customer, 1000.0, date(2026, 6, 20))
        self._run(date(2026, 7, 5))  # +15: the friendly reminder; no rate from 2026-07-01
        self.assertFalse(self._fee_lines(self.customer))
        activity = self.env["mail.activity"].search([("res_model", "=", "ar.interest.rate")])
        self.assertEqual(len(activity), 1)
        self._run(date(2026, 7, 6))
        self.assertFalse(self._fee_lines(self.customer), "no rate yet: nothing, no retry")
        # a test input, not a published figure: the ECB rate of 2026-07-01 is not shipped
        self.env["ar.interest.rate"].with_user(self.credit_manager).create(
            {"kind": "ecb_refi", "date_from": "2026-07-01", "rate": 2.15}
        )
        self.assertFalse(activity.exists(), "the activity is done")
        self._run(date(2026, 7, 7))
        # 21 June to 7 July 2026 = 17 days at 10.15% (ECB 2.15% + 8, both half-years):
        # 1000 * 10.15% * 17/365 = 4.7274 -> 4.73
        self.assertEqual(self._fee_lines(self.customer).interest_amount, 4.73)
        self._run(date(2026, 7, 8))
        self.assertEqual(len(self._fee_lines(self.customer)), 1, "exactly once")

    def test_fourteen_day_letter_states_the_amount(self):
        self._invoice(self.consumer, 1000.0, days(-20), currency=self.eur)
        template = self.env.ref("ar_followup.mail_template_fourteen_day_letter")
        reminder = self._reminder(self.consumer, days(0))
        body = template._render_field("body_html", [reminder.id])[reminder.id]
        self.assertIn("75.00", body)  # WIK(EUR 1,000) = EUR 150 = USD 75.00
        self.consumer.lang = "nl_NL"
        body = template._render_field("body_html", [reminder.id], compute_lang=True)[reminder.id]
        self.assertIn("Wij stellen u in de gelegenheid", body)
        self.assertIn("75,00", body)

    def test_only_the_manager_edits_rates_and_fee_policies(self):
        billing = self._user("fee_billing", "billing")
        with self.assertRaises(AccessError):
            self.levels[7].with_user(billing).write({"charge_costs": True})
        self.levels[7].with_user(self.credit_manager).write({"charge_costs": True})
        self.assertTrue(self.levels[7].charge_costs)


@tagged("post_install", "-at_install")
class TestFeeInvariants(ArFollowupCase):
    """Invariants after every daily run of a sequence of events for a consumer and a business
    (new invoices, a partial payment, a policy change)."""

    def test_costs_once_and_never_on_fees(self):
        eur = self.setup_other_currency("EUR", rates=[("2020-01-01", 1.0)])
        self._make_fourteen_day_letter(self.levels[14])
        for delay in (14, 30, 45):
            self.levels[delay].charge_costs = True
            self.levels[delay].charge_interest = True
        consumer = self._customer("Sequence Consumer", is_company=False)
        business = self._customer("Sequence Business")
        invoices = self.env["account.move"]
        for partner in (consumer, business):
            invoices |= self._invoice(partner, 400.0, days(-20), currency=eur)
        Fee = self.env["ar.fee"]
        for n in range(70):
            if n == 5:
                for partner in (consumer, business):
                    invoices |= self._invoice(partner, 700.0, days(2), currency=eur)
            if n == 20:
                self._pay(invoices[0], 100.0, on=days(n))
            if n == 35:
                self.levels[30].charge_costs = False  # a policy change half-way
            self._run(days(n))
            lines = self.env["ar.followup.history"].search(
                [("partner_id", "in", (consumer | business).ids), ("channel", "=", "fee")]
            )
            fees = lines.fee_move_id
            self.assertTrue(all(fees.mapped("ar_is_fee_invoice")))
            self.assertFalse(lines.move_ids & fees, f"day {n}: a fee on a fee invoice")
            for invoice in invoices:
                costs = lines.filtered(lambda h, i=invoice: h.fee_amount and i in h.move_ids)
                self.assertLessEqual(len(costs), 1, f"day {n}: costs twice for {invoice.name}")
                charged = sum(
                    lines.filtered(lambda h, i=invoice: i in h.move_ids).mapped("interest_amount")
                )
                rule = Fee._rule(invoice.commercial_partner_id, self.company)
                ceiling = Fee.interest(
                    400.0 if invoice.amount_total == 400.0 else 700.0,
                    invoice.invoice_date_due,
                    days(n),
                    rule.interest,
                    rule.compound,
                )
                self.assertLessEqual(charged, ceiling + 0.01, f"day {n}: {invoice.name}")
            for line in lines.filtered("fee_amount"):
                # the costs of a claim follow from its recorded base, by the customer's rule
                rule = Fee._rule(line.partner_id, self.company)
                count = len(line.move_ids)
                expected = Fee._claim_costs(
                    rule, self.company, [line.fee_base / count] * count, days(n)
                )
                self.assertAlmostEqual(line.fee_amount, expected[0], places=2)
