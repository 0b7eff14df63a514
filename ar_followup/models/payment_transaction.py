# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields, models

from .account_move_line import FOLLOW_LATER


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    ar_discount_date = fields.Date(
        string="Early-payment discounts of",
        readonly=True,
        help="Set by a payment from the customer's statement whose amount deducts early-payment "
        "discounts: the day the discounts were valid on, when the customer started to pay.",
    )
    ar_discount_amount = fields.Monetary(
        string="Early-payment discounts",
        currency_field="currency_id",
        readonly=True,
        help="The early-payment discounts deducted from the amount of this payment.",
    )

    def _create_payment(self, **extra_create_values):
        """A payment from the statement whose amount deducts early-payment discounts (its
        ``ar_discount_date``, set by the server, never by the browser): the discounts are
        written off as the register-payment wizard does for a group of invoices (Odoo writes
        off the discount of a transaction for one invoice only, and only when it is still
        valid on the day it is confirmed). The discounts are those valid when the customer
        started to pay, if the provider confirms the payment by the day after their last
        day; any other transaction is Odoo's."""
        self.ensure_one()
        invoices = self.invoice_ids.filtered(lambda move: move.state == "posted")
        if invoices.filtered("ar_is_disputed"):
            # it pays the part no dispute covers, never the disputed part (see
            # _ar_match_undisputed); the customers' follow-up follows once, at the end
            token = FOLLOW_LATER.set(True)
            try:
                payment = super()._create_payment(**extra_create_values)
                self._ar_match_undisputed(payment, invoices)
            finally:
                FOLLOW_LATER.reset(token)
            self._ar_follow_payment(payment, invoices)
            return payment
        if (
            self.ar_discount_date
            and "write_off_line_vals" not in extra_create_values
            and invoices.currency_id == self.currency_id
            and not self._ar_odoo_writes_off(invoices)
        ):
            write_off = self._ar_discount_write_off(invoices)
            if write_off:
                extra_create_values["write_off_line_vals"] = write_off
        return super()._create_payment(**extra_create_values)

    def _ar_follow_payment(self, payment, invoices):
        """After a payment matched in steps: the customers' follow-up level and holds."""
        account = payment.destination_account_id
        lines = (payment.move_id.line_ids | invoices.line_ids).filtered(
            lambda line: line.account_id == account
        )
        lines._ar_follow_settled_invoices()
        lines._ar_release_settled_holds()

    def _ar_match_undisputed(self, payment, invoices):
        """A payment of invoices some of which are partly disputed: Odoo matched it with the
        oldest invoice first; it is matched again, the other invoices in full, then each
        disputed one up to its undisputed part (in the company's currency; in another
        currency Odoo's matching stands)."""
        account = payment.destination_account_id
        company_currency = payment.company_id.currency_id
        credits = payment.move_id.line_ids.filtered(lambda line: line.account_id == account)
        debits = invoices.line_ids.filtered(lambda line: line.account_id == account)
        if (credits | debits).currency_id != company_currency:
            return
        (credits.matched_debit_ids | credits.matched_credit_ids).unlink()
        disputed = invoices.filtered("ar_is_disputed")
        plain = debits.filtered(lambda line: line.move_id not in disputed)
        if plain:
            (credits + plain).reconcile()
        undisputed = disputed._ar_undisputed_residuals()
        Partial = self.env["account.partial.reconcile"].sudo()
        for line in debits.filtered(lambda line: line.move_id in disputed).sorted(
            lambda line: (line.date_maturity or line.date, line.id)
        ):
            cap = undisputed[line.move_id]
            for credit in credits.filtered(lambda c: not c.reconciled):
                amount = company_currency.round(
                    min(cap, -credit.amount_residual, line.amount_residual)
                )
                if company_currency.compare_amounts(amount, 0.0) <= 0:
                    continue
                Partial.create(
                    {
                        "debit_move_id": line.id,
                        "credit_move_id": credit.id,
                        "amount": amount,
                        "debit_amount_currency": amount,
                        "credit_amount_currency": amount,
                    }
                )
                cap -= amount

    def _ar_odoo_writes_off(self, invoices):
        """Whether Odoo's own ``_create_payment`` writes off the discount (its condition)."""
        if len(invoices) != 1:
            return False
        values = invoices._get_invoice_next_payment_values()
        return values.get("installment_state") == "epd" and self.amount == values["amount_due"]

    def _ar_discount_write_off(self, invoices):
        """The write-off lines of the early-payment discounts this transaction deducted, when
        it pays exactly the invoices' amount with them; ``[]`` else."""
        Statement = self.env["ar.followup.statement"].sudo()
        confirmed = (self.last_state_change or fields.Datetime.now()).date()
        discounts = {
            move: discount
            for move, discount in Statement._ar_discounts(invoices, self.ar_discount_date).items()
            if confirmed <= discount[1] + timedelta(days=1)
        }
        amount, discount = Statement._ar_amount_to_pay(invoices, None, discounts)
        currency = self.currency_id
        if (
            not discounts
            or currency.compare_amounts(self.amount, amount)
            or currency.compare_amounts(self.ar_discount_amount, discount)
        ):
            return []
        terms = [
            move.line_ids.filtered(lambda line: line.display_type == "payment_term")
            for move in discounts
        ]
        lines = [
            {
                "aml": term,
                "amount_currency": -term.amount_residual_currency,
                "balance": -term.balance,
            }
            for term in terms
        ]
        open_balance = sum(term.balance - term.discount_balance for term in terms)
        values = self.env["account.move"]._get_invoice_counterpart_amls_for_early_payment_discount(
            lines, open_balance
        )
        write_off = [line for category in values.values() for line in category]
        for line in write_off:
            line["partner_id"] = invoices.commercial_partner_id[:1].id
        return write_off
