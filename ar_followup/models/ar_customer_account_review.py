# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit review: on an account's *Next credit review* date the credit-control manager
gets an activity on the customer to review its limit, once per review date."""

from odoo import api, fields, models
from odoo.tools import format_date, formatLang


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_credit_review(self):
        """Daily: a 'Review credit limit' activity for the credit-control manager of each
        company, once per review date, for the customers whose review date has come."""
        activity_type = self.env.ref("ar_followup.mail_activity_type_credit_review")
        model_id = self.env["ir.model"]._get_id("res.partner")
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            Account = self.with_company(company).sudo()
            today = fields.Date.context_today(Account)
            due = Account.search(
                [("company_id", "=", company.id), ("credit_review_date", "<=", today)]
            ).filtered(lambda a: a.credit_review_notified != a.credit_review_date)
            if not due:
                continue
            manager = company._ar_credit_manager()
            exposures = Account._ar_exposures(due.partner_id)
            self.env["mail.activity"].sudo().create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": account.partner_id.id,
                        "activity_type_id": activity_type.id,
                        "summary": activity_type.with_context(lang=manager.lang).summary,
                        "note": self.env._(
                            "Credit limit %(limit)s, exposure %(exposure)s, review date %(date)s.",
                            limit=formatLang(
                                self.env,
                                account.partner_id.with_company(company).credit_limit,
                                currency_obj=company.currency_id,
                            ),
                            exposure=formatLang(
                                self.env,
                                exposures[account.partner_id.id][0],
                                currency_obj=company.currency_id,
                            ),
                            date=format_date(self.env, account.credit_review_date),
                        ),
                        "user_id": manager.id,
                        "date_deadline": today,
                        "automated": True,
                    }
                    for account in due
                ]
            )
            for review_date in set(due.mapped("credit_review_date")):
                due.filtered(lambda a, d=review_date: a.credit_review_date == d).write(
                    {"credit_review_notified": review_date}
                )
