# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A SEPA CORE mandate signed online by the customer on its statement page (the link of its
reminders, or the portal): the account holder's name, the IBAN (checked), the place and the
day; it becomes OCA's mandate, valid at once, with who signed, where, when and from which IP
address in its chatter, and the customer's next invoices are collected by direct debit. A
business (B2B) mandate is not signed online: the debtor's bank must confirm it; its form
prints the reference the registered mandate takes (``res_partner.py``)."""

import base64
import re
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base_iban.models.res_partner_bank import validate_iban

from ..tools.channels import channel_words, company_env

# the countries of the SEPA scheme (EU, EEA, and the others the EPC admits)
SEPA_COUNTRIES = {
    "AD",
    "AT",
    "BE",
    "BG",
    "CH",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GB",
    "GI",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MC",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
    "SM",
    "VA",
}
# what a person types into a name or a place: no control or direction-changing characters
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class AccountBankingMandate(models.Model):
    _inherit = "account.banking.mandate"

    @api.model_create_multi
    def create(self, vals_list):
        """A B2B mandate created without a reference takes the one its customer's form
        printed, when no mandate carries it yet."""
        Bank = self.env["res.partner.bank"].sudo()
        for vals in vals_list:
            if (vals.get("unique_mandate_reference") or "/") != "/" or vals.get("scheme") != "B2B":
                continue
            bank = Bank.browse(vals.get("partner_bank_id"))
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            partner = bank.partner_id.commercial_partner_id.sudo().with_company(company)
            reference = partner.ar_dd_b2b_reference
            if reference and not self._ar_reference_taken(reference, company):
                vals["unique_mandate_reference"] = reference
        return super().create(vals_list)

    @api.model
    def _ar_reference_taken(self, reference, company):
        """Whether a mandate of ``company`` carries ``reference`` (OCA's reference is unique
        per company)."""
        return bool(
            self.sudo().search_count(
                [("unique_mandate_reference", "=", reference), ("company_id", "=", company.id)],
                limit=1,
            )
        )

    @api.model
    def _ar_direct_debit_mode(self, company):
        """The company's payment mode that collects by SEPA direct debit (the first one)."""
        return (
            self.env["account.payment.mode"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("payment_type", "=", "inbound"),
                    ("payment_method_id.code", "=", "sepa_direct_debit"),
                ],
                limit=1,
            )
        )

    @api.model
    def _ar_offer(self, partner, company):
        """Whether the statement page of ``partner`` (commercial, sudo) in ``company`` offers
        a mandate: the company collects by direct debit, the customer has no valid mandate,
        and the level it has reached offers it."""
        if not company.sepa_creditor_identifier or not self._ar_direct_debit_mode(company):
            return False
        accounts = self.env["ar.customer.account"]._ar_get(partner, company, create=False)
        account = accounts.get(partner.id)
        if not (account and account.followup_level_id.offer_direct_debit):
            return False
        if self.sudo().search_count(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "=", "valid"),
            ],
            limit=1,
        ):
            return False
        # a customer whose debits came back twice in 12 months pays by transfer: not offered
        since = fields.Date.context_today(self.with_company(company)) - timedelta(days=365)
        returns = (
            self.env["payment.return.line"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "child_of", partner.id),
                    ("return_id.state", "=", "done"),
                    ("return_id.company_id", "=", company.id),
                    ("return_id.date", ">=", since),
                ]
            )
        )
        return returns < 2

    @api.model
    def _ar_sign_online(self, partner, company, form, origin):
        """Sign a SEPA CORE mandate for ``partner`` (commercial, sudo) in ``company`` with
        ``form`` (``holder``, ``iban``, ``place``, ``accept``); ``origin``: where and from
        which address (``{'channel', 'ip'}``). Returns ``(mandate, errors)``: nothing is
        stored when there are errors."""
        env = self.env
        errors = {}
        holder = (form.get("holder") or "").strip()
        place = (form.get("place") or "").strip()
        # the IBAN as banks print it: groups of four, spaces, dots or dashes between them
        typed = form.get("iban") or ""
        iban = re.sub(r"[\s.\-]", "", typed).upper()
        if not holder or len(holder) > 70 or UNPRINTABLE.search(holder):
            errors["holder"] = env._("Give the account holder's name (at most 70 characters).")
        if not place or len(place) > 70 or UNPRINTABLE.search(place):
            errors["place"] = env._("Give the place where you sign.")
        try:
            if not re.fullmatch(r"[A-Z0-9]{15,34}", iban):
                raise ValidationError(iban)
            validate_iban(iban)
        except ValidationError:
            errors["iban"] = env._("This is not a valid IBAN: check it against your bank card.")
        else:
            if iban[:2] not in SEPA_COUNTRIES:
                errors["iban"] = env._(
                    "A SEPA direct debit needs an account in a SEPA country: this IBAN is not."
                )
            elif (
                iban == re.sub(r"\W", "", company.partner_id.bank_ids[:1].acc_number or "").upper()
            ):
                errors["iban"] = env._("This is our own account: give yours.")
        if form.get("accept") != "1":  # what the box sends when ticked, nothing else
            errors["accept"] = env._("Tick the box to authorise the direct debit.")
        if errors:
            return None, errors
        Bank = env["res.partner.bank"].sudo()
        bank = Bank.search(
            [("partner_id", "=", partner.id), ("sanitized_acc_number", "=", iban)], limit=1
        ) or Bank.create(
            {
                "acc_number": iban,
                "partner_id": partner.id,
                "company_id": company.id,
                # the name typed is the account's holder (the debit names who is debited)
                "acc_holder_name": holder,
            }
        )
        today = fields.Date.context_today(self.with_company(company))
        mandate = (
            self.sudo()
            .with_company(company)
            .create(
                {
                    "format": "sepa",
                    "type": "recurrent",
                    "recurrent_sequence_type": "first",
                    "scheme": "CORE",
                    "signature_date": today,
                    "partner_bank_id": bank.id,
                    "company_id": company.id,
                }
            )
        )
        mandate.validate()
        partner.with_company(company).customer_payment_mode_id = self._ar_direct_debit_mode(company)
        signed = {
            "holder": holder,
            "place": place,
            "channel": channel_words(env, origin["channel"]),
            "ip": origin["ip"],
            "date": fields.Date.to_string(today),
            "time": fields.Datetime.now().strftime("%H:%M:%S"),
        }
        # the text the customer read, in the page's language, with what it gave: a PDF kept
        # as the mandate's scan and in its chatter, as a paper mandate's signed form is
        content, kind = (
            env["ir.actions.report"]
            .sudo()
            .with_company(company)
            ._render_qweb_pdf(
                "ar_followup_direct_debit.action_report_mandate_signed",
                mandate.ids,
                data={"signed": signed},
            )
        )
        staff = company_env(env, company)
        name = staff._(
            "Mandate %(reference)s signed online.%(kind)s",
            reference=mandate.unique_mandate_reference,
            kind=kind,
        )
        mandate.write({"scan": base64.b64encode(content)})
        attachment = (
            env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": content,
                    "res_model": mandate._name,
                    "res_id": mandate.id,
                }
            )
        )
        mandate._message_log(
            body=Markup("<p>%s</p>")
            % staff._(
                "Signed online (%(channel)s) by %(holder)s in %(place)s on %(date)s at "
                "%(time)s UTC, from the address %(ip)s.",
                **dict(signed, channel=channel_words(staff, origin["channel"])),
            ),
            attachment_ids=attachment.ids,
        )
        return mandate, {}
