# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit review: on a customer's *Next credit review* date the credit-control manager
gets an activity to review its limit, once per review date."""

from odoo import api, fields, models
from odoo.tools import format_date, formatLang


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_credit_review(self):
        """Daily: a 'Review credit limit' activity for the credit-control manager of each
        company, once per review date, for the partners whose review date has come."""
        activity_type = self.env.ref("ar_followup.mail_activity_type_credit_review")
        model_id = self.env["ir.model"]._get_id("res.partner")
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            Partner = self.with_company(company).sudo()
            today = fields.Date.context_today(Partner)
            due = Partner.search([("ar_credit_review_date", "<=", today)])
            due = due.filtered(lambda p: p.ar_credit_review_notified != p.ar_credit_review_date)
            if not due:
                continue
            manager = company._ar_credit_manager()
            self.env["mail.activity"].sudo().create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": partner.id,
                        "activity_type_id": activity_type.id,
                        "summary": activity_type.with_context(lang=manager.lang).summary,
                        "note": self.env._(
                            "Credit limit %(limit)s, exposure %(exposure)s, review date %(date)s.",
                            limit=formatLang(
                                self.env, partner.credit_limit, currency_obj=company.currency_id
                            ),
                            exposure=formatLang(
                                self.env, partner.ar_exposure, currency_obj=company.currency_id
                            ),
                            date=format_date(self.env, partner.ar_credit_review_date),
                        ),
                        "user_id": manager.id,
                        "date_deadline": today,
                        "automated": True,
                    }
                    for partner in due
                ]
            )
            for review_date in set(due.mapped("ar_credit_review_date")):
                due.filtered(lambda p, d=review_date: p.ar_credit_review_date == d).write(
                    {"ar_credit_review_notified": review_date}
                )
