"""The e-mails a new user tripped over (issue #33, point 8): who gets the dispute
acknowledgement, the subject of the customer's own dispute text, one invoice or several, the
payment plan's payment details, the agency's and the debtor's hand-off e-mails, and a final
notice that is not sent twice."""

import importlib.util
from pathlib import Path

from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, days
from .test_collection_case import CollectionCaseCommon

IBAN = "NL91ABNA0417164300"
IBAN_SHOWN = "NL91 ABNA 0417 1643 00"  # as Odoo formats it


def _text(markup):
    return _words(html.fromstring(str(markup)))


def _words(element):
    """The text of ``element``, its spaces (non-breaking ones too) as single spaces."""
    return " ".join(element.text_content().split())


@tagged("post_install", "-at_install")
class TestDisputeMails(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.with_company(cls.company).ar_followup_responsible_id = cls.account_manager
        cls.contact = cls.env["res.partner"].create(
            {"name": "Emma Clarke", "parent_id": cls.customer.id, "email": "emma@example.com"}
        )
        # as in the database: followers subscribed, tracking on
        cls.Dispute = cls.env["ar.dispute"].with_context(tracking_disable=False)

    def _from_portal(self, invoice):
        with freeze_time(days(0)):
            return self.Dispute.sudo()._ar_create_from_portal(
                invoice,
                {"reason": "quality", "description": "Broken pallets", "amount": 100.0},
                [],
                self.contact,
            )

    def test_acknowledgement_only_to_the_customer(self):
        invoice = self._invoice(self.customer, 250.0, days(-10))
        dispute = self._from_portal(invoice)
        responsible = self.account_manager.partner_id
        self.assertIn(responsible, dispute.message_partner_ids, "the responsible follows it")
        ack = dispute.message_ids.filtered(lambda m: "received your dispute" in (m.subject or ""))
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.notified_partner_ids, self.customer)
        self.assertNotIn(responsible, ack.notification_ids.res_partner_id)
        # shown on the dispute's portal page: a comment whose subtype is not internal
        self.assertEqual(ack.message_type, "comment")
        self.assertFalse(ack.subtype_id.internal or ack.is_internal)
        # the customer's own text reaches the responsible, with a subject that says what it is
        own = dispute.message_ids.filtered(lambda m: m.author_id == self.contact)
        self.assertEqual(own.subject, f"Your dispute {dispute.name} about invoice {invoice.name}")
        self.assertIn(responsible, own.notified_partner_ids)
        # one invoice: "the invoice", "this invoice"
        body = _text(ack.body)
        self.assertIn(f"about the invoice {invoice.name} (Quality)", body)
        self.assertNotIn("invoices", body)
        # 100.00 of 250.00 disputed: no promise of no reminders, the rest is asked
        self.assertIn(
            "we do not ask you to pay the disputed amount of $ 100.00; the rest of the invoice "
            "remains due",
            body,
        )
        self.assertNotIn("not send you reminders", body)
        # the outcome too goes to the customer only
        dispute.with_user(self.account_manager).sudo().action_reject("Delivered as ordered")
        outcome = dispute.message_ids.filtered(lambda m: "outcome" in (m.subject or ""))
        self.assertEqual(outcome.notified_partner_ids, self.customer)
        self.assertIn(f"about the invoice {invoice.name}, and we cannot", _text(outcome.body))
        self.assertIn("The invoice remains due", _text(outcome.body))

    def test_the_acknowledgement_of_existing_databases_is_mended(self):
        """18.0.1.8.2's migration adds the partial dispute's paragraph to the template as
        shipped before, in English and Dutch, and leaves a template changed by hand alone."""
        path = Path(__file__).parent.parent / "migrations/18.0.1.8.2/post-migration.py"
        spec = importlib.util.spec_from_file_location("ar_followup_18_0_1_8_2", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.env["res.lang"]._activate_lang("nl_NL")
        template = self.env.ref("ar_followup.mail_template_dispute_ack")
        shipped = {}
        for lang in ("en_US", "nl_NL"):
            body = str(template.with_context(lang=lang).body_html)
            self.assertIn("amount_disputed", body, lang)
            new = migration.NEW[lang]
            old = migration.OLD[lang].replace("<p>", '<p t-else="">')
            shipped[lang] = body
            before = body.replace(new + old, migration.OLD[lang])
            self.assertNotIn("amount_disputed", before, lang)
            template.with_context(lang=lang).body_html = before
        migration.migrate(self.env.cr, "18.0.1.8.1")
        template.invalidate_recordset()
        for lang in ("en_US", "nl_NL"):
            self.assertEqual(str(template.with_context(lang=lang).body_html), shipped[lang], lang)
        # changed by hand: kept
        template.with_context(lang="en_US").body_html = "<p>Our own text</p>"
        migration.migrate(self.env.cr, "18.0.1.8.1")
        template.invalidate_recordset()
        self.assertEqual(str(template.with_context(lang="en_US").body_html), "<p>Our own text</p>")

    def test_the_responsible_is_told_of_a_dispute_from_the_portal(self):
        """A dispute opened by the customer (its portal user, or the public user of a
        statement link, neither with a sender address of ours) gives the responsible a to-do
        in the responsible's language, assigned by the system, whose e-mail has a sender and
        goes out."""
        self.account_manager.lang = "nl_NL"
        self.env["res.lang"]._activate_lang("nl_NL")
        invoice = self._invoice(self.customer, 250.0, days(-10))
        public = self.env.ref("base.public_user")
        with freeze_time(days(0)):
            dispute = (
                self.Dispute.with_user(public)
                .sudo()
                ._ar_create_from_portal(
                    invoice,
                    {"reason": "quality", "description": "Broken pallets", "amount": 100.0},
                    [],
                    self.contact,
                )
            )
        todo = dispute.activity_ids
        self.assertEqual(todo.user_id, self.account_manager)
        self.assertEqual(todo.summary, f"Geschil {dispute.name} beantwoorden")
        # the assignment: the responsible's own message (sudo to read it), sent at once
        assignment = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "ar.dispute"),
                    ("res_id", "=", dispute.id),
                    ("message_type", "=", "user_notification"),
                ]
            )
        )
        self.assertEqual(len(assignment), 1)
        self.assertEqual(assignment.author_id, self.env.ref("base.partner_root"))
        self.assertTrue(assignment.email_from)
        self.assertEqual(
            assignment.notification_ids.mapped(
                lambda n: (n.res_partner_id, n.notification_type, n.notification_status)
            ),
            [(self.account_manager.partner_id, "email", "sent")],
        )

    def test_several_invoices(self):
        first = self._invoice(self.customer, 100.0, days(-10))
        second = self._invoice(self.customer, 200.0, days(-5))
        with freeze_time(days(0)):
            dispute = self.Dispute.create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set((first + second).ids)],
                    "reason": "pricing",
                }
            )
        ack = dispute.message_ids.filtered(lambda m: "received your dispute" in (m.subject or ""))
        body = _text(ack.body)
        names = ", ".join(dispute.move_ids.mapped("name"))
        self.assertEqual(len(dispute.move_ids), 2)
        self.assertIn(f"about the invoices {names} (Pricing", body)
        self.assertIn("reminders about these invoices while", body)


@tagged("post_install", "-at_install")
class TestPlanMails(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.partner.bank"].sudo().create(
            {"acc_number": IBAN, "partner_id": cls.company.partner_id.id}
        )
        contact = cls.env["res.partner"].create(
            {"name": "Emma Clarke", "parent_id": cls.customer.id, "email": "emma@example.com"}
        )
        cls._user("ar_plan_portal", "portal", partner_id=contact.id)

    def _approved_plan(self, follower=None):
        """900.00 in three instalments of 300.00 on 12 March, April and May 2026, asked for
        and approved on 2 March 2026; ``follower`` follows the plan from the start."""
        invoice = self._invoice(self.customer, 900.0, days(-10))
        with freeze_time(days(0)):
            # as in the database: followers subscribed, notifications on
            plan = (
                self.env["ar.payment.plan"]
                .with_context(tracking_disable=False)
                .create({"partner_id": self.customer.id, "move_ids": [Command.set(invoice.ids)]})
            )
            if follower:
                plan.message_subscribe(partner_ids=follower.ids)
            plan._set_instalments(3, days(10))
            plan.sudo().state = "proposed"  # as the portal request does
            plan.action_activate()
        return plan, invoice

    def test_approval_gives_how_to_pay(self):
        plan, invoice = self._approved_plan(follower=self.account_manager.partner_id)
        approval = plan.message_ids.filtered(lambda m: m.message_type == "comment")
        # the customer's e-mail goes to the customer only, not to the plan's followers
        self.assertEqual(approval.notified_partner_ids, self.customer)
        self.assertFalse(approval.subtype_id.internal or approval.is_internal)
        plan._ar_notify_customer("ar_followup.mail_template_plan_reminder")
        reminder = plan.message_ids.filtered(lambda m: m.message_type == "comment") - approval
        self.assertEqual(reminder.notified_partner_ids, self.customer)
        body = _text(approval.body)
        self.assertIn(f"pay the invoice {invoice.name} in instalments", body)
        rows = html.fromstring(approval.body).xpath(
            "//table[hasclass('o_ar_plan_instalments')]//tr"
        )
        self.assertEqual(
            [_words(row) for row in rows],
            ["03/12/2026 $ 300.00", "04/12/2026 $ 300.00", "05/12/2026 $ 300.00"],
        )
        self.assertIn(f"to {IBAN_SHOWN} in the name of {self.company.name}", body)
        self.assertIn(f"stating the payment reference {invoice.name}", body)
        link = self.env["ar.statement.link"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(link), 1)
        self.assertIn(link._ar_url(), body)
        self.assertIn("reminders about this invoice", body)

    def test_portal_lists_the_plan_with_how_to_pay(self):
        _plan, invoice = self._approved_plan()
        self.authenticate("ar_plan_portal", "ar_plan_portal")
        page = self.url_open("/my/statement")
        self.assertEqual(page.status_code, 200)
        item = html.fromstring(page.text).xpath("//li[hasclass('o_ar_plan')]")[0]
        rows = item.xpath(".//table[hasclass('o_ar_plan_instalments')]/tbody/tr")
        self.assertEqual(
            [_words(row) for row in rows],
            ["03/12/2026 $ 300.00", "04/12/2026 $ 300.00", "05/12/2026 $ 300.00"],
        )
        how = " ".join(item.xpath(".//p[hasclass('o_ar_plan_payment')]")[0].text_content().split())
        self.assertIn(f"to {IBAN_SHOWN} in the name of {self.company.name}", how)
        self.assertIn(f"stating the payment reference {invoice.name}", how)


@tagged("post_install", "-at_install")
class TestHandOffMails(CollectionCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency.write(
            {
                "street": "Grote Markt 1",
                "zip": "9711 LV",
                "city": "Groningen",
                "phone": "+31 50 123 4567",
            }
        )

    def test_agency_mail_and_debtor_notice(self):
        first = self._invoice(self.customer, 400.0, days(0))
        second = self._invoice(self.customer, 250.0, days(5))
        fee = self._fee_invoice(first + second, 97.5, days(26), due=days(40))
        case = self._case(days(50), notify_customer=True)
        with freeze_time(days(50)):
            case.action_hand_over()
        mails = self.env["mail.mail"].search(
            [("model", "=", "ar.collection.case"), ("res_id", "=", case.id)], order="id"
        )
        to_agency, notice = mails
        agency_text = _text(to_agency.body_html)
        self.assertIn("2 invoices, principal $ 650.00", agency_text)
        self.assertNotIn("invoice(s)", agency_text)
        self.assertIn("collection costs $ 97.50", agency_text)
        self.assertNotIn("interest", agency_text.lower().split("dossier")[0])
        tree = html.fromstring(notice.body_html)
        listed = [_words(li) for li in tree.xpath("//ul[hasclass('o_ar_notice_invoices')]/li")]
        self.assertEqual(listed, [f"{first.name}: $ 400.00", f"{second.name}: $ 250.00"])
        costs = [_words(li) for li in tree.xpath("//ul[hasclass('o_ar_notice_costs')]/li")]
        self.assertEqual(costs, ["Collection costs: $ 97.50"])
        notice_text = _text(notice.body_html)
        self.assertIn(f"the costs charged to you so far ({fee.name})", notice_text)
        self.assertIn("the invoices below are still unpaid", notice_text)
        agency = " ".join(
            tree.xpath("//p[hasclass('o_ar_notice_agency')]")[0].text_content().split()
        )
        for part in (
            "Incasso Noord B.V.",
            "Grote Markt 1",
            "Groningen",
            "9711 LV",
            "Phone: +31 50 123 4567",
            "E-mail: info@incassonoord.example.nl",
        ):
            self.assertIn(part, agency)


@tagged("post_install", "-at_install")
class TestFinalNoticeOnce(ArFollowupCase):
    def test_no_second_final_notice_for_the_same_invoices(self):
        """Weekly runs from 9 March 2026: the first invoice (due 2 March) gets the final
        notice on 6 April; the second (due 23 March: its courtesy level that day, then one
        level a week) reaches the final level four weeks later, on 4 May, while the first is
        still open: no second final notice, the second invoice goes on to the hand-off level
        (25 May, the first run 15 days after it reached the final level)."""
        final, handoff = self.levels[30], self.levels[45]
        first = self._invoice(self.customer, 1000.0, days(0))
        second = self._invoice(self.customer, 500.0, days(21))
        for n in range(7, 85, 7):
            self._run(days(n))
        finals = self._history(self.customer, "email").filtered(lambda h: h.level_id == final)
        self.assertEqual(finals.mapped("date"), [days(35)])
        skip = self._history(self.customer, "skip").filtered(
            lambda h: h.level_id == final and h.date == days(63)
        )
        self.assertEqual(skip.move_ids, second)
        self.assertIn("No second final notice", skip.note)
        self.assertEqual(
            [m.subject for m in self._mails(self.customer)].count(
                f"{self.company.name}: final notice, overdue invoices"
            ),
            1,
        )
        self.assertEqual(first.ar_followup_level_id, handoff)
        self.assertEqual(second.ar_followup_level_id, handoff)
        second_states = self.env["ar.followup.move.state"].search([("move_id", "=", second.id)])
        self.assertEqual(second_states.last_date, days(84))
