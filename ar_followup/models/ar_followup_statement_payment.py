# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Paying a statement: which invoices one payment settles, what it costs on a date (the
early-payment discounts still valid deducted), and the SEPA credit-transfer QR code that pays
them by bank transfer.

The QR code is the European Payments Council's (EPC069-12, "Quick Response Code: guidelines to
enable data capture for the initiation of a SEPA credit transfer", version 3.1), built from
Odoo's own (``account_qr_code_sepa``: which accounts can have one, the beneficiary, the
structured reference) with the limits of the guidelines, which Odoo's exceeds by one
character (name 70, remittance text 140), and the amount with two decimals.
"""

import base64
import io
import logging

from PIL import Image
from reportlab.graphics.barcode.qr import QrCodeWidget

from odoo import api, models
from odoo.tools.image import image_data_uri

from odoo.addons.account.tools import is_valid_structured_reference

_logger = logging.getLogger(__name__)

EPC_NAME_MAX = 70  # AT-21, name of the beneficiary
EPC_TEXT_MAX = 140  # AT-05, unstructured remittance information
EPC_AMOUNT_MAX = 999999999.99  # AT-04
EPC_PAYLOAD_MAX = 331  # bytes, the whole payload
QR_MIN_SIZE = 240  # pixels at least; on paper about 3 cm: the guidelines ask at least 2 cm
QR_BORDER = 4  # the quiet zone, in modules


class ArFollowupStatement(models.AbstractModel):
    _inherit = "ar.followup.statement"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # What one payment settles
    # ------------------------------------------------------------------

    @api.model
    def _ar_payable(self, partner, company, date, invoice_ids=None, overdue=True):
        """The customer's invoices that can be paid online in one payment: its open posted
        invoices in ``company`` (``invoice_ids``: those of them chosen; else, with
        ``overdue``, the overdue ones at ``date``), not wholly disputed (the part of an
        invoice no open dispute covers is paid), not in a payment plan, not handed over to an
        agency (the agency collects those).
        ``{currency: invoices}``: one payment is in one currency."""
        domain = [
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("amount_residual", ">", 0),
            ("ar_in_payment_plan", "=", False),
            ("ar_in_collection", "=", False),
        ]
        if invoice_ids is not None:
            domain.append(("id", "in", list(invoice_ids)))
        elif overdue:
            domain.append(("invoice_date_due", "<", date))
        invoices = self.env["account.move"].sudo().search(domain, order="invoice_date_due, id")
        disputed = invoices.filtered("ar_is_disputed")
        if disputed:
            undisputed = disputed._ar_undisputed_residuals()
            invoices -= disputed.filtered(lambda move: move.currency_id.is_zero(undisputed[move]))
        return invoices.grouped("currency_id")

    @api.model
    def _ar_to_pay(self, partner, company, date):
        """What a reminder asks the customer to pay now, ``{currency: invoices}``: its overdue
        payable invoices, or, when none is overdue (a courtesy reminder), the open ones."""
        payable = self._ar_payable(partner, company, date, overdue=False)
        overdue = {
            currency: due
            for currency, moves in payable.items()
            if (due := moves.filtered(lambda move: move.invoice_date_due < date))
        }
        return overdue or payable

    @api.model
    def _ar_discounts(self, invoices, date):
        """``{invoice: (amount then due, last day)}`` for the invoices among ``invoices``
        whose early-payment discount is still valid at ``date`` (Odoo's rule: the payment
        terms give one, its day has not passed, nothing has been paid on it yet)."""
        discounts = {}
        for move in invoices.filtered(
            lambda move: move.invoice_payment_term_id.early_discount and not move.ar_is_disputed
        ):
            if not move._is_eligible_for_early_payment_discount(move.currency_id, date):
                continue
            term = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
            if len(term) == 1 and term.discount_date:
                discounts[move] = (term.discount_amount_currency, term.discount_date)
        return discounts

    @api.model
    def _ar_amount_to_pay(self, invoices, date, discounts=None):
        """``(amount, discount)``: what paying ``invoices`` (of one currency) in one payment
        costs at ``date``, and the early-payment discounts deducted from their open amount
        (``discounts``: these, of :meth:`_ar_discounts`, instead of those valid at
        ``date``)."""
        currency = invoices.currency_id
        currency.ensure_one()
        if discounts is None:
            discounts = self._ar_discounts(invoices, date)
        # of a partly disputed invoice, the part no open dispute covers (no discount on it)
        residual = {move: move.amount_residual for move in invoices}
        disputed = invoices.filtered("ar_is_disputed")
        if disputed:
            residual.update(disputed._ar_undisputed_residuals())
        full = sum(residual.values())
        amount = sum(
            discounts[move][0] if move in discounts else residual[move] for move in invoices
        )
        return currency.round(amount), currency.round(full - amount)

    # ------------------------------------------------------------------
    # SEPA credit-transfer QR code
    # ------------------------------------------------------------------

    @api.model
    def _ar_sepa_bank(self, company):
        """The bank account a SEPA QR code of ``company`` pays to: the one its reminders and
        statements name (its first), when it can have one (a SEPA IBAN); else ``None``.
        (A few queries: a statement reads it once for all its customers.)"""
        bank = company.partner_id.bank_ids[:1]
        if not bank:
            return None
        euro = self.env.ref("base.EUR")
        partner = company.partner_id
        if bank._get_error_messages_for_qr("sct_qr", partner, euro) or (
            bank._check_for_qr_code_errors("sct_qr", 0, euro, partner, "", "")
        ):
            return None
        return bank

    @api.model
    def _ar_transfer_reference(self, invoices, date):
        """``(structured, text)``: the remittance information of a transfer that pays
        ``invoices``: their payment reference when it is a structured one they all share
        (Belgian structured communication, RF creditor reference, Dutch payment reference),
        else their numbers, else (too many for 140 characters) the customer and the date."""
        references = set(invoices.mapped(lambda move: move.payment_reference or move.name))
        if len(references) == 1:
            reference = references.pop()
            if is_valid_structured_reference(reference):
                return reference, ""
        text = " ".join(invoices.mapped("name"))
        if len(text) > EPC_TEXT_MAX:
            partner = invoices.commercial_partner_id
            text = self.env._(
                "Statement of %(date)s, %(count)s invoices, customer %(customer)s",
                date=date.isoformat(),
                count=len(invoices),
                customer=partner.ref or partner.id,
            )
        return "", text[:EPC_TEXT_MAX]

    @api.model
    def _ar_epc_payload(self, bank, amount, currency, partner, structured, text):
        """The EPC069-12 payload (version 002, UTF-8) that pays ``amount`` to ``bank``, from
        Odoo's (``account_qr_code_sepa``) within the guidelines' limits; ``None`` for an
        amount a SEPA QR code cannot carry."""
        if not 0.01 <= amount <= EPC_AMOUNT_MAX:
            return None
        values = bank._get_qr_vals(
            "sct_qr", f"{amount:.2f}", currency, partner, text[:EPC_TEXT_MAX], structured
        )
        values[5] = (bank.acc_holder_name or bank.partner_id.name)[:EPC_NAME_MAX]
        while values and not values[-1]:
            values.pop()  # the last element is followed by nothing (EPC069-12, 3.3)
        payload = "\n".join(values)
        return payload if len(payload.encode()) <= EPC_PAYLOAD_MAX else None

    @api.model
    def _ar_offers_sepa_qr(self, statement):
        """Whether the reminder of ``statement`` shows a SEPA QR code, read off the statement
        without a query (a run renders thousands): an IBAN to pay to, and an invoice in euros
        to pay, not disputed nor in a payment plan."""
        return bool(statement.get("sepa_bank")) and bool(self._ar_asked_invoice_ids(statement))

    @api.model
    def _ar_asked_invoice_ids(self, statement):
        """The invoices a reminder of ``statement`` asks to pay by transfer in euros (as
        :meth:`_ar_to_pay` chooses them at the statement's date), read off its lines: the
        QR image of its e-mail asks these, and only these, whenever it is read."""
        date = statement["date"]
        payable = [
            line
            for line in statement["lines"]
            if line["kind"] == "invoice"
            and line["currency"].name == "EUR"
            and line["amount_residual"] > 0
            and not line["disputed"]
            and not line["planned"]
            and not line["collection"]
        ]
        overdue = [line for line in payable if line["due_date"] < date]
        return sorted(line["move"].id for line in overdue or payable)

    @api.model
    def _ar_sepa_qr(self, partner, company, date, statement=None, invoice_ids=None):
        """The SEPA QR code of what ``partner`` is asked to pay in euros at ``date``
        (:meth:`_ar_to_pay`, discounts and payments on their way deducted): ``{'payload',
        'image' (a data URI), 'png', 'amount', 'discount', 'received', 'currency', 'iban',
        'name', 'structured', 'text'}``, or ``None`` (nothing payable in euros, no IBAN to
        pay to). ``invoice_ids``: the code of a reminder sent earlier, for what is still open of
        the invoices it asked (never others)."""
        euro = self.env.ref("base.EUR")
        partner = partner.commercial_partner_id
        bank = self._ar_sepa_bank(company)
        if invoice_ids is not None:
            to_pay = self._ar_payable(partner, company, date, invoice_ids=invoice_ids)
        else:
            to_pay = bank and self._ar_to_pay(partner, company, date)
        invoices = bank and to_pay.get(euro)
        if not invoices:
            return None
        amount, discount = self._ar_amount_to_pay(invoices, date)
        # payments on their way in euros are deducted: the code asks only the rest (read off
        # the ``statement`` of a letter, which lists them, else looked up)
        if statement is not None:
            received = sum(
                -line["amount_residual"]
                for line in statement["lines"]
                if line.get("waiting") and line["currency"] == euro
            )
        else:
            received = sum(
                paid
                for _line, _day, currency_id, paid in self._ar_waiting_payments(
                    company, [partner.id]
                ).get(partner.id, [])
                if currency_id == euro.id
            )
        received = euro.round(received)
        amount = euro.round(amount - received)
        structured, text = self._ar_transfer_reference(invoices, date)
        payload = self._ar_epc_payload(bank, amount, euro, partner, structured, text)
        if not payload:
            return None
        png = self._ar_qr_png(payload)
        if not png:
            return None
        return {
            "payload": payload,
            "png": png,
            "image": image_data_uri(base64.b64encode(png)),
            "amount": amount,
            "discount": discount,
            "received": received,
            "currency": euro,
            "iban": bank.acc_number,
            "name": (bank.acc_holder_name or bank.partner_id.name)[:EPC_NAME_MAX],
            "structured": structured,
            "text": text,
            "invoices": invoices,
        }

    @api.model
    def _ar_qr_png(self, payload):
        """The QR code of ``payload`` as a PNG (error correction M, as the guidelines ask;
        a quiet zone of 4 modules), ``None`` when it cannot be drawn (reportlab without its
        PNG renderer: the reminders then say how to pay by transfer in words only).

        The image is a whole number of pixels a module (at least 240 pixels in all): drawn
        at any other size, the modules' edges are grey and banking apps misread the code."""
        try:
            code = QrCodeWidget(payload, barLevel="M").qr
            code.make()
            modules = code.getModuleCount() + 2 * QR_BORDER
            size = modules * -(-QR_MIN_SIZE // modules)  # the next multiple of the modules
            png = self.env["ir.actions.report"].barcode(
                "QR", payload, width=size, height=size, quiet=0, barBorder=QR_BORDER, barLevel="M"
            )
            # the renderer may still leave a rare grey pixel on a module's edge: black and
            # white only, one bit a pixel
            image = Image.open(io.BytesIO(png)).convert("L").point(lambda v: 255 if v >= 128 else 0)
            buffer = io.BytesIO()
            image.convert("1").save(buffer, format="PNG")
            return buffer.getvalue()
        except Exception:
            _logger.warning("ar_followup: cannot draw a SEPA QR code", exc_info=True)
            return None
