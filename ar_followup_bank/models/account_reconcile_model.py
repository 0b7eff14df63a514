# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A matching rule on the structured reference the reminder and its SEPA QR code put on the
transfer (RF creditor reference, Belgian structured communication, Dutch payment reference):
a statement line that names the structured payment reference of an open customer invoice of
its company, in its currency, is matched to that invoice on import, without a person and
whoever the payer is (OCA's ``account_reconcile_oca`` reconciles what the rule proposes when
it is set to auto-validate). A QR code for invoices without one names them in its text, and
nothing else: a transfer whose text is only such numbers, of one customer, paying exactly
what they owe, is matched too. Text a person typed is not enough: those lines wait for the
bookkeeper, and the follow-up run holds their customers' reminders back meanwhile."""

import re

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, html2plaintext

from odoo.addons.account.tools import (
    is_valid_structured_reference,
    sanitize_structured_reference,
)

# digits that belong together in a reference written with spaces or slashes
_DIGIT_GAP = re.compile(r"(?<=[0-9])[\s/]+(?=[0-9])")
_RF_GAP = re.compile(r"\b(RF[0-9]{2})\s+")
_TOKEN = re.compile(r"[0-9A-Z]+")


def reference_tokens(*texts):
    """The upper-case alphanumeric tokens of ``texts`` under which a structured reference
    may appear: each text as a whole, sanitised as Odoo does, and each of its words once the
    digits written apart (``+++020/3430/57642+++``, ``RF18 1234 5678 9``) are joined."""
    tokens = set()
    for text in texts:
        if not text:
            continue
        tokens.add(sanitize_structured_reference(text).upper())
        joined = _DIGIT_GAP.sub("", text.upper())
        joined = _RF_GAP.sub(r"\1", joined)
        tokens.update(_TOKEN.findall(re.sub(r"[+*]", "", joined)))
    tokens.discard("")
    return tokens


class AccountReconcileModel(models.Model):
    _inherit = "account.reconcile.model"

    ar_match_structured_reference = fields.Boolean(
        string="Match on the structured reference",
        help="Match a bank statement line with the open customer invoice whose structured "
        "payment reference (RF creditor reference, Belgian structured communication, Dutch "
        "payment reference) it names, whoever paid: the reference the reminder and its QR "
        "code ask for. Invoice numbers and other text are not used by this rule.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("ar_match_structured_reference") for vals in vals_list):
            self._ar_check_reference_rule_rights()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("ar_match_structured_reference") or self.filtered(
            "ar_match_structured_reference"
        ):
            self._ar_check_reference_rule_rights()
        return super().write(vals)

    @api.model
    def _ar_check_reference_rule_rights(self):
        """A rule that matches any payer's transfer with a customer's invoice, validated on
        import, is the accounting administrator's to make or change: a billing user's would
        send customers' payments where it says (Odoo lets billing users create rules)."""
        if self.env.su or self.env.user.has_group("account.group_account_manager"):
            return
        raise AccessError(
            self.env._(
                "Only an accounting administrator makes or changes a rule that matches on the "
                "structured reference."
            )
        )

    @api.model
    def _ar_rule_values(self):
        return {
            "name": self.env._("Payments by their structured reference"),
            "sequence": 0,
            "rule_type": "invoice_matching",
            "auto_reconcile": True,
            "match_nature": "amount_received",
            "match_same_currency": True,
            "match_partner": False,
            # the reference says which invoice: a part paid is matched for that part, the
            # next reminder asks the rest
            "allow_payment_tolerance": False,
            "ar_match_structured_reference": True,
        }

    @api.model
    def _ar_reference_rules_for(self, companies):
        """Each of ``companies`` gets the structured reference rule, once."""
        have = self.with_context(active_test=False).search(
            [("company_id", "in", companies.ids), ("ar_match_structured_reference", "=", True)]
        )
        missing = companies - have.company_id
        return self.create(
            [{**self._ar_rule_values(), "company_id": company.id} for company in missing]
        )

    def _get_invoice_matching_rules_map(self):
        if not self.ar_match_structured_reference:
            return super()._get_invoice_matching_rules_map()
        return {5: [self._ar_structured_reference_candidates]}

    def _ar_structured_reference_candidates(self, st_line, partner):
        """The open receivable lines of the customer invoices whose structured payment
        reference the statement line names (one query)."""
        tokens = reference_tokens(
            st_line.payment_ref, st_line.ref, html2plaintext(st_line.narration or "")
        )
        if not tokens:
            return None
        currency = st_line.foreign_currency_id or st_line.currency_id
        rows = self._ar_open_invoice_items(
            st_line,
            currency,
            SQL("m.payment_reference"),
            SQL(
                "UPPER(REGEXP_REPLACE(m.payment_reference, '[\\s+*/]', '', 'g')) IN %s",
                tuple(tokens),
            ),
        )
        ids = [aml_id for aml_id, reference in rows if is_valid_structured_reference(reference)]
        if not ids:
            return self._ar_qr_invoices_candidates(st_line, currency)
        return {
            "allow_auto_reconcile": True,
            "amls": self.env["account.move.line"].browse(ids),
        }

    def _ar_qr_invoices_candidates(self, st_line, currency):
        """The invoices a reminder's QR code names when they share no structured reference:
        its text is their numbers and nothing else (``INV/2026/00029 INV/2026/00046``), as
        the bank passes it on. Matched when they are all open, of one customer, and the
        transfer pays exactly what they still owe (one query); a text a person typed
        (*Betaling factuur INV/2026/00029*) waits for the bookkeeper."""
        names = set((st_line.payment_ref or "").split())
        if not names or len(names) > 50:
            return None
        rows = self._ar_open_invoice_items(
            st_line,
            currency,
            SQL("m.name, m.commercial_partner_id, aml.amount_residual_currency"),
            SQL("m.name = ANY(%s)", list(names)),
        )
        if {name for _id, name, *_rest in rows} != names:
            return None  # a word that is no open invoice of the company: typed by a person
        if len({partner_id for _id, _name, partner_id, _residual in rows}) != 1:
            return None
        paid = st_line.amount_currency if st_line.foreign_currency_id else st_line.amount
        if currency.compare_amounts(sum(row[3] for row in rows), paid):
            return None  # not what they owe: the bookkeeper matches it
        return {
            "allow_auto_reconcile": True,
            "amls": self.env["account.move.line"].browse([row[0] for row in rows]),
        }

    def _ar_open_invoice_items(self, st_line, currency, columns, condition):
        """``[(aml id, *columns)]``: the open receivable items of the posted customer
        invoices of the statement line's company in ``currency`` that meet ``condition``,
        oldest due first (one query)."""
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        return self.env.execute_query(
            SQL(
                """
                SELECT aml.id, %(columns)s
                  FROM account_move_line aml
                  JOIN account_move m ON m.id = aml.move_id
                  JOIN account_account a ON a.id = aml.account_id
                 WHERE m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_receipt')
                   AND a.account_type = 'asset_receivable'
                   AND NOT aml.reconciled
                   AND aml.company_id = %(company)s
                   AND aml.currency_id = %(currency)s
                   AND %(condition)s
                 ORDER BY aml.date_maturity, aml.id
                """,
                columns=columns,
                company=st_line.company_id.id,
                currency=currency.id,
                condition=condition,
            )
        )
