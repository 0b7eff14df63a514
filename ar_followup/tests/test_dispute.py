from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestDispute(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.with_company(cls.company).ar_followup_responsible_id = cls.account_manager

    def _dispute(self, invoices, on=None, **values):
        with freeze_time(on or days(0)):
            return self.env["ar.dispute"].create(
                {
                    "partner_id": invoices[:1].commercial_partner_id.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "reason": "quality",
                    "description": "Broken pallets",
                    **values,
                }
            )

    def test_open_dispute_defaults(self):
        invoice = self._invoice(self.customer, 250.0, days(-10))
        dispute = self._dispute(invoice)
        self.assertRegex(dispute.name, r"^DSP/\d{4}/\d{4}$")
        self.assertEqual(dispute.state, "new")
        self.assertEqual(dispute.amount_disputed, 250.0)
        self.assertEqual(dispute.user_id, self.account_manager)
        self.assertEqual(dispute.date_deadline, days(10))  # quality: 10 days
        self.assertTrue(invoice.ar_is_disputed)
        self.assertIn(self.customer, dispute.message_partner_ids)
        todo = dispute.activity_ids
        self.assertEqual(todo.user_id, self.account_manager)
        self.assertEqual(todo.date_deadline, days(10))
        ack = dispute.message_ids.filtered(
            lambda m: "we have received your dispute" in (m.subject or "")
        )
        self.assertEqual(len(ack), 1)
        self.assertIn(self.customer, ack.notified_partner_ids)
        # response time per reason, from the company settings
        self.company.ar_dispute_days_not_received = 3
        other = self._dispute(self._invoice(self.customer, 10.0, days(-1)), reason="not_received")
        self.assertEqual(other.date_deadline, days(3))

    def test_customer_mails_in_dutch(self):
        dutch = self._customer("Bakkerij Jansen", lang="nl_NL")
        dispute = self._dispute(self._invoice(dutch, 100.0, days(-8)))
        ack = dispute.message_ids.filtered(lambda m: "ontvangen" in (m.subject or ""))
        self.assertEqual(len(ack), 1)
        self.assertIn("Geachte heer, mevrouw,", ack.body)
        self.assertIn("Kwaliteit", ack.body)
        self.assertNotIn("Dear", ack.body)
        with freeze_time(days(2)):
            dispute.action_reject("De goederen zijn in goede staat geleverd.")
        outcome = dispute.message_ids.filtered(lambda m: "uitkomst" in (m.subject or ""))
        self.assertIn("kunnen het helaas niet aanvaarden", outcome.body)

    def test_amounts(self):
        invoice = self._invoice(self.customer, 300.0, days(-10))
        self._pay(invoice, 100.0)
        dispute = self._dispute(invoice, amount_disputed=120.50)
        self.assertEqual(dispute.amount_open, 200.0)
        self.assertEqual(dispute.amount_disputed, 120.50)
        with self.assertRaises(ValidationError):
            dispute.amount_disputed = 200.01
        self.assertEqual(dispute.amount_disputed, 120.50)
        with self.assertRaises(ValidationError):
            dispute.amount_disputed = 0.0
        other = self._customer("Other")
        with self.assertRaises(ValidationError):
            self._dispute(invoice + self._invoice(other, 10.0, days(-1)))

    def test_lifecycle_reject_resumes_followup_at_its_level(self):
        invoice = self._invoice(self.customer, 100.0, days(-8))
        self._run(days(0))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        dispute = self._dispute(invoice, on=days(1))
        for offset in (7, 14):
            run = self._run(days(offset))
            self.assertEqual(run.partner_count, 0, "a disputed invoice is not chased")
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        # the reminder of another invoice lists the disputed one, marked, not chased (runs
        # only go forward: #28)
        self._invoice(self.customer, 50.0, days(14))
        self._run(days(21))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        body = self._mails(self.customer)[-1].body_html
        self.assertIn(invoice.name, body)
        self.assertIn("(disputed)", body)
        with freeze_time(days(22)):
            dispute.action_reject("The goods were delivered in good order.")
        self.assertEqual(dispute.state, "rejected")
        self.assertEqual(dispute.resolution_days, 21)
        self.assertFalse(invoice.ar_is_disputed)
        outcome = dispute.message_ids.filtered(
            lambda m: "outcome of your dispute" in (m.subject or "")
        )
        self.assertEqual(len(outcome), 1)
        self.assertIn("cannot accept", outcome.body)
        # a grace period of 3 days after the outcome, then it resumes at the next level
        self._run(days(22))
        self._run(days(24))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self._run(days(25))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14], "resumes at the next level")

    def test_lifecycle_resolve_with_credit_note(self):
        invoice = self._invoice(self.customer, 100.0, days(-8))
        dispute = self._dispute(invoice)
        wizard = self.env["ar.dispute.resolve.wizard"].create(
            {"dispute_id": dispute.id, "outcome": "credit_note", "resolution": "Credited."}
        )
        wizard.action_confirm()
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(dispute.credit_note_id.move_type, "out_refund")
        self.assertEqual(dispute.credit_note_id.amount_total, 100.0)
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(invoice.amount_residual, 0.0)
        run = self._run(days(30))
        self.assertEqual(run.partner_count, 0)
        self.assertFalse(self._mails(self.customer))

    def test_partial_credit_note(self):
        invoice = self._invoice(self.customer, 300.0, days(-8))
        dispute = self._dispute(invoice, amount_disputed=75.25)
        with freeze_time(days(-3)):
            dispute.action_resolve("Part of the goods credited.", credit_note=True)
        self.assertEqual(dispute.credit_note_id.amount_total, 75.25)
        self.assertEqual(dispute.credit_note_id.state, "posted")
        self.assertAlmostEqual(invoice.amount_residual, 224.75, places=2)
        self._run(days(0))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self.assertIn("224.75", self._mails(self.customer).body_html)

    def test_cancel_resumes_and_closed_cannot_close_again(self):
        invoice = self._invoice(self.customer, 100.0, days(-8))
        dispute = self._dispute(invoice)
        with freeze_time(days(-3)):
            dispute.action_cancel()
        self.assertEqual(dispute.state, "cancelled")
        self.assertFalse(invoice.ar_is_disputed)
        with self.assertRaises(UserError):
            dispute.action_reject("Too late")
        self._run(days(0))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])

    def test_escalation_once(self):
        invoice = self._invoice(self.customer, 100.0, days(-8))
        dispute = self._dispute(invoice)  # deadline days(10)
        escalation = self.env.ref("ar_followup.mail_activity_type_escalation")
        Dispute = self.env["ar.dispute"].with_user(self.env.ref("base.user_root"))
        with freeze_time(days(10)):
            Dispute._cron_escalate()
        self.assertFalse(dispute.activity_ids.filtered(lambda a: a.activity_type_id == escalation))
        with freeze_time(days(11)):
            Dispute._cron_escalate()
        with freeze_time(days(12)):
            Dispute._cron_escalate()
        escalations = dispute.activity_ids.filtered(lambda a: a.activity_type_id == escalation)
        self.assertEqual(len(escalations), 1)
        self.assertTrue(escalations.user_id.has_group("ar_followup.group_ar_manager"))
        self.assertTrue(dispute.escalated)

    def test_dispute_button_and_counts(self):
        invoice = self._invoice(self.customer, 100.0, days(-8))
        action = invoice.action_ar_open_dispute()
        self.assertEqual(action["context"]["default_move_ids"], [Command.set(invoice.ids)])
        dispute = self._dispute(invoice)
        self.assertEqual(invoice.action_ar_open_dispute()["res_id"], dispute.id)
        self.assertEqual(invoice.ar_dispute_count, 1)
        self.assertEqual(self._account(self.customer).dispute_count, 1)

    def test_access_of_billing_and_credit_users(self):
        billing = self._user("dsp_billing", "billing")
        # a billing user opens and reads disputes but does not delete them
        mine = (
            self.env["ar.dispute"]
            .with_user(billing)
            .create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self._invoice(self.customer, 5.0, days(-1)).ids)],
                    "reason": "pricing",
                }
            )
        )
        self.assertEqual(mine.state, "new")
        with self.assertRaises(AccessError):
            mine.unlink()
        mine.with_user(self.credit_manager).action_cancel()
        # a credit-control user works disputes like a billing user
        credit_user = self._user("dsp_credit_user", "credit_user")
        theirs = (
            self.env["ar.dispute"]
            .with_user(credit_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self._invoice(self.customer, 7.0, days(-1)).ids)],
                    "reason": "delivery",
                }
            )
        )
        theirs.action_start()
        self.assertEqual(theirs.state, "in_progress")
        theirs.action_reject("Delivered in full")
        with self.assertRaises(AccessError):
            theirs.unlink()

    def test_access_of_a_portal_user(self):
        """A portal user sees its own company's disputes only, and changes none."""
        portal_partner = self._customer("Portal Disputer")
        portal = self._user("dsp_portal", "portal", partner_id=portal_partner.id)
        own = self._dispute(self._invoice(portal_partner, 100.0, days(-8)))
        foreign = self._dispute(self._invoice(self.customer, 100.0, days(-8)))
        Dispute = self.env["ar.dispute"].with_user(portal)
        self.assertEqual(Dispute.search([]), own)
        with self.assertRaises(AccessError):
            foreign.with_user(portal).read(["name"])
        with self.assertRaises(AccessError):
            own.with_user(portal).write({"amount_disputed": 1.0})

    def test_another_company_s_disputes_are_invisible(self):
        billing = self._user("dsp_billing", "billing")
        company_b = self.setup_other_company(name="Dispute B")["company"]
        partner_b = self._customer("Customer in B")
        invoice_b = self._invoice(partner_b, 10.0, days(-1), company=company_b)
        dispute_b = (
            self.env["ar.dispute"]
            .with_company(company_b)
            .create(
                {
                    "partner_id": partner_b.id,
                    "move_ids": [Command.set(invoice_b.ids)],
                    "reason": "other",
                    "company_id": company_b.id,
                }
            )
        )
        with self.assertRaises(AccessError):
            dispute_b.with_user(billing).read(["name"])
        self.assertNotIn(dispute_b, self.env["ar.dispute"].with_user(billing).search([]))


@tagged("post_install", "-at_install")
class TestPartialDispute(ArFollowupCase):
    """A dispute pauses what it disputes, not the whole invoice (issue #15, item 7)."""

    def _open_dispute(self, invoice, amount):
        return self.env["ar.dispute"].create(
            {
                "partner_id": invoice.partner_id.id,
                "move_ids": [Command.set(invoice.ids)],
                "reason": "pricing",
                "amount_disputed": amount,
            }
        )

    def test_the_undisputed_part_is_chased(self):
        """1.50 of 2,250.00 disputed: the reminder goes out for the rest; its overdue total is
        2,248.50 (2,250.00 - 1.50)."""
        invoice = self._invoice(self.customer, 2250.0, days(-7))
        self._open_dispute(invoice, 1.50)
        run = self._run(days(0))
        self.assertEqual(run.email_count, 1)
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        statement = self._statement(self.customer, days(0))
        line = statement["lines"][0]
        self.assertTrue(line["overdue"])
        self.assertTrue(line["disputed"])
        self.assertAlmostEqual(line["amount_disputed"], 1.50, places=2)
        self.assertAlmostEqual(statement["totals"][0]["overdue"], 2248.50, places=2)
        self.assertIn("2,248.50", self._mails(self.customer).body_html)

    def test_the_undisputed_part_waits_for_the_level_minimum(self):
        """The undisputed 60.00 of an invoice of 500.00 (440.00 disputed) stays below the
        level's minimum of 100.00: not chased; a wholly disputed invoice is not chased."""
        self.levels[7].min_overdue_amount = 100.0
        invoice = self._invoice(self.customer, 500.0, days(-7))
        self._open_dispute(invoice, 440.0)
        other = self._customer("Customer Two")
        whole = self._invoice(other, 300.0, days(-7))
        self._open_dispute(whole, 300.0)
        run = self._run(days(0))
        self.assertEqual(run.email_count, 0)
        self.assertFalse(invoice.ar_followup_level_id)
        self.assertFalse(whole.ar_followup_level_id)
        statement = self._statement(self.customer, days(0))
        self.assertAlmostEqual(statement["totals"][0]["overdue"], 60.0, places=2)
