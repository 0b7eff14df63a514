"""SEPA direct debit set up as a Dutch company has it: its creditor identifier, a bank
journal that collects by SEPA direct debit, the payment mode *SEPA direct debit*, and a
customer who signed a CORE mandate and pays by it."""

from freezegun import freeze_time

from odoo.addons.ar_followup.tests.common import ArFollowupCase, days


class DirectDebitCase(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        # the bookkeeper makes the payment orders and the returns (OCA's group for them)
        cls.env.user.sudo().groups_id |= cls.env.ref("account_payment_order.group_account_payment")
        company.sepa_creditor_identifier = "NL69ZZZ123456780000"
        sdd = cls.env.ref("account_banking_sepa_direct_debit.sepa_direct_debit")
        company_bank = (
            cls.env["res.partner.bank"]
            .sudo()
            .create({"acc_number": "NL91ABNA0417164300", "partner_id": company.partner_id.id})
        )
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.bank_journal.sudo().write(
            {
                "bank_account_id": company_bank.id,
                "inbound_payment_method_line_ids": [
                    (0, 0, {"payment_method_id": sdd.id, "name": "SEPA Direct Debit"})
                ],
            }
        )
        cls.mode = (
            cls.env["account.payment.mode"]
            .sudo()
            .create(
                {
                    "name": "SEPA direct debit",
                    "company_id": company.id,
                    "payment_method_id": sdd.id,
                    "bank_account_link": "fixed",
                    "fixed_journal_id": cls.bank_journal.id,
                }
            )
        )
        cls.mandate = cls._mandate(cls.customer, "NL20INGB0001234567", "ARDD-0001")

    @classmethod
    def _mandate(cls, partner, iban, reference, scheme="CORE", state="valid"):
        bank = (
            cls.env["res.partner.bank"]
            .sudo()
            .create({"acc_number": iban, "partner_id": partner.id, "company_id": cls.company.id})
        )
        mandate = (
            cls.env["account.banking.mandate"]
            .sudo()
            .create(
                {
                    "format": "sepa",
                    "type": "recurrent",
                    "recurrent_sequence_type": "first",
                    "scheme": scheme,
                    "signature_date": days(-60),
                    "partner_bank_id": bank.id,
                    "company_id": cls.company.id,
                    "unique_mandate_reference": reference,
                }
            )
        )
        if state != "draft":
            mandate.validate()
        partner.with_company(cls.company).sudo().customer_payment_mode_id = cls.mode
        return mandate.with_env(cls.env)

    def _collect(self, invoices, upload=True):
        """``invoices`` in a direct debit order, confirmed, its file generated and (with
        ``upload``) uploaded to the bank: the invoices are paid."""
        action = invoices.create_account_payment_line()
        order = self.env["account.payment.order"].browse(action["res_id"])
        order.draft2open()
        order.open2generated()
        if upload:
            order.generated2uploaded()
        return order

    def _return(self, invoice, code="AM04", on=None):
        """The bank's return of ``invoice``'s debit, for the reason ``code``, confirmed on
        its day ``on`` (its e-mail and history line dated then)."""
        payment_line = invoice.line_ids.filtered(
            lambda l: l.account_id.account_type == "asset_receivable"
        ).matched_credit_ids.credit_move_id
        reason = self.env["payment.return.reason"].search([("code", "=", code)], limit=1)
        payment_return = self.env["payment.return"].create(
            {
                "journal_id": self.bank_journal.id,
                "date": on or invoice.invoice_date_due,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "partner_id": invoice.commercial_partner_id.id,
                            "move_line_ids": [(6, 0, payment_line.ids)],
                            "amount": invoice.amount_total,
                            "reason_id": reason.id,
                        },
                    )
                ],
            }
        )
        with freeze_time(on or invoice.invoice_date_due):
            payment_return.action_confirm()
        return payment_return
