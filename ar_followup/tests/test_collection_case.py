"""Hand-off to a collection agency (issue #20): a case takes invoices out of the ladder while
it is open (no reminder, costs or interest), keeps the customer on hold, marks them on the
customer's statements, and gives them back at the level they had when it is cancelled or
returned; its dossier and the agency's e-mail; who may do what."""

import csv
import io
import subprocess
import tempfile

import lxml.html
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, days


class CollectionCaseCommon(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls._agency(
            "Incasso Noord B.V.",
            contact_email="info@incassonoord.example.nl",
            email="nieuwezaken@incassonoord.example.nl",
            commission=15.0,
        )
        cls.terms = cls.env["ar.collection.agency"].search([("partner_id", "=", cls.agency.id)])
        cls.company.ar_default_agency_id = cls.agency
        cls.billing = cls._user("arc_billing", "billing", name="Bea Billing")

    def _history_of(self, invoices):
        return self.env["ar.followup.history"].search(
            [("move_ids", "in", invoices.ids)], order="date, id"
        )

    def _ladder(self):
        """Two invoices chased from their due date to the last level (runs of days 7 to 45,
        the 30-day level a 14-day letter), and one due on day 60."""
        self._make_fourteen_day_letter(self.levels[30])
        first = self._invoice(self.customer, 400.0, days(0))
        second = self._invoice(self.customer, 250.0, days(5))
        later = self._invoice(self.customer, 100.0, days(60))
        for day in (7, 14, 21, 30, 45, 52):
            self._run(days(day))
        return first, second, later

    def _assert_dossier_queued(self, case):
        # the dossier, the agency's e-mail with it, the customer's notice: queued, not sent
        self.assertEqual(len(case.dossier_ids), 4, "PDF, CSV and the two invoices")
        mails = self.env["mail.mail"].search(
            [("model", "=", "ar.collection.case"), ("res_id", "=", case.id)], order="id"
        )
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails[0].email_to, "nieuwezaken@incassonoord.example.nl")
        self.assertEqual(mails[0].attachment_ids, case.dossier_ids)
        self.assertEqual(mails[1].recipient_ids, self.customer)
        self.assertEqual(mails.mapped("state"), ["outgoing", "outgoing"])
        self.assertTrue(
            case.message_ids.filtered(lambda m: "Dossier queued for Incasso Noord B.V." in m.body)
        )

    def _fee_invoice(self, invoices, amount, on, due=None):
        """A fee invoice of ``amount`` (collection costs) charged on ``invoices`` on ``on``
        (due then, or on ``due``), with its fee line in the history."""
        fee = self._invoice(self.customer, amount, due or on)
        fee.sudo().ar_is_fee_invoice = True
        History = self.env["ar.followup.history"]
        History._ar_record(
            [
                History._ar_line(
                    self.customer,
                    "fee",
                    on,
                    moves=invoices.ids,
                    fee_move_id=fee.id,
                    fee_amount=amount,
                    interest_amount=0.0,
                    fee_currency_id=self.company.currency_id.id,
                )
            ]
        )
        return fee

    def _case(self, on, **values):
        Case = self.env["ar.collection.case"].with_user(self.credit_manager)
        with freeze_time(on):
            return Case.create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(Case._ar_overdue_invoices(self.customer).ids)],
                    **values,
                }
            )


@tagged("post_install", "-at_install")
class TestCollectionCase(CollectionCaseCommon, HttpCase):
    def test_an_open_case_takes_its_invoices_out_of_the_ladder_and_cancel_gives_them_back(self):
        first, second, later = self._ladder()
        levels = {
            m: self.env["ar.followup.move.state"].search([("move_id", "=", m.id)]).level_id
            for m in (first, second)
        }
        case = self._case(days(53))
        self.assertEqual(case.move_ids, first + second, "by default: the overdue invoices")
        self.assertEqual(case.agency_id, self.agency)
        self.assertRegex(case.name, r"^INC/\d{4}/\d{4}$")
        with freeze_time(days(53)):
            case.action_hand_over()
        self.assertEqual((case.state, case.date_handover), ("handed_over", days(53)))
        # 400.00 + 250.00 open when handed over
        self.assertEqual(case.amount_principal, 650.0)
        self.assertTrue(all((first + second).mapped("ar_in_collection")))
        self.assertTrue(self.customer.ar_credit_hold)
        self.assertEqual(self._account(self.customer).credit_hold_origin, "collection")
        handover = self._history(self.customer, "handover")
        self.assertEqual((handover.date, handover.move_ids), (days(53), first + second))
        self._assert_dossier_queued(case)

        # runs while the case is open: nothing for its invoices, whatever the days
        before = len(self._history_of(first + second))
        for day in (60, 67, 90):
            self._run(days(day))
        self.assertEqual(len(self._history_of(first + second)), before + 0)
        self.assertEqual(self._history_of(first + second)[-1].channel, "handover")
        # the invoice due later is chased; its reminder marks the other two handed over
        reminder = self._mails(self.customer).filtered(lambda m: later.name in m.body_html)[-1]
        self.assertIn(f"{first.name}", reminder.body_html)
        self.assertIn("(handed over to Incasso Noord B.V.)", reminder.body_html)
        statement = self._statement(self.customer, days(90))
        marks = {line["number"]: line["collection"] for line in statement["lines"]}
        self.assertEqual(
            marks,
            {first.name: "Incasso Noord B.V.", second.name: "Incasso Noord B.V.", later.name: None},
        )

        # cancelled: back to the ladder at the level they had, the hold lifted
        with freeze_time(days(91)):
            case.action_cancel()
        self.assertFalse(any((first + second).mapped("ar_in_collection")))
        for move, level in levels.items():
            state = self.env["ar.followup.move.state"].search([("move_id", "=", move.id)])
            self.assertEqual(state.level_id, level, move.name)
        # the hold the final notice had set is the ladder's again (it lifts itself once
        # nothing is overdue)
        self.assertTrue(self.customer.ar_credit_hold)
        self.assertEqual(self._account(self.customer).credit_hold_origin, "followup")
        self.assertEqual(self._history(self.customer, "handback").date, days(91))
        statement = self._statement(self.customer, days(92))
        self.assertFalse(any(line["collection"] for line in statement["lines"]))
        # and the ladder chases them again: they are candidates of the next run
        run = self.Run.sudo().with_company(self.company).create({"date": days(92)})
        self.env.flush_all()  # as the run does before it reads its candidates
        self.env.cr.execute(run._ar_candidate_query([self.customer.id]))
        self.assertEqual(
            {row[0] for row in self.env.cr.fetchall()}, {first.id, second.id, later.id}
        )

    def test_a_hand_off_level_makes_one_draft_case_for_the_manager(self):
        self.levels[45].handoff = True
        first, second, _later = self._ladder()
        case = self.env["ar.collection.case"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(case), 1)
        self.assertEqual((case.state, case.created_by_run), ("draft", True))
        self.assertEqual(case.move_ids, first + second)
        self.assertEqual(case.agency_id, self.agency)
        self.assertEqual(case.activity_ids.user_id, self.company._ar_credit_manager())
        self.assertTrue(case.activity_ids.user_id.has_group("ar_followup.group_ar_manager"))
        # a draft takes nothing out of the ladder; later runs make no second case
        self.assertFalse(any((first + second).mapped("ar_in_collection")))
        self._run(days(100))
        self.assertEqual(
            self.env["ar.collection.case"].search_count([("partner_id", "=", self.customer.id)]),
            1,
        )

    def test_billing_users_read_cases_but_neither_create_nor_hand_over(self):
        self._invoice(self.customer, 400.0, days(0))
        case = self._case(days(20))
        self.assertEqual(case.with_user(self.billing).read(["name"])[0]["name"], case.name)
        for call in (
            ("create", [{"partner_id": self.customer.id, "agency_id": self.agency.id}]),
            ("action_hand_over", [case.id]),
            ("action_cancel", [case.id]),
            ("write", [case.id], {"state": "handed_over"}),
        ):
            method, args = call[0], call[1]
            result = self._rpc("arc_billing", "ar.collection.case", method, *args[:1], *call[2:])
            self.assertEqual(result[0], "error", (method, result))
        result = self._rpc(
            "arc_billing", "ar.collection.agency", "write", [self.terms.id], {"commission": 1}
        )
        self.assertEqual(result[0], "error", result)
        self.assertEqual(case.state, "draft")
        self.assertEqual(self.terms.commission, 15.0)

    def test_a_case_in_one_company_leaves_another_alone(self):
        other = self.setup_other_company(name="Collect B")["company"]
        self.credit_manager.sudo().company_ids = [Command.link(other.id)]
        mine = self._invoice(self.customer, 300.0, days(0))
        theirs = self._invoice(self.customer, 200.0, days(0), company=other)
        case = self._case(days(20))
        self.assertEqual(case.move_ids, mine)
        with freeze_time(days(20)):
            case.action_hand_over()
        self.assertTrue(self.customer.with_company(self.company).ar_credit_hold)
        self.assertFalse(self.customer.with_company(other).ar_credit_hold)
        self.assertFalse(theirs.ar_in_collection)
        self._run(days(30), company=other)
        self.assertTrue(self._history_of(theirs).filtered(lambda h: h.channel == "email"))
        # returned by the agency: the hold the case set is lifted
        with freeze_time(days(31)):
            case.action_returned()
        self.assertEqual(case.state, "returned")
        self.assertFalse(self.customer.with_company(self.company).ar_credit_hold)
        self.assertFalse(mine.ar_in_collection)


@tagged("post_install", "-at_install")
class TestCollectionDossier(CollectionCaseCommon):
    """Without the HTTP server of an HttpCase: wkhtmltopdf then draws the text with the
    system's fonts, which pdftotext reads (the web fonts it fetches from a server it draws as
    outlines)."""

    def test_the_dossier_lists_every_reminder_the_letter_and_the_invoices(self):
        self.customer.company_registry = "24681357"
        first, second, _later = self._ladder()
        case = self._case(days(53))
        with freeze_time(days(53)):
            case.action_hand_over()
        values = case._ar_dossier_values()
        reminders = values["history"].filtered(lambda h: h.channel in ("email", "letter"))
        self.assertTrue(reminders)
        self.assertEqual(values["letters"].level_id, self.levels[30])
        pdf = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, lang="en_US")
            ._render_qweb_pdf("ar_followup.action_report_collection_dossier", case.ids)[0]
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", file.name, "-"], capture_output=True, check=True
            ).stdout.decode()
        self.assertIn(f"Collection dossier {case.name}", text)
        for invoice in (first, second):
            self.assertIn(invoice.name, text)
        letter = values["letters"][0]
        self.assertIn(f"{letter.level_id.name}: sent on {letter.date.strftime('%m/%d/%Y')}", text)
        for line in reminders:
            self.assertIn(line.date.strftime("%m/%d/%Y"), text)
        # the CSV: one row an invoice and the total (400.00 + 250.00 = 650.00 open)
        rows = list(
            csv.reader(io.StringIO(case._ar_dossier_csv().decode("utf-8-sig")), delimiter=";")
        )
        self.assertEqual(rows[0][:3], ["invoice", "invoice_date", "due_date"])
        self.assertEqual([row[0] for row in rows[1:]], [first.name, second.name, "TOTAL"])
        # a decimal comma, as the Dutch spreadsheets that read ';' read amounts (a new
        # user's trial), and the customer's KvK number on every row
        self.assertEqual([row[6] for row in rows[1:]], ["400,00", "250,00", "650,00"])
        registry = rows[0].index("customer_registry")
        self.assertEqual({row[registry] for row in rows[1:]}, {"24681357"})
        self.assertEqual(rows[1][3], "53", "days overdue at the hand-over")

    def _creditor_text(self, case):
        """The text of the dossier's creditor table (not of the letterhead, which Debian's
        wkhtmltopdf does not print)."""
        html = self.env["ir.actions.report"]._render_qweb_html(
            "ar_followup.action_report_collection_dossier", case.ids
        )[0]
        tables = lxml.html.fromstring(html).xpath(
            "//table[contains(concat(' ', @class, ' '), ' o_ar_dossier_creditor ')]"
        )
        self.assertEqual(len(tables), 1, "the dossier has a creditor section")
        return " ".join(tables[0].text_content().split())

    def test_the_dossier_names_the_creditor(self):
        # issue #33: the agency must know whose claim it collects and whom to ask
        self.company.write(
            {
                "street": "Keizersgracht 123",
                "zip": "1015 CJ",
                "city": "Amsterdam",
                "vat": "NL004495445B01",
                "company_registry": "12345678",
                "email": "debiteuren@vanderberg.example.nl",
                "phone": "+31 20 123 4567",
            }
        )
        bank = (
            self.env["res.partner.bank"]
            .sudo()
            .create({"acc_number": "NL91ABNA0417164300", "partner_id": self.company.partner_id.id})
        )
        self.credit_manager.partner_id.write(
            {"email": "manager@vanderberg.example.nl", "phone": "+31 20 765 4321"}
        )
        self._invoice(self.customer, 400.0, days(0))
        case = self._case(days(53), user_id=self.credit_manager.id)
        text = self._creditor_text(case)
        for expected in (
            self.company.name,
            "Keizersgracht 123",
            "1015 CJ",
            "Amsterdam",
            "NL004495445B01",
            "12345678",
            bank.acc_number,
            "Credit Manager",
            "manager@vanderberg.example.nl",
            "+31 20 765 4321",
        ):
            self.assertIn(expected, text)
        # no responsible: the company's e-mail and phone
        case.user_id = False
        text = self._creditor_text(case)
        self.assertIn("debiteuren@vanderberg.example.nl", text)
        self.assertIn("+31 20 123 4567", text)
        self.assertNotIn("manager@vanderberg.example.nl", text)

    def test_the_dossier_renders_again_into_the_same_attachments(self):
        # the demo renders its dossiers again once Odoo serves (styled PDFs): the same
        # attachments, those of the agency's e-mail too, with the new content
        self._invoice(self.customer, 400.0, days(0))
        case = self._case(days(53))
        with freeze_time(days(53)):
            case.action_hand_over()
        attachments = case.dossier_ids
        mail = self.env["mail.mail"].search(
            [("model", "=", "ar.collection.case"), ("res_id", "=", case.id)], order="id", limit=1
        )
        self.assertEqual(mail.attachment_ids, attachments)
        dossier = attachments.filtered(lambda a: " dossier." in a.name)
        self.assertNotIn(b"Rebranded Creditor B.V.", dossier.raw)
        self.company.name = "Rebranded Creditor B.V."
        case._ar_regenerate_dossier()
        self.assertEqual(case.dossier_ids, attachments)
        self.assertEqual(mail.attachment_ids, attachments)
        self.assertIn(b"Rebranded Creditor B.V.", dossier.raw)


@tagged("post_install", "-at_install")
class TestCollectionRemittance(CollectionCaseCommon):
    """What the agency collected comes back as one balanced entry, reconciled to the cent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.expense = cls.company_data["default_account_expense"]
        cls.company.ar_agency_expense_account_id = cls.expense
        cls.bank = cls.company_data["default_journal_bank"]

    def _handed_over(self):
        """Invoices of 400.00 and 250.00 and a fee invoice of 97.50 for them (15 % of 650.00,
        the Dutch scale's first bracket), handed over on day 50."""
        first = self._invoice(self.customer, 400.0, days(0))
        second = self._invoice(self.customer, 250.0, days(5))
        fee = self._fee_invoice(first + second, 97.5, days(26), due=days(40))
        case = self._case(days(50))
        with freeze_time(days(50)):
            case.action_hand_over()
        self.assertEqual((case.amount_principal, case.amount_costs), (650.0, 97.5))
        self.assertEqual(case.move_ids, first + second + fee, "the fee invoice goes with them")
        self.assertTrue(fee.ar_in_collection)
        return case, first, second, fee

    def _remit(self, case, **values):
        wizard = (
            self.env["ar.collection.remittance"]
            .with_user(self.credit_manager)
            .create({"case_id": case.id, "journal_id": self.bank.id, "date": days(80), **values})
        )
        wizard.action_confirm()
        return self.env["account.move"].search(
            [("ref", "like", f"Remittance {case.name}")], order="id desc", limit=1
        )

    def _lines(self, move):
        return sorted(
            (line.account_id.account_type, line.debit, line.credit) for line in move.line_ids
        )

    def test_the_agency_keeps_its_commission_and_the_costs(self):
        case, first, second, fee = self._handed_over()
        move = self._remit(case, principal=650.0, costs=97.5, final=True)
        # commission 15 % x 650.00 = 97.50; costs kept 97.50; paid out
        # 650.00 + 97.50 - 97.50 - 97.50 = 552.50
        self.assertEqual(move.state, "posted")
        self.assertEqual(
            self._lines(move),
            [
                ("asset_current", 552.5, 0.0),
                ("asset_receivable", 0.0, 97.5),
                ("asset_receivable", 0.0, 250.0),
                ("asset_receivable", 0.0, 400.0),
                ("expense", 97.5, 0.0),
                ("expense", 97.5, 0.0),
            ],
        )
        self.assertEqual(sum(move.line_ids.mapped("balance")), 0.0)
        self.assertEqual((first + second + fee).mapped("amount_residual"), [0.0, 0.0, 0.0])
        self.assertEqual((case.state, case.date_closed), ("paid", days(80)))
        # the commission and the costs the agency kept, apart (#33: a new user read 1,601.71
        # "Commission" that held the costs too)
        self.assertEqual(
            (case.amount_collected, case.amount_commission, case.amount_costs_kept),
            (650.0, 97.5, 97.5),
        )
        message = case.message_ids.filtered(lambda m: "case is closed" in (m.body or ""))
        self.assertTrue(message, "paid: the case is closed, the follow-up does not resume")
        self.assertFalse(case.message_ids.filtered(lambda m: "resumes" in (m.body or "")))
        self.assertFalse(self.customer.ar_credit_hold, "the case's hold lifted")
        self.assertFalse((first + second).mapped("ar_in_collection")[0])

    def test_an_agency_that_pays_out_the_costs(self):
        self.terms.keeps_costs = False
        case, first, second, fee = self._handed_over()
        move = self._remit(case, principal=650.0, costs=97.5)
        # paid out 650.00 + 97.50 - 97.50 commission = 650.00
        self.assertEqual(
            self._lines(move),
            [
                ("asset_current", 650.0, 0.0),
                ("asset_receivable", 0.0, 97.5),
                ("asset_receivable", 0.0, 250.0),
                ("asset_receivable", 0.0, 400.0),
                ("expense", 97.5, 0.0),
            ],
        )
        self.assertEqual((first + second + fee).mapped("amount_residual"), [0.0, 0.0, 0.0])
        self.assertEqual(case.state, "paid")

    def test_part_now_part_later_then_closed_partly_paid(self):
        case, first, second, fee = self._handed_over()
        # 300.00 of the principal, oldest invoice first: 400.00 - 300.00 = 100.00 left on it
        self._remit(case, principal=300.0)
        self.assertEqual((first.amount_residual, second.amount_residual), (100.0, 250.0))
        self.assertEqual(case.state, "collecting")
        self.assertTrue(first.ar_in_collection)
        # 150.00 more and the agency closes: 100.00 on the first, 50.00 on the second
        self._remit(case, principal=150.0, final=True)
        self.assertEqual((first.amount_residual, second.amount_residual), (0.0, 200.0))
        self.assertEqual(fee.amount_residual, 97.5)
        self.assertEqual(case.state, "partly_paid")
        # commission 15 % of 300.00 + 15 % of 150.00 = 45.00 + 22.50
        self.assertEqual((case.amount_collected, case.amount_commission), (450.0, 67.5))
        self.assertFalse(second.ar_in_collection, "what is left is the ladder's again")

    def test_more_than_is_open_or_negative_amounts_post_nothing(self):
        case, *_moves = self._handed_over()
        count = self.env["account.move"].search_count([])
        for values in (
            {"principal": 650.01},
            {"principal": -1.0},
            {"principal": 100.0, "costs": 97.5, "costs_kept": 97.51},
            {"principal": 100.0, "commission": 150.0},
        ):
            with self.assertRaises(UserError):  # ValidationError is one
                self._remit(case, **values)
        self.assertEqual(self.env["account.move"].search_count([]), count)
        self.assertEqual(case.state, "handed_over")
        billing = self.env["ar.collection.remittance"].with_user(self.billing)
        with self.assertRaises(AccessError):
            billing.create({"case_id": case.id, "journal_id": self.bank.id, "principal": 1.0})

    def test_a_payment_made_directly_tells_the_agency_and_closes_the_case(self):
        self.terms.email_payments = True
        case, first, second, fee = self._handed_over()
        self._pay(first, 400.0, on=days(60))
        activity = case.activity_ids.filtered(lambda a: "tell the agency" in (a.summary or ""))
        self.assertEqual(len(activity), 1)
        self.assertIn("400.00 directly on", activity.note)
        mail = self.env["mail.mail"].search(
            [("model", "=", "ar.collection.case"), ("res_id", "=", case.id)], order="id desc"
        )[0]
        self.assertIn("payment received directly", mail.subject)
        self.assertEqual(mail.email_to, "nieuwezaken@incassonoord.example.nl")
        self.assertEqual(case.state, "handed_over", "250.00 still open")
        self._pay(second, 250.0, on=days(61))
        self.assertEqual(case.state, "handed_over", "the collection costs are still open")
        self._pay(fee, 97.5, on=days(62))
        self.assertEqual(case.state, "paid")
        self.assertFalse(first.ar_in_collection)

    def test_insight_per_agency_and_the_hand_off_as_a_level(self):
        case, *_moves = self._handed_over()
        self._remit(case, principal=325.0, final=True)  # half of 650.00, closed on day 80
        # the hand-off counts as a level of the KPIs: the 3 invoices handed over on day 50,
        # none of them paid in full within 14 days
        conversion = self.env["ar.kpi"].level_conversion(days(50), days(50))
        self.assertEqual(
            conversion["handover"], {"count": 3, "paid_7_pct": 0.0, "paid_14_pct": 0.0}
        )
        self.assertEqual((case.recovery_rate, case.days_to_recovery), (50.0, 30))
        # a second case of the agency, 100.00 collected in full on day 80 (handed over on
        # day 50): the group's rate is its money's, (325.00 + 100.00) / (650.00 + 100.00)
        # = 56.67 %, not the average of its cases' rates (75 %)
        other = self._customer("Customer Two")
        invoice = self._invoice(other, 100.0, days(0))
        second_case = (
            self.env["ar.collection.case"]
            .with_user(self.credit_manager)
            .create({"partner_id": other.id, "move_ids": [Command.set(invoice.ids)]})
        )
        with freeze_time(days(50)):
            second_case.action_hand_over()
        self._remit(second_case, principal=100.0)
        self.assertEqual((second_case.state, second_case.recovery_rate), ("paid", 100.0))
        groups = self.env["ar.collection.case"].read_group(
            [("id", "in", (case + second_case).ids)],
            ["amount_principal:sum", "amount_collected:sum", "recovery_rate", "days_to_recovery"],
            ["agency_id"],
        )
        self.assertEqual(
            (groups[0]["amount_principal"], groups[0]["amount_collected"]), (750.0, 425.0)
        )
        self.assertEqual((groups[0]["recovery_rate"], groups[0]["days_to_recovery"]), (56.67, 30))
        # asked without the sums, the rate is still the money's, and no sum is added
        (group,) = self.env["ar.collection.case"].read_group(
            [("id", "in", (case + second_case).ids)], ["recovery_rate"], ["agency_id"]
        )
        self.assertEqual(group["recovery_rate"], 56.67)
        self.assertNotIn("amount_principal", group)


@tagged("post_install", "-at_install")
class TestCollectionPortal(CollectionCaseCommon, HttpCase):
    def test_the_portal_marks_its_own_invoices_and_nothing_of_the_case(self):
        other = self._customer("Customer Two")
        self._user("arc_portal", "portal", password="arc_portal", partner_id=self.customer.id)
        self._user("arc_other", "portal", password="arc_other", partner_id=other.id)
        mine = self._invoice(self.customer, 400.0, days(0))
        theirs = self._invoice(other, 300.0, days(0))
        case = self._case(days(20))
        with freeze_time(days(20)):
            case.action_hand_over()
        self.authenticate("arc_portal", "arc_portal")
        page = self.url_open("/my/statement")
        self.assertEqual(page.status_code, 200)
        self.assertIn(mine.name, page.text)
        self.assertIn("(handed over to Incasso Noord B.V.)", page.text)
        self.authenticate("arc_other", "arc_other")
        page = self.url_open("/my/statement")
        self.assertIn(theirs.name, page.text)
        self.assertNotIn(mine.name, page.text)
        self.assertNotIn("handed over", page.text)
        # the case itself is nobody's on the portal: not over RPC either
        for method, args in (("read", [[case.id], ["name"]]), ("search_read", [[]])):
            result = self._rpc("arc_other", "ar.collection.case", method, *args)
            self.assertEqual(result[0], "error", (method, result))

    def test_a_disputed_invoice_is_not_handed_over(self):
        disputed = self._invoice(self.customer, 400.0, days(0))
        overdue = self._invoice(self.customer, 100.0, days(0))
        self.env["ar.dispute"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(disputed.ids)],
                "reason": "quality",
                "amount_disputed": 400.0,
            }
        ).action_start()
        case = self._case(days(30))
        self.assertEqual(case.move_ids, overdue, "by default: not the disputed invoice")
        case.move_ids = [Command.link(disputed.id)]
        with self.assertRaises(UserError) as error, freeze_time(days(30)):
            case.action_hand_over()
        self.assertIn(f"{disputed.name} are disputed or in a payment plan", str(error.exception))
        self.assertEqual(case.state, "draft")
