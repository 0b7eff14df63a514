# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A payment return confirmed (OCA's ``payment.return``, by hand or imported from the bank's
file): each customer whose debit came back gets its own e-mail at once (the amount, the
date, the reason in plain words, how to pay now), and the invoices are chased again by the
ladder. A reason that puts the mandate in doubt (refused, no mandate, account closed...)
gives the credit-control manager an activity on the mandate; a second return within 12
months sends the customer back to paying by transfer, under the company's policy for it."""

from datetime import timedelta

from markupsafe import Markup

from odoo import models

from ..tools.return_reasons import MANDATE_REASONS


class PaymentReturn(models.Model):
    _inherit = "payment.return"

    def action_confirm(self):
        # the invoices each line pays, read before OCA moves the payment's matching to the
        # return
        returned = {
            line: line.move_line_ids.matched_debit_ids.debit_move_id.move_id.filtered(
                lambda m: m.move_type == "out_invoice"
            )
            for payment_return in self
            for line in payment_return.line_ids
        }
        res = super().action_confirm()
        for payment_return in self:
            lines = payment_return.line_ids
            invoices = self.env["account.move"].union(*(returned[line] for line in lines))
            # what the ladder reads is written now, before the e-mails render
            self.env.flush_all()
            invoices._ar_dd_notify_return()
            payment_return._ar_dd_flag_mandates({line: returned[line] for line in lines})
            payment_return._ar_dd_second_return(lines.partner_id.commercial_partner_id)
        return res

    def _ar_dd_flag_mandates(self, returned):
        """An activity for the credit-control manager on each mandate whose debit came back
        for a reason that puts it in doubt (``returned``: ``{return line: invoices}``)."""
        activity_type = self.env.ref("ar_followup_direct_debit.mail_activity_type_mandate_review")
        manager = self.company_id._ar_credit_manager()
        # for the credit manager, in its language: the summary and the note alike
        staff = self.with_context(lang=manager.lang).env
        values = []
        for line, invoices in returned.items():
            if line.reason_id.code not in MANDATE_REASONS:
                continue
            for mandate in invoices.mandate_id:
                values.append(
                    {
                        "res_model_id": self.env["ir.model"]._get_id(mandate._name),
                        "res_id": mandate.id,
                        "activity_type_id": activity_type.id,
                        "summary": activity_type.with_env(staff).summary,
                        "note": staff._(
                            "The bank returned a direct debit under this mandate: %(reason)s "
                            "(%(code)s).",
                            reason=line.reason_id.name,
                            code=line.reason_id.code,
                        ),
                        "user_id": manager.id,
                        "automated": True,
                    }
                )
        if values:
            self.env["mail.activity"].sudo().create(values)

    def _ar_dd_second_return(self, customers):
        """Customers with a second return within 12 months: back to paying by transfer and
        to the company's policy for it (when it has one)."""
        company = self.company_id
        policy = company.ar_dd_returns_policy_id
        since = self.date - timedelta(days=365)
        groups = (
            self.env["payment.return.line"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "child_of", customers.ids),
                    ("return_id.state", "=", "done"),
                    ("return_id.company_id", "=", company.id),
                    ("return_id.date", ">=", since),
                ],
                ["partner_id"],
                ["return_id:count_distinct"],
            )
        )
        counts = {}
        for partner, count in groups:
            commercial = partner.commercial_partner_id
            counts[commercial] = counts.get(commercial, 0) + count
        twice = [partner for partner, count in counts.items() if count >= 2]
        for partner in twice:
            partner = partner.with_company(company).sudo()
            account = self.env["ar.customer.account"]._ar_get(partner, company)[partner.id]
            debits = partner.customer_payment_mode_id.payment_method_id.code == "sepa_direct_debit"
            if not debits and account.followup_policy_id == policy:
                continue  # done at an earlier return
            if policy:
                account.followup_policy_id = policy
            if debits:
                partner.customer_payment_mode_id = False
            text = (
                self.env._(
                    "Direct debits returned twice in 12 months: back to payment by transfer, "
                    "under the follow-up policy %(policy)s.",
                    policy=policy.name,
                )
                if policy
                else self.env._(
                    "Direct debits returned twice in 12 months: back to payment by transfer."
                )
            )
            partner._message_log(body=Markup("<p>%s</p>") % text)
