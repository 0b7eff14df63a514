"""Invariants of listening over random sequences of events (issue #29): new invoices, runs,
payments coming in (statement lines not matched yet) and matched later, replies and their
handling, a pause that ends. Whatever the order:

* a customer is never sent a reminder on a day one of its replies was waiting within its
  pause, nor while a payment of its was waiting that covered all it owed overdue;
* never two activities for one waiting statement line, never two open *Customer replied*
  activities for one customer.
"""

import random

from freezegun import freeze_time

from odoo.tests import tagged

from .common import days
from .test_replies import ReplyCase

REPLY_ACTIVITY = "ar_followup.mail_activity_type_reply"
MATCH_ACTIVITY = "ar_followup.mail_activity_type_match_payment"


@tagged("post_install", "-at_install")
class TestListeningSequences(ReplyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ar_bank_feed_hold = False
        # new invoices come in along the walk: no level puts the customer on hold
        cls.policy.level_ids.write({"credit_hold": False})
        cls.journal = cls.company_data["default_journal_bank"]

    def _overdue(self, on):
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.customer.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("amount_residual", ">", 0),
                ("invoice_date_due", "<", on),
            ]
        )
        return sum(moves.mapped("amount_residual"))

    def _waiting_lines(self):
        return self.env["account.bank.statement.line"].search(
            [("is_reconciled", "=", False), ("partner_id", "=", self.customer.id)]
        )

    def _match(self, line):
        """The bookkeeper matches the line with the customer's oldest open invoices."""
        receivable = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("parent_state", "=", "posted"),
                ("balance", ">", 0),
            ],
            order="date_maturity",
        )
        suspense = line.move_id.line_ids.filtered(
            lambda l: l.account_id == line.journal_id.suspense_account_id
        )
        line.move_id.with_context(skip_readonly_check=True).write(
            {
                "line_ids": [
                    (
                        1,
                        suspense.id,
                        {
                            "account_id": receivable[:1].account_id.id,
                            "partner_id": self.customer.id,
                        },
                    )
                ]
            }
        )
        (suspense | receivable).reconcile()

    def _activities(self, xmlid):
        return self.env["mail.activity"].search([("activity_type_id", "=", self.env.ref(xmlid).id)])

    def test_sequences_of_payments_replies_and_runs(self):
        ref = self._reminded(days(0))
        for seed in (1, 2, 3):
            self._walk(random.Random(seed), seed, ref)

    def _walk(self, rng, seed, ref):
        start = 1 + (seed - 1) * 45
        held = set()  # days on which the customer must not get a reminder
        for day in range(start, start + 45):
            on = days(day)
            event = rng.choice(["invoice", "pay", "match", "reply", "handle", "none", "none"])
            if event == "invoice":
                self._invoice(self.customer, rng.choice([150.0, 480.0, 1210.0]), days(day - 20))
            elif event == "pay" and self._overdue(on) and not self._waiting_lines():
                self.env["account.bank.statement.line"].create(
                    {
                        "journal_id": self.journal.id,
                        "date": on,
                        "amount": self._overdue(on),
                        "partner_id": self.customer.id,
                        "payment_ref": f"Transfer {seed}-{day}",
                    }
                )
            elif event == "match" and self._waiting_lines():
                self._match(self._waiting_lines()[:1])
            elif event == "reply":
                with freeze_time(on):
                    self._reply(f"Reply {seed}-{day}: we paid", in_reply_to=ref)
            elif event == "handle":
                waiting = self._replies().filtered(lambda r: r.state == "waiting")
                if waiting:
                    with freeze_time(on):
                        waiting.with_user(self.controller).action_handled()
            reply = self._replies().filtered(lambda r: r.state == "waiting")
            if reply and reply.paused_until and reply.paused_until >= on:
                held.add(on)
            lines = self._waiting_lines()
            if lines and sum(lines.mapped("amount")) >= self._overdue(on) > 0:
                held.add(on)
            self._run(on)
            self._check_activities(seed, day)
        for line in self._history(self.customer, "email"):
            self.assertNotIn(line.date, held, f"seed {seed}: a reminder on {line.date}")
        self.assertTrue(held, f"seed {seed}: the walk never held the customer back")

    def _check_activities(self, seed, day):
        matches = self._activities(MATCH_ACTIVITY)
        self.assertEqual(len(matches), len(set(matches.mapped("res_id"))), f"seed {seed} day {day}")
        replies = self._activities(REPLY_ACTIVITY)
        self.assertLessEqual(len(replies), 1, f"seed {seed} day {day}")
