"""The credit decision on every path an invoice is posted by (issue #28), attacked as the
insider did: JSON-RPC on /web/dataset/call_kw as a billing user, Odoo's auto-post cron as
OdooBot. Each path is refused with its reason, and nothing is posted; a credit-control
manager goes ahead only with an override and a reason, which the invoice's chatter keeps."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, fields
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestInvoiceCreditPaths(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._user("paths_billing", "billing", name="Bea Billing")
        cls.held = cls._customer("Houthandel Jansen")
        cls.env["ar.customer.account"]._ar_of(
            cls.held.with_company(cls.company)
        )._ar_set_credit_hold("Final notice unpaid", days(0))
        cls.limited = cls._customer("Limited Customer")
        cls.company.write({"account_use_credit_limit": True})
        cls._set_credit(
            cls.limited.with_company(cls.company).sudo(), credit_limit=5000.0, credit_policy="block"
        )

    def _draft(self, partner, amount, move_type="out_invoice"):
        return self._invoice(partner, amount, days(30), move_type=move_type, post=False)

    def _state(self, move):
        move.invalidate_recordset(["state"])
        return move.state

    def test_a_context_key_a_state_write_or_a_create_posts_nothing(self):
        draft = self._draft(self.held, 1210.0)
        # the key the run used to skip the check, sent by the client
        message = self._refused(
            "paths_billing",
            "account.move",
            "action_post",
            [draft.id],
            context={
                "allowed_company_ids": self.company.ids,
                "ar_followup_skip_credit_check": True,
            },
        )
        self.assertIn("Houthandel Jansen is on credit hold (Final notice unpaid).", message)
        self.assertIn("Only a credit-control manager can post this invoice.", message)
        self.assertEqual(self._state(draft), "draft")
        # the state written as a value
        message = self._refused(
            "paths_billing", "account.move", "write", [draft.id], {"state": "posted"}
        )
        self.assertIn("is on credit hold", message)
        self.assertEqual(self._state(draft), "draft")
        # created posted
        before = self.env["account.move"].search_count([("partner_id", "=", self.held.id)])
        self._refused(
            "paths_billing",
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": self.held.id,
                "state": "posted",
                "invoice_line_ids": [Command.create({"name": "Goods", "price_unit": 500.0})],
            },
        )
        self.assertEqual(
            self.env["account.move"].search_count([("partner_id", "=", self.held.id)]), before
        )
        # no override was logged either way
        self.assertFalse(draft.message_ids.filtered(lambda m: "despite" in (m.body or "")))

    def test_a_sales_receipt_is_credit_too(self):
        receipt = self._draft(self.held, 300.0, move_type="out_receipt")
        self._refused("paths_billing", "account.move", "action_post", [receipt.id])
        self.assertEqual(self._state(receipt), "draft")
        # a credit note gives no credit: posted
        refund = self._draft(self.held, 50.0, move_type="out_refund")
        self.assertEqual(
            self._rpc("paths_billing", "account.move", "action_post", [refund.id])[0], "ok"
        )
        self.assertEqual(self._state(refund), "posted")

    def test_the_auto_post_cron_is_no_manager(self):
        """A billing user sets a held customer's draft to post itself; Odoo's cron (OdooBot)
        leaves it a draft, says why on it, and posts the others."""
        held = self._draft(self.held, 800.0)
        free = self._draft(self.customer, 800.0)
        for move in (held, free):
            result = self._rpc(
                "paths_billing",
                "account.move",
                "write",
                [move.id],
                {"auto_post": "at_date"},
            )
            self.assertEqual(result[0], "ok", result)
        self.env["account.move"].with_user(self.env.ref("base.user_root"))._autopost_draft_entries()
        self.assertEqual(self._state(held), "draft")
        self.assertEqual(held.auto_post, "no")
        self.assertIn("is on credit hold", held.message_ids[0].body)
        self.assertEqual(self._state(free), "posted")

    def test_a_draft_credit_note_makes_no_room_under_the_limit(self):
        """A 10,000.00 draft credit note, a 6,000.00 invoice posted over a 5,000.00 limit,
        the draft deleted: the credit note counts nothing, the invoice is refused."""
        refund = self._draft(self.limited, 10000.0, move_type="out_refund")
        invoice = self._draft(self.limited, 6000.0)
        message = self._refused("paths_billing", "account.move", "action_post", [invoice.id])
        # exposure 6,000.00 (the draft itself) over 5,000.00: 1,000.00 above
        self.assertIn("above its credit limit of $\xa05,000.00 by $\xa01,000.00", message)
        self.assertEqual(self._state(invoice), "draft")
        self.assertEqual(self._state(refund), "draft")

    def test_a_manager_goes_ahead_only_with_an_override_and_its_reason(self):
        draft = self._draft(self.held, 1210.0)
        # the button opens the dialog; nothing is posted yet
        result = self._rpc("ar_manager", "account.move", "action_post", [draft.id])
        self.assertEqual(result[0], "ok")
        self.assertEqual(result[1]["res_model"], "ar.credit.override.wizard")
        self.assertEqual(self._state(draft), "draft")
        # no reason, no way: the state written by a manager is refused as well
        message = self._refused(
            "ar_manager", "account.move", "write", [draft.id], {"state": "posted"}
        )
        self.assertIn("use Credit override on the document and give the reason", message)
        for reason in ("", "   "):
            self._refused(
                "ar_manager",
                "ar.credit.override",
                "create",
                {"res_model": "account.move", "res_id": draft.id, "reason": reason},
            )
        # nobody else gives an override, nor changes one, nor forges its user or state
        self._refused(
            "paths_billing",
            "ar.credit.override",
            "create",
            {"res_model": "account.move", "res_id": draft.id, "reason": "Trust me"},
        )
        status, override_id = self._rpc(
            "ar_manager",
            "ar.credit.override",
            "create",
            {
                "res_model": "account.move",
                "res_id": draft.id,
                "reason": "Paid by phone",
                "user_id": self.billing.id,
                "state": "used",
            },
        )
        self.assertEqual(status, "ok")
        override = self.env["ar.credit.override"].browse(override_id)
        self.assertEqual(
            (override.user_id, override.state, override.partner_id),
            (self.credit_manager, "approved", self.held),
        )
        self.assertIn("is on credit hold", override.problems)
        self._refused("ar_manager", "ar.credit.override", "write", [override_id], {"reason": "x"})
        self._refused("ar_manager", "ar.credit.override", "unlink", [override_id])
        # the manager's override is good for the posting, once, whoever presses the button
        self.assertEqual(
            self._rpc("paths_billing", "account.move", "action_post", [draft.id])[0], "ok"
        )
        self.assertEqual(self._state(draft), "posted")
        self.assertEqual(override.state, "used")
        log = draft.message_ids.filtered(lambda m: "despite" in (m.body or ""))
        self.assertEqual(len(log), 1)
        self.assertIn("Posted by Credit Manager despite:", log.body)
        self.assertIn("Reason: Paid by phone", log.body)
        # used: the next invoice needs its own
        second = self._draft(self.held, 100.0)
        self._refused("paths_billing", "account.move", "action_post", [second.id])

    def test_an_override_of_yesterday_or_of_an_ex_manager_is_none(self):
        draft = self._draft(self.held, 100.0)
        override = (
            self.env["ar.credit.override"]
            .with_user(self.credit_manager)
            .create({"res_model": "account.move", "res_id": draft.id, "reason": "Paid"})
        )
        override.sudo().date = fields.Date.context_today(override) - timedelta(days=1)
        self._refused("paths_billing", "account.move", "action_post", [draft.id])
        override.sudo().date = fields.Date.context_today(override)
        self.credit_manager.sudo().groups_id = [
            Command.unlink(self.env.ref("ar_followup.group_ar_manager").id)
        ]
        self._refused("paths_billing", "account.move", "action_post", [draft.id])
        self.assertEqual(self._state(draft), "draft")

    def test_the_run_posts_its_own_fee_invoices_of_a_held_customer(self):
        """The run's fee invoice is decided by the server: posted for a customer on hold (a
        business, 1,000.00 overdue: WIK 15 % = 150.00, as test_fees computes it)."""
        self.levels[14].charge_costs = True
        customer = self._customer("Held Business")
        self._invoice(customer, 1000.0, days(-8))
        self.env["ar.customer.account"]._ar_of(
            customer.with_company(self.company)
        )._ar_set_credit_hold("By hand", days(0))
        for n in (0, 7, 14):
            self._run(days(n))
        fee = self._history(customer, "fee").fee_move_id
        self.assertEqual((fee.state, fee.amount_total), ("posted", 150.0))
        self.assertTrue(customer.with_company(self.company).ar_credit_hold)

    def test_the_run_is_for_today_another_day_a_managers_never_back(self):
        today = fields.Date.context_today(self.env["ar.followup.run"])
        message = self._refused(
            "paths_billing",
            "ar.followup.run",
            "process",
            date=fields.Date.to_string(today + timedelta(days=85)),
        )
        self.assertIn("only a credit-control manager runs it for another day", message)
        # not a date: said, not a traceback
        message = self._refused("ar_manager", "ar.followup.run", "process", date="2026-13-45")
        self.assertIn("is not a date", message)
        self._refused(
            "paths_billing",
            "ar.followup.run",
            "process",
            date=fields.Date.to_string(today - timedelta(days=3)),
        )
        self.assertFalse(self.env["ar.followup.run"].search([]))
        # a missed day: the manager's
        status, _run = self._rpc(
            "ar_manager",
            "ar.followup.run",
            "process",
            date=fields.Date.to_string(today - timedelta(days=3)),
        )
        self.assertEqual(status, "ok", _run)
        # today: anybody's; then never back before it, not even the manager
        self.assertEqual(self._rpc("paths_billing", "ar.followup.run", "process")[0], "ok")
        message = self._refused(
            "ar_manager",
            "ar.followup.run",
            "process",
            date=fields.Date.to_string(today - timedelta(days=1)),
        )
        self.assertIn("a run never goes back before it", message)
        # a manager's run of a day to come: today's run waits for it, the cron skips
        ahead = fields.Date.to_string(today + timedelta(days=2))
        self.assertEqual(self._rpc("ar_manager", "ar.followup.run", "process", date=ahead)[0], "ok")
        self._refused("paths_billing", "ar.followup.run", "process")
        with (
            patch.object(type(self.env["ir.cron"]), "_notify_progress"),
            patch.object(self.env.cr, "commit"),
        ):
            self.env["ar.followup.run"].with_user(SUPERUSER_ID).with_company(
                self.company
            )._cron_process()
        self.assertEqual(
            sorted(self.env["ar.followup.run"].search([]).mapped("date")),
            [today - timedelta(days=3), today, today + timedelta(days=2)],
        )

    def test_a_revoked_statement_link_takes_its_invoice_links_along(self):
        invoice = self._invoice(self.customer, 300.0, days(0))
        self._run(days(7))
        link = self.env["ar.statement.link"].search([("partner_id", "=", self.customer.id)])
        with freeze_time(days(8)):
            page = self.url_open(link._ar_url())
        self.assertEqual(page.status_code, 200)
        invoice_url = f"/my/invoices/{invoice.id}?access_token={invoice.access_token}"
        self.assertIn(invoice_url.replace("&", "&amp;"), page.text)
        self.assertEqual(self.url_open(invoice_url).status_code, 200)
        other = self._invoice(self._customer("Someone Else"), 100.0, days(0))
        token_other = other.access_token
        link.with_user(self.credit_manager).action_revoke()
        with freeze_time(days(8)):
            self.assertEqual(self.url_open(link._ar_url()).status_code, 404)
        # the page it listed opens no more with that token (Odoo sends it to the login)
        response = self.url_open(invoice_url, allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
        self.assertTrue(invoice.access_token)
        self.assertNotIn(invoice.access_token, invoice_url)
        # another customer's invoice keeps its link
        self.assertEqual(other.access_token, token_other)

    def test_the_settings_say_who_the_credit_control_managers_are(self):
        settings = self.env["res.config.settings"].create({})
        self.assertIn(self.credit_manager, settings.ar_credit_manager_ids)
        self.assertNotIn(self.billing, settings.ar_credit_manager_ids)
        self.assertNotIn(self.env.ref("base.user_root"), settings.ar_credit_manager_ids)

    # -- the second attack (issue #28, before resolving) ---------------------------------

    def test_a_credit_note_that_charges_or_a_type_switched_in_the_write_is_decided(self):
        """A credit note of -1,000.00 posted by a state write debits the customer 1,000.00:
        it gives credit, and is decided; so is a draft turned into an invoice in the posting
        write itself."""
        note = self._draft(self.held, -1000.0, move_type="out_refund")
        self.assertGreater(note.amount_total_signed, 0)
        message = self._refused(
            "paths_billing", "account.move", "write", [note.id], {"state": "posted"}
        )
        self.assertIn("is on credit hold", message)
        self.assertEqual(self._state(note), "draft")
        self._refused(
            "paths_billing",
            "account.move",
            "write",
            [note.id],
            {"move_type": "out_invoice", "state": "posted"},
        )
        self.assertEqual((self._state(note), note.move_type), ("draft", "out_refund"))

    def test_transactions_are_the_payment_flows(self):
        """The "paid online" exemption reads transactions: nobody links one to an invoice by
        hand, nor writes one done."""
        paid = self._draft(self.customer, 100.0)
        tx = self._transaction(self.held, 1210.0, "PATHS-TX", invoices=paid, done=False)
        draft = self._draft(self.held, 1210.0)
        message = self._refused(
            "paths_billing",
            "account.move",
            "write",
            [draft.id],
            {"transaction_ids": [Command.link(tx.id)]},
        )
        self.assertIn("linked by the payment itself", message)
        for vals in (
            {"state": "done"},
            {"amount": 1.0},
            {"invoice_ids": [Command.set(draft.ids)]},
            {"partner_id": self.customer.id},
        ):
            self._refused("paths_billing", "payment.transaction", "write", [tx.id], vals)
        tx.invalidate_recordset()
        self.assertEqual((tx.state, tx.amount, tx.invoice_ids), ("draft", 1210.0, paid))
        # the provider's own flow still moves it on (a settings user: the provider is theirs)
        admin = self._user(
            "paths_admin", "billing", groups="base.group_system,account.group_account_manager"
        )
        tx.with_user(admin)._set_done()
        self.assertEqual(tx.state, "done")
        self._refused("paths_billing", "account.move", "action_post", [draft.id])

    def test_the_block_limit_is_not_dodged_by_taking_back_a_credit_note(self):
        """A 5,000.00 limit: a posted credit note of 10,000.00 makes room, an invoice of
        6,000.00 is posted in it, then the credit note is set back to draft: refused (the
        exposure would be 6,000.00, 1,000.00 above); a payment the same."""
        refund = self._invoice(self.limited, 10000.0, days(30), move_type="out_refund")
        invoice = self._draft(self.limited, 6000.0)
        self.assertEqual(
            self._rpc("paths_billing", "account.move", "action_post", [invoice.id])[0], "ok"
        )
        message = self._refused("paths_billing", "account.move", "button_draft", [refund.id])
        self.assertIn("Taking back", message)
        self.assertIn("by $\xa01,000.00", message)
        self.assertEqual(self._state(refund), "posted")
        # the same room made by a payment: 4,000.00 invoiced and paid, 5,000.00 invoiced
        # then; the payment set back: 9,000.00, 4,000.00 above
        payer = self._customer("Paying Customer")
        self._set_credit(
            payer.with_company(self.company).sudo(), credit_limit=5000.0, credit_policy="block"
        )
        first = self._invoice(payer, 4000.0, days(30))
        payment = self._pay(first, 4000.0)
        second = self._draft(payer, 5000.0)
        self.assertEqual(
            self._rpc("paths_billing", "account.move", "action_post", [second.id])[0], "ok"
        )
        message = self._refused("paths_billing", "account.payment", "action_draft", payment.ids)
        self.assertIn("by $\xa04,000.00", message)
        self.assertEqual(self._state(payment.move_id), "posted")
        # a credit note of a customer within its limit is set back freely
        other = self._invoice(self.customer, 50.0, days(30), move_type="out_refund")
        self.assertEqual(
            self._rpc("paths_billing", "account.move", "button_draft", [other.id])[0], "ok"
        )

    def test_an_override_covers_the_document_as_it_was(self):
        """Given on 100.00 for Houthandel Jansen: the invoice raised to 99,999.00, or moved to
        another held customer, is not covered."""
        other_held = self._customer("Brouwerij De Gouden Leeuw")
        self.env["ar.customer.account"]._ar_of(
            other_held.with_company(self.company)
        )._ar_set_credit_hold("Final notice", days(0))
        raised, moved = self._draft(self.held, 100.0), self._draft(self.held, 100.0)
        Override = self.env["ar.credit.override"].with_user(self.credit_manager)
        for move in (raised, moved):
            Override.create({"res_model": "account.move", "res_id": move.id, "reason": "100 only"})
        raised.invoice_line_ids.price_unit = 99999.0
        moved.partner_id = other_held
        for move in (raised, moved):
            self._refused("paths_billing", "account.move", "action_post", [move.id])
            self.assertEqual(self._state(move), "draft")
        # back as it was: covered
        raised.invoice_line_ids.price_unit = 100.0
        self.assertEqual(
            self._rpc("paths_billing", "account.move", "action_post", [raised.id])[0], "ok"
        )

    def test_the_run_day_is_not_the_clients_time_zone(self):
        """A billing user cannot make yesterday or tomorrow today by sending a time zone."""
        today = self.env["ar.followup.run"]._ar_today()
        for tz, day in (("Pacific/Pago_Pago", -1), ("Pacific/Kiritimati", 1)):
            self._refused(
                "paths_billing",
                "ar.followup.run",
                "process",
                date=fields.Date.to_string(today + timedelta(days=day)),
                context={"allowed_company_ids": self.company.ids, "tz": tz},
            )
        # over RPC the run's id comes back
        status, run_id = self._rpc("paths_billing", "ar.followup.run", "process")
        self.assertEqual(status, "ok")
        self.assertEqual(self.env["ar.followup.run"].browse(run_id).date, today)

    # -- the third attack (issue #28, before resolving) ----------------------------------

    def test_an_invoice_turned_into_an_entry_while_posted_is_decided(self):
        draft = self._draft(self.held, 1000.0)
        self._refused(
            "paths_billing",
            "account.move",
            "write",
            [draft.id],
            {"move_type": "entry", "state": "posted"},
        )
        self.assertEqual((self._state(draft), draft.move_type), ("draft", "out_invoice"))

    def test_a_posted_receivable_moved_to_a_held_customer_is_decided(self):
        """A posted invoice of a free customer given to the held one (its partner, with
        Odoo's skip_readonly_check that a client may send, or its receivable line)."""
        invoice = self._invoice(self.customer, 700.0, days(30))
        context = {"allowed_company_ids": self.company.ids, "skip_readonly_check": True}
        message = self._refused(
            "paths_billing",
            "account.move",
            "write",
            [invoice.id],
            {"partner_id": self.held.id},
            context=context,
        )
        self.assertIn("is on credit hold", message)
        receivable = invoice.line_ids.filtered(lambda l: l.account_type == "asset_receivable")
        self._refused(
            "paths_billing",
            "account.move.line",
            "write",
            receivable.ids,
            {"partner_id": self.held.id},
            context=context,
        )
        invoice.invalidate_recordset()
        receivable.invalidate_recordset()
        self.assertEqual(
            (invoice.partner_id, receivable.partner_id), (self.customer, self.customer)
        )
        held = self.held.with_company(self.company)
        self.assertEqual(held.credit, 0.0)

    def test_a_blocked_customers_room_is_not_taken_back_by_deleting_moving_or_reversing(self):
        """5,000.00 limit, a posted credit note of 1,000.00 made room for an invoice of
        5,600.00 (exposure 4,600.00): deleting the credit note (force_delete), moving its
        receivable or its partner away, or reversing a payment that made room: refused
        (5,600.00 is 600.00 above)."""
        refund = self._invoice(self.limited, 1000.0, days(30), move_type="out_refund")
        self._invoice(self.limited, 5600.0, days(30))
        context = {"allowed_company_ids": self.company.ids, "force_delete": True}
        message = self._refused(
            "paths_billing", "account.move", "unlink", [refund.id], context=context
        )
        self.assertIn("by $\xa0600.00", message)
        receivable = refund.line_ids.filtered(lambda l: l.account_type == "asset_receivable")
        context = {"allowed_company_ids": self.company.ids, "skip_readonly_check": True}
        self._refused(
            "paths_billing",
            "account.move.line",
            "write",
            receivable.ids,
            {"partner_id": self.customer.id},
            context=context,
        )
        self._refused(
            "paths_billing",
            "account.move",
            "write",
            [refund.id],
            {"partner_id": self.customer.id},
            context=context,
        )
        self.assertTrue(refund.exists())
        self.assertEqual(self._state(refund), "posted")
        receivable.invalidate_recordset()
        self.assertEqual(receivable.partner_id, self.limited)
        # a payment reversed
        payer = self._customer("Reversing Customer")
        self._set_credit(
            payer.with_company(self.company).sudo(), credit_limit=5000.0, credit_policy="block"
        )
        first = self._invoice(payer, 4000.0, days(30))
        payment = self._pay(first, 4000.0)
        self._invoice(payer, 5000.0, days(30))
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.billing)
            .create(
                {
                    "move_ids": [Command.set(payment.move_id.ids)],
                    "journal_id": payment.move_id.journal_id.id,
                    "date": fields.Date.to_string(days(31)),
                }
            )
        )
        self._refused("paths_billing", "account.move.reversal", "refund_moves", [reversal.id])
        self.assertFalse(payment.move_id.reversal_move_ids)

    def test_an_override_is_good_on_the_servers_day_whatever_the_clients_time_zone(self):
        draft = self._draft(self.held, 100.0)
        override = (
            self.env["ar.credit.override"]
            .with_user(self.credit_manager)
            .create({"res_model": "account.move", "res_id": draft.id, "reason": "Paid"})
        )
        override.sudo().date = override.date - timedelta(days=1)
        for tz in ("Pacific/Pago_Pago", "Pacific/Kiritimati"):
            self._refused(
                "paths_billing",
                "account.move",
                "action_post",
                [draft.id],
                context={"allowed_company_ids": self.company.ids, "tz": tz},
            )
        self.assertEqual(self._state(draft), "draft")

    def test_the_override_dialog_refuses_what_is_not_a_document_list(self):
        for res_ids in ("[true]", "[1.5]", '["1"]', "{}", "nonsense"):
            status, wizard = self._rpc(
                "ar_manager",
                "ar.credit.override.wizard",
                "create",
                {"res_model": "account.move", "res_ids": res_ids},
            )
            if status == "ok":
                self._refused("ar_manager", "ar.credit.override.wizard", "action_confirm", [wizard])
