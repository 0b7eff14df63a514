import json

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, days

MODELS = (
    "ar.followup.policy",
    "ar.followup.level",
    "ar.followup.run",
    "ar.followup.history",
)


@tagged("post_install", "-at_install")
class TestFollowupSecurity(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.billing_user = cls._user("ar_billing", "billing")
        cls.credit_user = cls._user("ar_credit_user", "credit_user")
        cls.portal_partner = cls._customer("Portal Customer")
        cls.portal_user = cls._user("ar_portal", "portal", partner_id=cls.portal_partner.id)
        cls.invoice = cls._invoice(cls.customer, 100.0, days(-10))
        cls._invoice(cls.portal_partner, 100.0, days(-10))
        # company B has its own follow-up data
        cls.customer_b = cls._customer("Customer B")
        cls._invoice(cls.customer_b, 100.0, days(-10), company=cls.company_b)
        cls.run_b = cls.Run.with_company(cls.company_b).sudo().process(days(0))

    def test_groups_imply_what_they_need(self):
        self.assertTrue(self.credit_user.has_group("account.group_account_invoice"))
        manager = self.env.ref("ar_followup.group_ar_manager")
        self.assertIn(self.env.ref("ar_followup.group_ar_user"), manager.implied_ids)

    def test_billing_user_runs_and_reads_but_does_not_edit_levels(self):
        Run = self.Run.with_user(self.billing_user).with_company(self.company)
        # a billing user runs today's follow-up only (#28): days(0) is today here
        with freeze_time(days(0)):
            run = Run.process()
        with self.assertRaisesRegex(AccessError, "only a credit-control manager runs it"):
            Run.process(days(1))
        self.assertEqual(run.email_count, 2)
        self.assertEqual(run.user_id, self.billing_user)
        level = self.levels[7].with_user(self.billing_user)
        self.assertEqual(level.name, "Friendly reminder")
        self.assertTrue(self.env["ar.followup.history"].with_user(self.billing_user).search([]))
        with self.assertRaises(AccessError):
            level.write({"delay": 8})
        with self.assertRaises(AccessError):
            self.env["ar.followup.level"].with_user(self.billing_user).create(
                {
                    "policy_id": self.policy.id,
                    "name": "Mine",
                    "delay": 99,
                    "send_email": False,
                }
            )
        with self.assertRaises(AccessError):
            level.unlink()
        with self.assertRaises(AccessError):
            self.policy.with_user(self.billing_user).write({"name": "Renamed"})
        self.assertEqual(self.levels[7].delay, 7)

    def test_billing_user_sends_a_reminder_from_the_partner(self):
        action = self.customer.with_user(self.billing_user).action_ar_send_reminder()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(len(self._mails(self.customer)), 1)

    def test_credit_user_cannot_edit_levels_manager_can(self):
        with self.assertRaises(AccessError):
            self.levels[7].with_user(self.credit_user).write({"delay": 8})
        self.levels[7].with_user(self.credit_manager).write({"delay": 8})
        self.assertEqual(self.levels[7].delay, 8)

    def test_portal_user_reads_none_of_the_models(self):
        self.Run.with_company(self.company).process(days(0))
        for model in MODELS:
            records = self.env[model].search([("company_id", "=", self.company.id)], limit=1)
            self.assertTrue(records, model)
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.portal_user).search([])
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.portal_user).read(["id"])
        with self.assertRaises(AccessError):
            self.Run.with_user(self.portal_user).process(days(0))

    def test_company_b_data_is_invisible_from_company_a(self):
        self.Run.with_company(self.company).process(days(0))
        user = self.credit_manager
        for model in MODELS:
            Model = (
                self.env[model].with_user(user).with_context(allowed_company_ids=self.company.ids)
            )
            found = Model.search([])
            self.assertTrue(found, model)
            self.assertEqual(found.company_id, self.company, model)
        level_b = self.company_b.ar_default_policy_id.level_ids[:1]
        history_b = self.env["ar.followup.history"].search([("company_id", "=", self.company_b.id)])
        self.assertTrue(history_b)
        for record in (
            level_b,
            self.run_b,
            history_b[:1],
            self.company_b.ar_default_policy_id,
        ):
            with self.assertRaises(AccessError):
                record.with_user(user).read(["id"])

    def test_runs_do_not_cross_companies(self):
        run = self.Run.with_company(self.company).process(days(0))
        self.assertEqual(run.email_count, 2)
        self.assertEqual(self.run_b.email_count, 1)
        self.assertFalse(
            self._history(self.customer_b).filtered(lambda h: h.company_id == self.company)
        )
        self.assertEqual(self._history(self.customer_b).run_id, self.run_b)

    def test_invoice_follow_up_state_access(self):
        """The follow-up state of invoices: billing users read it (also through the
        invoice's fields), only credit-control managers change it, portal users see none of
        it, and a user of company A no state of company B."""
        self.Run.with_company(self.company).process(days(0))
        State = self.env["ar.followup.move.state"]
        state = State.search([("move_id", "=", self.invoice.id)])
        self.assertEqual(state.level_id, self.levels[7])
        invoice = self.invoice.with_user(self.billing_user)
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self.assertEqual(invoice.ar_last_followup_date, days(0))
        self.assertEqual(invoice.ar_next_followup_date, days(7))  # +14: 7 days after +7
        self.assertEqual(
            self.env["account.move"]
            .with_user(self.billing_user)
            .search([("ar_followup_level_id", "=", self.levels[7].id)]),
            self.invoice
            | self.env["account.move"].search([("partner_id", "=", self.portal_partner.id)]),
        )
        self.assertEqual(state.with_user(self.billing_user).level_id, self.levels[7])
        with self.assertRaises(AccessError):
            state.with_user(self.billing_user).write({"level_id": False})
        with self.assertRaises(AccessError):
            State.with_user(self.portal_user).search([])
        state_b = State.search([("move_id.company_id", "=", self.company_b.id)])
        self.assertTrue(state_b)
        with self.assertRaises(AccessError):
            state_b.with_user(self.credit_manager).read(["level_id"])

    def test_statements_list_the_invoices_of_their_company_only(self):
        """Statements and reminders are read in SQL: a customer invoiced by two companies
        sees, in each company's reminder and statement, that company's invoices only (here a
        run of several batches, which reads the open items of all customers at once, and the
        statement read for one customer)."""
        invoice_b = self._invoice(self.customer, 777.0, days(-10), company=self.company_b)
        other = self._customer("Second customer")
        self._invoice(other, 50.0, days(-10))
        self._set_batch_size(1)
        self.Run.with_company(self.company).process(days(0))
        body = self._mails(self.customer).body_html
        self.assertIn(self.invoice.name, body)
        self.assertNotIn(invoice_b.name, body)
        self.assertNotIn("777.00", body)
        statements = {
            company: self._statement(self.customer, days(0), company)
            for company in (self.company, self.company_b)
        }
        self.assertEqual(
            [line["move"] for line in statements[self.company]["lines"]], [self.invoice]
        )
        self.assertEqual(
            [line["move"] for line in statements[self.company_b]["lines"]], [invoice_b]
        )


# what the portal pages render, and so what a portal user may read; nothing else
PORTAL_FIELDS = {
    "ar.payment.plan": ["name", "state", "partner_id", "move_ids", "line_ids", "currency_id",
                        "amount_total", "amount_open", "amount_paid", "amount_due", "date_start"],
    "ar.payment.plan.line": ["plan_id", "date", "amount", "currency_id"],
    "ar.dispute": ["name", "state", "partner_id", "move_ids", "date", "reason", "description",
                   "currency_id", "amount_disputed", "date_deadline", "resolution", "access_url"],
}  # fmt: skip
INTERNAL_FIELDS = {
    "ar.payment.plan": ["note", "user_id", "grace_days", "requested_by_customer", "amount_start"],
    "ar.payment.plan.line": ["reminder_sent"],
    "ar.dispute": ["user_id", "escalated", "resolution_days", "credit_note_id", "date_resolved",
                   "amount_open"],
}  # fmt: skip


@tagged("post_install", "-at_install")
class TestPortalRpcSurface(ArFollowupCase, HttpCase):
    """What a portal user reads over JSON-RPC, called as an attacker would: the fields the
    portal pages render, never the internal ones (the ORM refuses them by field groups)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_partner = cls._customer("Rpc Buyer")
        cls.portal_user = cls._user(
            "rpc_portal", "portal", password="rpc_portal", partner_id=cls.portal_partner.id
        )
        invoice = cls._invoice(cls.portal_partner, 600.0, days(-10))
        cls.plan = cls.env["ar.payment.plan"].create(
            {
                "partner_id": cls.portal_partner.id,
                "move_ids": [Command.set(invoice.ids)],
                "note": "customer likely insolvent",
                "user_id": cls.credit_manager.id,
            }
        )
        cls.plan._set_instalments(3, days(5))
        cls.plan.action_activate()
        disputed = cls._invoice(cls.portal_partner, 200.0, days(-10))
        cls.dispute = cls.env["ar.dispute"].create(
            {
                "partner_id": cls.portal_partner.id,
                "move_ids": [Command.set(disputed.ids)],
                "reason": "quality",
                "description": "Scratched",
            }
        )
        cls.dispute.sudo().write({"escalated": True})  # as the escalation job does
        cls.records = {
            "ar.payment.plan": cls.plan,
            "ar.payment.plan.line": cls.plan.line_ids,
            "ar.dispute": cls.dispute,
        }

    def _call(self, model, method, *args, **kwargs):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _assert_refused(self, reply, what):
        self.assertIn("error", reply, what)
        self.assertEqual(
            reply["error"]["data"]["name"], "odoo.exceptions.AccessError", f"{what}: {reply}"
        )

    def test_portal_user_reads_the_rendered_fields_only(self):
        self.authenticate("rpc_portal", "rpc_portal")
        for model, record in self.records.items():
            reply = self._call(model, "search_read", [], fields=PORTAL_FIELDS[model])
            self.assertNotIn("error", reply, f"{model}: {reply}")
            self.assertEqual({row["id"] for row in reply["result"]}, set(record.ids), model)
            for fname in INTERNAL_FIELDS[model]:
                self._assert_refused(
                    self._call(model, "search_read", [], fields=[fname]), f"{model}.{fname}"
                )
                self._assert_refused(
                    self._call(model, "read", record.ids, [fname]), f"{model}.{fname}"
                )
                # nor by searching or grouping on them
                self._assert_refused(
                    self._call(model, "search", [(fname, "!=", False)]), f"{model}.{fname}"
                )
            # all fields: the internal ones are left out
            reply = self._call(model, "read", record.ids)
            self.assertNotIn("error", reply, f"{model}: {reply}")
            self.assertFalse(set(reply["result"][0]) & set(INTERNAL_FIELDS[model]), model)
        reply = self._call("ar.payment.plan", "search_read", [], fields=["note"])
        self.assertNotIn("insolvent", json.dumps(reply))
        reply = self._call("ar.payment.plan", "read", self.plan.ids, ["amount_due", "state"])
        self.assertEqual(reply["result"][0]["state"], "active")

    def test_portal_user_writes_nothing(self):
        self.authenticate("rpc_portal", "rpc_portal")
        self._assert_refused(
            self._call("ar.payment.plan", "write", self.plan.ids, {"state": "cancelled"}),
            "plan write",
        )
        self._assert_refused(
            self._call("ar.dispute", "write", self.dispute.ids, {"amount_disputed": 1.0}),
            "dispute write",
        )
        self._assert_refused(
            self._call(
                "ar.payment.plan",
                "create",
                {"partner_id": self.portal_partner.id, "move_ids": []},
            ),
            "plan create",
        )
        self.assertEqual(self.plan.state, "active")

    def test_internal_users_read_the_internal_fields(self):
        self.assertEqual(self.plan.with_user(self.credit_manager).note, "customer likely insolvent")
        self.assertTrue(self.dispute.with_user(self.credit_manager).escalated)

    def test_portal_user_reads_no_follow_up_field_of_its_invoices(self):
        """Its own invoices: Odoo's fields as the portal pages show them, none of the
        follow-up's (level, history, exclusion, disputes, plans, the credit hold)."""
        invoice = self.plan.move_ids
        self.authenticate("rpc_portal", "rpc_portal")
        reply = self._call("account.move", "read", invoice.ids, ["name", "amount_residual"])
        self.assertNotIn("error", reply, reply)
        self.assertEqual(reply["result"][0]["name"], invoice.name)
        for fname in (
            "ar_followup_level_id",
            "ar_next_followup_date",
            "ar_followup_excluded",
            "ar_followup_history_ids",
            "ar_dispute_ids",
            "ar_in_payment_plan",
            "ar_payment_plan_ids",
            "ar_partner_credit_hold",
            "ar_partner_credit_hold_reason",
        ):
            self._assert_refused(
                self._call("account.move", "read", invoice.ids, [fname]), f"account.move.{fname}"
            )
        # nor by searching on them
        self._assert_refused(
            self._call("account.move", "search", [("ar_followup_level_id", "!=", False)]),
            "search on account.move.ar_followup_level_id",
        )
