"""The claim: a reported, unpaid invoice claimed in one click becomes a draft collection case
with the insurer as the agency and the claim dossier (PDF, CSV) attached; the export of the
invoices to report is a CSV per insurer."""

import base64

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InsuranceCase, days


@tagged("post_install", "-at_install")
class TestInsurerClaim(InsuranceCase):
    @staticmethod
    def _dossier_text(case):
        """The text of the case's dossier (its PDF, rendered as HTML in tests)."""
        pdf = case.dossier_ids.filtered(lambda a: " dossier." in a.name and ".csv" not in a.name)
        return base64.b64decode(pdf.datas).decode()

    def test_claim_makes_the_dossier_and_a_case_with_the_insurer(self):
        self.customer.write({"risk_insurance_code": "POL-7", "company_registry": "87654321"})
        invoice = self._invoice(self.customer, 1210.0, days(0))
        other = self._invoice(self.customer, 500.0, days(5))
        manager = self.credit_manager
        with freeze_time(days(50)):
            with self.assertRaisesRegex(UserError, "reported, unpaid"):
                invoice.with_user(manager).action_ar_insurer_claim()
            invoice.with_user(manager).action_ar_insurer_notified()
        with freeze_time(days(100)):
            action = invoice.with_user(manager).action_ar_insurer_claim()
        case = self.env["ar.collection.case"].browse(action["res_id"])
        self.assertEqual(case.state, "draft")
        self.assertEqual(case.agency_id, self.insurer_contact)
        self.assertEqual(case.agency_kind, "insurer")
        self.assertEqual(case.collection_agency_id.email, "claims@insurer.example")
        self.assertEqual(case.move_ids, invoice)
        self.assertEqual(invoice.ar_insurer_claim_date, days(100))
        self.assertEqual(invoice.ar_insurer_case_id, case)
        names = case.dossier_ids.mapped("name")
        # the dossier's PDF (rendered as HTML in tests) and the CSV for the insurer's import
        self.assertTrue(any(" dossier." in n for n in names), names)
        csv_file = case.dossier_ids.filtered(lambda a: a.name.endswith(".csv"))
        rows = [
            row.split(";")
            for row in base64.b64decode(csv_file.datas).decode("utf-8-sig").splitlines()
        ]
        # the insurer's import finds the customer by its policy code and KvK number (a new
        # user's trial: neither was in it), amounts with a decimal comma as Dutch Excel
        # reads them
        header = rows[0]
        self.assertEqual(rows[1][header.index("invoice")], invoice.name)
        self.assertEqual(rows[1][header.index("amount_open")], "1210,00")
        self.assertEqual(rows[1][header.index("policy_code")], "POL-7")
        self.assertEqual(rows[1][header.index("customer_registry")], "87654321")
        self.assertEqual(rows[1][header.index("reported_on")], days(50).isoformat())
        self.assertEqual(rows[2][0], "TOTAL")
        self.assertEqual(rows[2][header.index("policy_code")], "POL-7")
        # the PDF reads as a claim: the policy, when it was reported and must be claimed
        # (a new user's trial read an agency's "collection dossier" without them)
        claim_text = self._dossier_text(case)
        self.assertIn(f"Claim dossier {case.name}", claim_text)
        self.assertNotIn("Collection dossier", claim_text)
        self.assertIn("Invoices claimed", claim_text)
        self.assertIn("POL-7", claim_text)
        self.assertIn("Reported on", claim_text)
        self.assertIn(days(50).strftime("%m/%d/%Y"), claim_text)
        # and in Dutch (the arch is matched in the language it renders in: an xpath on an
        # English text broke the Dutch dossier)
        self.env["res.lang"]._activate_lang("nl_NL")
        case.agency_id.lang = "nl_NL"  # the dossier is in the insurer's language
        dutch = (
            self.env["ir.actions.report"]
            ._render_qweb_html("ar_followup.action_report_collection_dossier", case.ids)[0]
            .decode()
        )
        self.assertIn(f"Claimdossier {case.name}", dutch)
        self.assertIn("Geclaimde facturen", dutch)
        case.agency_id.lang = "en_US"
        text = self._dossier_text(case)
        self.assertIn("not collected by the insurer yet", text)
        self.assertIn("1,210.00", text, "the open amount, not a principal of 0.00")
        # claimed once; the other invoice, not reported, cannot be claimed
        with freeze_time(days(101)), self.assertRaises(UserError):
            invoice.with_user(manager).action_ar_insurer_claim()
        with freeze_time(days(101)), self.assertRaises(UserError):
            other.with_user(manager).action_ar_insurer_claim()
        # when the insurer collects, the case is handed over to it
        with freeze_time(days(102)):
            case.with_user(manager).action_hand_over()
        self.assertEqual(case.state, "handed_over")
        self.assertEqual(self._account(self.customer).credit_hold_origin, "collection")
        # the hand-over's dossier replaces the draft's: one of each file on the case
        files = self.env["ir.attachment"].search(
            [("res_model", "=", case._name), ("res_id", "=", case.id)]
        )
        self.assertEqual(len(files), len(set(files.mapped("name"))), files.mapped("name"))
        self.assertEqual(files, case.dossier_ids)
        text = self._dossier_text(case)
        self.assertIn("Handed over on", text)

    def test_claim_of_a_customer_the_insurer_put_on_hold(self):
        """The customer is on hold by the insurer (past the maximum credit period) when the
        claim is handed over: the case holds it; returned by the insurer, the insurer's hold
        is back (a new user's hand-over crashed on that origin)."""
        invoice = self._invoice(self.customer, 1210.0, days(0))
        manager = self.credit_manager
        with freeze_time(days(50)):
            invoice.with_user(manager).action_ar_insurer_notified()
        self._run(days(91))
        account = self._account(self.customer)
        self.assertEqual(account.credit_hold_origin, "insurer")
        with freeze_time(days(95)):
            action = invoice.with_user(manager).action_ar_insurer_claim()
            case = self.env["ar.collection.case"].browse(action["res_id"])
            case.with_user(manager).action_hand_over()
        self.assertEqual(case.state, "handed_over")
        self.assertEqual(case.hold_origin_before, "insurer")
        self.assertEqual(account.credit_hold_origin, "collection")
        with freeze_time(days(96)):
            case.with_user(manager).action_returned()
        self.assertEqual(account.credit_hold_origin, "insurer")

    def test_claim_needs_the_insurers_contact(self):
        self.insurer.partner_id = False
        invoice = self._invoice(self.customer, 100.0, days(0))
        with freeze_time(days(50)):
            invoice.with_user(self.credit_manager).action_ar_insurer_notified()
            with self.assertRaisesRegex(UserError, "Set the contact of the insurer"):
                invoice.with_user(self.credit_manager).action_ar_insurer_claim()
        self.assertFalse(invoice.ar_insurer_claim_date)

    def test_export_per_insurer(self):
        self.customer.write(
            {
                "risk_insurance_code": "POL-0042",
                "vat": "NL000099998B57",
                "company_registry": "12345678",
                "ref": "=HYPERLINK(1)",
            }
        )
        first = self._invoice(self.customer, 1000.0, days(0))
        second = self._invoice(self.customer, 250.5, days(3))
        with freeze_time(days(40)):
            action = (first | second).with_user(self.credit_manager).action_ar_insurer_export()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        self.assertEqual(
            (attachment.res_model, attachment.res_id), (self.insurer._name, self.insurer.id)
        )
        rows = base64.b64decode(attachment.datas).decode("utf-8-sig").splitlines()
        self.assertEqual(rows[0].split(";")[0], "policy_code")
        self.assertEqual(len(rows), 3)
        first_row = rows[1].split(";")
        self.assertEqual(first_row[0], "POL-0042")
        self.assertEqual(first_row[3], "12345678", "the KvK number")
        self.assertEqual(first_row[4], "'=HYPERLINK(1)", "a formula typed in is kept as text")
        self.assertEqual(first_row[5], first.name)
        self.assertEqual(first_row[8], "40")  # days overdue on day 40
        self.assertEqual(first_row[11], "1000,00", "a decimal comma, as Dutch Excel reads it")
        self.assertEqual(first_row[12], days(60).isoformat())
        self.assertEqual(rows[2].split(";")[11], "250,50")
        # kept on the insurer, shown there
        self.assertEqual(self.insurer.ar_export_count, 1)
        exports = self.insurer.with_user(self.credit_manager).action_ar_open_exports()
        self.assertEqual(self.env["ir.attachment"].search(exports["domain"]), attachment)
        # a list of the files, when and by whom, not the attachments' technical columns
        view_id = exports["views"][0][0]
        arch = self.env["ir.attachment"].get_view(view_id, "list")["arch"]
        self.assertIn('name="create_uid"', arch)
        self.assertNotIn("res_model", arch)
        # the export records nothing as reported
        self.assertFalse(any((first | second).mapped("ar_insurer_notified_date")))
        # one insurer per export
        other_insurer = self.env["credit.policy.company"].create(
            {"name": "Other Insurer", "ar_notification_days": 30}
        )
        other = self._customer("Other Insured")
        other.write(
            {
                "credit_policy_company_id": other_insurer.id,
                "credit_policy_state_id": self.granted.id,
            }
        )
        third = self._invoice(other, 10.0, days(0))
        with self.assertRaisesRegex(UserError, "one insurer"):
            (first | third).with_user(self.credit_manager).action_ar_insurer_export()
        # an invoice without an insurer's deadline
        plain = self._invoice(self._customer("Plain"), 10.0, days(0))
        with self.assertRaisesRegex(UserError, "no insurer to report to"):
            plain.with_user(self.credit_manager).action_ar_insurer_export()
