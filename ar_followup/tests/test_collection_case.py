"""Hand-off to a collection agency (issue #20): a case takes invoices out of the ladder while
it is open (no reminder, costs or interest), keeps the customer on hold, marks them on the
customer's statements, and gives them back at the level they had when it is cancelled or
returned; its dossier and the agency's e-mail; who may do what."""

import csv
import io
import subprocess
import tempfile

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, days


class CollectionCaseCommon(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {
                "name": "Incasso Noord B.V.",
                "is_company": True,
                "email": "info@incassonoord.example.nl",
                "ar_agency_kind": "agency",
                "ar_agency_email": "nieuwezaken@incassonoord.example.nl",
                "ar_agency_commission": 15.0,
                "lang": "en_US",
            }
        )
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

    def _case(self, on, **values):
        Case = self.env["ar.collection.case"].with_user(self.credit_manager)
        Case = Case.with_context(ar_followup_date=on)
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
        case.with_context(ar_followup_date=days(53)).action_hand_over()
        self.assertEqual((case.state, case.date_handover), ("handed_over", days(53)))
        # 400.00 + 250.00 open when handed over
        self.assertEqual(case.amount_principal, 650.0)
        self.assertTrue(all((first + second).mapped("ar_in_collection")))
        self.assertTrue(self.customer.ar_credit_hold)
        self.assertEqual(self.customer.ar_credit_hold_origin, "collection")
        handover = self._history(self.customer, "handover")
        self.assertEqual((handover.date, handover.move_ids), (days(53), first + second))
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
        case.with_context(ar_followup_date=days(91)).action_cancel()
        self.assertFalse(any((first + second).mapped("ar_in_collection")))
        for move, level in levels.items():
            state = self.env["ar.followup.move.state"].search([("move_id", "=", move.id)])
            self.assertEqual(state.level_id, level, move.name)
        # the hold the final notice had set is the ladder's again (it lifts itself once
        # nothing is overdue)
        self.assertTrue(self.customer.ar_credit_hold)
        self.assertEqual(self.customer.ar_credit_hold_origin, "followup")
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
            "arc_billing", "res.partner", "write", [self.agency.id], {"ar_agency_commission": 1}
        )
        self.assertEqual(result[0], "error", result)
        self.assertEqual(case.state, "draft")
        self.assertEqual(self.agency.ar_agency_commission, 15.0)

    def test_a_case_in_one_company_leaves_another_alone(self):
        other = self.setup_other_company(name="Collect B")["company"]
        self.credit_manager.sudo().company_ids = [Command.link(other.id)]
        mine = self._invoice(self.customer, 300.0, days(0))
        theirs = self._invoice(self.customer, 200.0, days(0), company=other)
        case = self._case(days(20))
        self.assertEqual(case.move_ids, mine)
        case.with_context(ar_followup_date=days(20)).action_hand_over()
        self.assertTrue(self.customer.with_company(self.company).ar_credit_hold)
        self.assertFalse(self.customer.with_company(other).ar_credit_hold)
        self.assertFalse(theirs.ar_in_collection)
        self._run(days(30), company=other)
        self.assertTrue(self._history_of(theirs).filtered(lambda h: h.channel == "email"))
        # returned by the agency: the hold the case set is lifted
        case.with_context(ar_followup_date=days(31)).action_returned()
        self.assertEqual(case.state, "returned")
        self.assertFalse(self.customer.with_company(self.company).ar_credit_hold)
        self.assertFalse(mine.ar_in_collection)


@tagged("post_install", "-at_install")
class TestCollectionDossier(CollectionCaseCommon):
    """Without the HTTP server of an HttpCase: wkhtmltopdf then draws the text with the
    system's fonts, which pdftotext reads (the web fonts it fetches from a server it draws as
    outlines)."""

    def test_the_dossier_lists_every_reminder_the_letter_and_the_invoices(self):
        first, second, _later = self._ladder()
        case = self._case(days(53))
        case.with_context(ar_followup_date=days(53)).action_hand_over()
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
        self.assertEqual([row[6] for row in rows[1:]], ["400.00", "250.00", "650.00"])
        self.assertEqual(rows[1][3], "53", "days overdue at the hand-over")
