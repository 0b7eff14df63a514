"""Replies pause the ladder (issue #29, item 4): raw e-mails through Odoo's mail gateway
(``mail.thread.message_process``, as Odoo's own mail tests feed them), on the thread of a
customer's reminder: its contacts' replies pause its follow-up and give its responsible one
activity with what the text hints at; unknown senders, auto-replies and out-of-office
messages do not; nobody forges one over JSON-RPC."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.ar_followup.models.ar_followup_reply import add_working_days

from .common import ArFollowupCase, days

RAW = """From: {email_from}
To: {to}
Subject: Re: Payment reminder
Message-ID: {msg_id}
In-Reply-To: {in_reply_to}
References: {in_reply_to}
Date: Mon, 09 Mar 2026 10:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
{extra}
{body}
"""


class ReplyCase(ArFollowupCase):
    """A customer with a contact and an overdue invoice; replies fed to the gateway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._user("reply_billing", "billing", name="Bea Billing")
        cls.controller = cls._user("reply_controller", "credit_user", name="Carl Controller")
        cls.customer.write({"ar_followup_responsible_id": cls.account_manager.id})
        cls.contact = cls.env["res.partner"].create(
            {"name": "Piet Inkoop", "parent_id": cls.customer.id, "email": "piet@customer.example"}
        )
        cls.invoice = cls._invoice(cls.customer, 1210.0, days(-10))
        cls.count = 0

    def _reminded(self, on=None):
        """The customer's first reminder: its Message-Id, which a reply refers to."""
        self._run(on or days(0))
        mail = self._history(self.customer, "email").mail_id
        self.assertTrue(mail)
        return mail.mail_message_id.message_id

    def _reply(
        self,
        body,
        email_from="piet@customer.example",
        in_reply_to=None,
        extra="",
        user=None,
        to="reminders@company.example",
    ):
        type(self).count += 1
        raw = RAW.format(
            email_from=email_from,
            to=to,
            msg_id=f"<reply-{self.count}@customer.example>",
            in_reply_to=in_reply_to or "<unknown@nowhere>",
            extra=extra,
            body=body,
        )
        Thread = self.env["mail.thread"].with_user(user or self.env.ref("base.user_root"))
        return Thread.message_process(None, raw)

    def _replies(self, partner=None):
        return self.env["ar.followup.reply"].search(
            [("partner_id", "=", (partner or self.customer).id)]
        )


@tagged("post_install", "-at_install")
class TestReplies(ReplyCase, HttpCase):
    def test_a_reply_pauses_the_ladder_and_the_responsible_answers(self):
        ref = self._reminded(days(0))
        with freeze_time(days(1)):
            self._reply("Hello, we paid this yesterday. Regards, Piet", in_reply_to=ref)
        reply = self._replies()
        self.assertEqual(len(reply), 1)
        self.assertEqual(
            (reply.state, reply.says_paid, reply.may_dispute), ("waiting", True, False)
        )
        # 3 working days from Tuesday 3 March 2026: Friday 6 March
        self.assertEqual(reply.paused_until, add_working_days(days(1), 3))
        self.assertEqual(reply.paused_until, days(4))
        activity = reply.activity_ids
        self.assertEqual(
            activity.activity_type_id, self.env.ref("ar_followup.mail_activity_type_reply")
        )
        self.assertEqual(activity.user_id, self.account_manager)
        self.assertIn("Says it paid", activity.note)
        self.assertEqual(self._history(self.customer, "reply").date, days(1))
        # the friendly reminder would now move on to the next level: not while it waits
        self._set_followup_state(self.invoice, self.levels[7], days(-8))
        run = self._run(days(4))
        self.assertFalse(run.history_ids.filtered(lambda h: h.partner_id == self.customer))
        # the responsible answers: the pause ends, in the history, the activity is done
        with freeze_time(days(4)):
            reply.with_user(self.account_manager).action_handled()
        self.assertEqual((reply.state, reply.paused_until), ("handled", False))
        self.assertFalse(reply.activity_ids)
        self.assertEqual(
            self._history(self.customer, "resume").note.split(":")[0],
            "The reply was handled by Account Manager",
        )
        self._run(days(5))
        self.assertEqual(len(self._history(self.customer, "email")), 2)

    def test_a_pause_that_lapses_resumes_once(self):
        ref = self._reminded(days(0))
        with freeze_time(days(1)):
            self._reply("We will look into it.", in_reply_to=ref)
        self._set_followup_state(self.invoice, self.levels[7], days(-8))
        self._run(days(4))  # paused until Friday 6 March
        self.assertEqual(len(self._history(self.customer, "email")), 1)
        self._run(days(7))
        self.assertEqual(len(self._history(self.customer, "resume")), 1)
        self.assertEqual(len(self._history(self.customer, "email")), 2)
        self._run(days(8))
        self.assertEqual(len(self._history(self.customer, "resume")), 1, "once")
        reply = self._replies()
        self.assertEqual((reply.state, reply.resumed), ("waiting", True))
        self.assertTrue(reply.activity_ids, "still to answer")

    def test_who_a_reply_comes_from(self):
        ref = self._reminded(days(0))
        # the customer itself, another contact: replies
        with freeze_time(days(1)):
            self._reply("Klopt niet", email_from="customer.one@example.com", in_reply_to=ref)
        self.assertEqual(len(self._replies()), 1)
        # an unknown address, a portal user of another customer: no pause, nothing
        other = self._customer("Other Customer")
        portal = self._user(
            "reply_portal",
            "portal",
            partner_id=self.env["res.partner"]
            .create(
                {"name": "Other contact", "parent_id": other.id, "email": "someone@other.example"}
            )
            .id,
        )
        second = self._customer("Customer Two")
        self._invoice(second, 300.0, days(-10))
        self._run(days(1))
        ref2 = self._history(second, "email").mail_id.mail_message_id.message_id
        with freeze_time(days(2)):
            self._reply("paid", email_from="stranger@unknown.example", in_reply_to=ref2)
            self._reply("paid", email_from="someone@other.example", in_reply_to=ref2)
        self.assertFalse(self._replies(second))
        self.assertFalse(self._history(second, "reply"))
        # the portal user of the other customer is told nothing of it: not made a follower of
        # its thread, and no access to replies
        self.assertNotIn(portal.partner_id, second.message_partner_ids)
        with self.assertRaises(AccessError):
            self.env["ar.followup.reply"].with_user(portal).search([])

    def test_a_new_e_mail_to_the_reminders_reply_address(self):
        """Not an answer to a reminder, but written to the address the reminders ask replies
        at: from the customer's side it is a reply; from anybody else Odoo routes it as it
        would (no route here: refused), and nothing pauses."""
        self._reminded(days(0))
        mail = self._history(self.customer, "email").mail_id
        address = mail.reply_to or mail.email_from
        self.assertTrue(address)
        with freeze_time(days(1)):
            self._reply("Wij hebben vrijdag betaald.", to=address)
        reply = self._replies()
        self.assertEqual(len(reply), 1)
        self.assertTrue(reply.says_paid)
        with freeze_time(days(1)), self.assertRaises(ValueError):
            self._reply("Buy our product", email_from="spam@unknown.example", to=address)
        self.assertEqual(len(self._replies()), 1)

    def test_auto_replies_and_out_of_office_do_not_pause(self):
        ref = self._reminded(days(0))
        for extra in (
            "Auto-Submitted: auto-replied",
            "X-Autoreply: yes",
            "Precedence: auto_reply",
            "X-Auto-Response-Suppress: All",
        ):
            with freeze_time(days(1)):
                self._reply("I am out of the office until Monday.", in_reply_to=ref, extra=extra)
        self.assertFalse(self._replies())
        # Auto-Submitted: no is a person
        with freeze_time(days(1)):
            self._reply("Paid.", in_reply_to=ref, extra="Auto-Submitted: no")
        self.assertEqual(len(self._replies()), 1)

    def test_hints_in_english_and_dutch(self):
        ref = self._reminded(days(0))
        with freeze_time(days(1)):
            self._reply(
                f"De levering klopt niet: factuur {self.invoice.name} is beschadigd. "
                "We betalen de rest op 15-03-2026.",
                in_reply_to=ref,
            )
        reply = self._replies()
        self.assertEqual((reply.says_paid, reply.may_dispute), (False, True))
        self.assertEqual(reply.move_ids, self.invoice)
        self.assertEqual(reply.promise_date, days(13))  # 15 March 2026
        action = reply.with_user(self.controller).action_open_dispute()
        self.assertEqual(action["context"]["default_move_ids"][0][2], self.invoice.ids)
        action = reply.with_user(self.controller).action_log_promise()
        self.assertEqual(action["context"]["default_promise_date"], days(13))
        # English, an American date, "the 15th"
        self.customer.lang = "en_US"
        with freeze_time(days(2)):
            self._reply("We transferred it; the rest on 3/20/2026.", in_reply_to=ref)
        reply.invalidate_recordset()
        self.assertTrue(reply.says_paid)
        self.assertEqual(reply.promise_date, days(18))

    def test_a_date_named_with_its_month(self):
        """Dates written with the month's name, in Dutch and English: the next such day."""
        Reply = self.env["ar.followup.reply"]
        with freeze_time(days(0)):  # Monday 2 March 2026
            for text, expected in (
                ("Wij betalen het deel dat geleverd is op 15 maart.", days(13)),
                ("We will pay on March 20th, 2026.", days(18)),
                ("Betaling volgt 5 jan.", date(2027, 1, 5)),
                ("Op 1 maart betaald", date(2027, 3, 1)),  # gone this year: the next one
                ("No date here, may we talk?", False),
            ):
                self.assertEqual(
                    Reply._ar_date_named(text, self.customer, self.company), expected, text
                )

    def test_three_replies_one_activity(self):
        ref = self._reminded(days(0))
        for n in range(3):
            with freeze_time(days(1) + timedelta(hours=n)):
                self._reply(f"Message {n}", in_reply_to=ref)
        reply = self._replies()
        self.assertEqual(len(reply), 1)
        self.assertEqual(len(reply.message_ids), 3)
        self.assertEqual(len(reply.activity_ids), 1)
        self.assertEqual(len(self._history(self.customer, "reply")), 1)
        self.assertEqual(reply.summary.strip(), "Message 2")

    def test_nobody_forges_or_ends_a_reply_over_rpc(self):
        ref = self._reminded(days(0))
        raw = RAW.format(
            email_from="piet@customer.example",
            to="x@example.com",
            msg_id="<forged@x>",
            in_reply_to=ref,
            extra="",
            body="paid",
        )
        # a billing user feeding the gateway itself: processed as Odoo does, no reply
        self._rpc("reply_billing", "mail.thread", "message_process", False, raw)
        # an "e-mail" posted on the customer
        self._rpc(
            "reply_billing",
            "res.partner",
            "message_post",
            [self.customer.id],
            body="we paid",
            message_type="email",
            author_id=self.contact.id,
        )
        self.assertFalse(self._replies())
        with freeze_time(days(1)):
            self._reply("<script>alert(1)</script> paid", in_reply_to=ref)
        reply = self._replies()
        # the note escapes what the customer wrote
        self.assertNotIn("<script>", reply.activity_ids.note)
        for login in ("reply_billing",):
            self._refused(login, "ar.followup.reply", "action_handled", reply.ids)
            self._refused(login, "ar.followup.reply", "write", reply.ids, {"state": "handled"})
            self._refused(login, "ar.followup.reply", "write", reply.ids, {"paused_until": False})
            self._refused(
                login,
                "ar.followup.reply",
                "create",
                {"partner_id": self.customer.id, "company_id": self.company.id},
            )
        self.assertEqual(reply.state, "waiting")
        with self.assertRaises(AccessError):
            reply.with_user(self.billing).action_handled()
        reply.with_user(self.controller).action_handled()
        with self.assertRaises(UserError):
            reply.with_user(self.controller).action_handled()

    def test_an_activity_one_gives_oneself_ends_no_pause(self):
        """A salesperson who puts an activity of its own on the reply, or takes over the
        reply's activity, is still not who handles it: the customer's responsible is."""
        ref = self._reminded(days(0))
        with freeze_time(days(1)):
            self._reply("Wij betwisten factuur", in_reply_to=ref)
        reply = self._replies()
        seller = self._user("reply_seller", "internal", name="Sam Seller")
        model = self.env["ir.model"]._get_id("ar.followup.reply")
        self._ok(
            "reply_seller",
            "mail.activity",
            "create",
            {"res_model_id": model, "res_id": reply.id, "user_id": seller.id},
        )
        self._ok(
            "reply_seller",
            "mail.activity",
            "write",
            reply.activity_ids[:1].ids,
            {"user_id": seller.id},
        )
        self._refused("reply_seller", "ar.followup.reply", "action_handled", reply.ids)
        self.assertEqual(reply.state, "waiting")
        # the customer's follow-up responsible does
        reply.with_user(self.account_manager).action_handled()
        self.assertEqual(reply.state, "handled")

    def test_never_a_reminder_while_a_reply_waits(self):
        """Invariant over a sequence of runs, replies and answers: no reminder goes to the
        customer on a day one of its replies was waiting within its pause."""
        ref = self._reminded(days(0))
        second = self._invoice(self.customer, 300.0, days(2))
        waiting = {}
        for day in range(1, 40):
            on = days(day)
            if day in (3, 15, 16, 30):
                with freeze_time(on):
                    self._reply(f"Reply of day {day}", in_reply_to=ref)
            if day in (9, 20):
                reply = self._replies().filtered(lambda r: r.state == "waiting")
                if reply:
                    with freeze_time(on):
                        reply.with_user(self.controller).action_handled()
            reply = self._replies().filtered(lambda r: r.state == "waiting")
            waiting[on] = bool(reply and reply.paused_until and reply.paused_until >= on)
            self._run(on)
        for line in self._history(self.customer, "email"):
            self.assertFalse(waiting.get(line.date), f"a reminder on {line.date} while paused")
        self.assertTrue(second.ar_followup_level_id)
        self.assertLessEqual(len(self._replies()), 3)

    def test_the_worklist_shows_the_customers_waiting_for_an_answer_first(self):
        ref = self._reminded(days(0))
        big = self._customer("Big Debtor")
        self._invoice(big, 90000.0, days(-60))
        with freeze_time(days(1)):
            self._reply("Klopt niet", in_reply_to=ref)
            action = self.env["ar.worklist.line"].action_worklist()
        lines = self.env["ar.worklist.line"].search(action["domain"])
        self.assertEqual(lines[0].partner_id, self.customer)
        self.assertEqual(lines[0].reply_id, self._replies())
        self.assertIn(big, lines.partner_id)
