# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A SEPA CORE mandate signed online by the customer on its statement page (the link of its
reminders, or the portal): the account holder's name, the IBAN (checked), the place and the
day; it becomes OCA's mandate, valid at once, with who signed, where, when and from which IP
address in its chatter, and the customer's next invoices are collected by direct debit. A
business (B2B) mandate is not signed online: the debtor's bank must confirm it."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base_iban.models.res_partner_bank import validate_iban


class AccountBankingMandate(models.Model):
    _inherit = "account.banking.mandate"

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
        return not self.sudo().search_count(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "=", "valid"),
            ],
            limit=1,
        )

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
        iban = (form.get("iban") or "").replace(" ", "").upper()
        if not holder or len(holder) > 70:
            errors["holder"] = env._("Give the account holder's name (at most 70 characters).")
        if not place or len(place) > 70:
            errors["place"] = env._("Give the place where you sign.")
        try:
            validate_iban(iban)
        except ValidationError:
            errors["iban"] = env._("This is not a valid IBAN: check it against your bank card.")
        if not form.get("accept"):
            errors["accept"] = env._("Tick the box to authorise the direct debit.")
        if errors:
            return None, errors
        Bank = env["res.partner.bank"].sudo()
        bank = Bank.search(
            [("partner_id", "=", partner.id), ("sanitized_acc_number", "=", iban)], limit=1
        ) or Bank.create({"acc_number": iban, "partner_id": partner.id, "company_id": company.id})
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
        mandate._message_log(
            body=Markup("<p>%s</p>")
            % env._(
                "Signed online (%(channel)s) by %(holder)s in %(place)s on %(date)s at "
                "%(time)s UTC, from the address %(ip)s.",
                channel=origin["channel"],
                holder=holder,
                place=place,
                date=fields.Date.to_string(today),
                time=fields.Datetime.now().strftime("%H:%M:%S"),
                ip=origin["ip"],
            )
        )
        return mandate, {}
