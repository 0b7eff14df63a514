# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The insurer's deadlines as duties, done by the follow-up run of a company for its date
(``ar_followup_run.py``), set-based (a constant number of queries for any number of
invoices):

* the maximum credit period: a customer with an insured invoice unpaid after it is put on
  credit hold (origin *insurer*; a hold it has already stays as it is), lifted when none is
  past it any more (handed to the ladder when a level that holds was reached meanwhile);
* ahead of a notification or claim deadline, the credit-control manager gets an activity on
  the invoice (once per deadline);
* a deadline passed without the invoice reported, or claimed, flags it uninsured (with a
  note in its chatter).
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, models
from odoo.tools import format_date, formatLang

OPEN_INSURED = [
    ("move_type", "=", "out_invoice"),
    ("state", "=", "posted"),
    ("credit_policy_company_id", "!=", False),
    ("amount_residual", ">", 0),
]


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _ar_insurer_duties(self, date, company, partner_ids=None):
        """The insurer's duties of ``company`` on ``date`` (``partner_ids``: only theirs)."""
        domain = [*OPEN_INSURED, ("company_id", "=", company.id)]
        if partner_ids is not None:
            domain.append(("commercial_partner_id", "in", list(partner_ids)))
        Move = self.sudo().with_company(company)
        Move._ar_insurer_holds(date, company, domain, partner_ids)
        Move._ar_insurer_missed(date, domain)
        Move._ar_insurer_warn(date, company, domain)

    @api.model
    def _ar_insurer_holds(self, date, company, domain, partner_ids):
        """Hold the customers past the maximum credit period; lift the insurer's holds of
        those no longer past it."""
        past = self.search_fetch(
            [*domain, ("ar_insurer_stop_date", "<", date)], ["commercial_partner_id", "name"]
        )
        Account = self.env["ar.customer.account"].sudo().with_company(company)
        customers = past.commercial_partner_id
        found = Account._ar_get(customers, company, fnames=("credit_hold", "credit_hold_origin"))
        accounts = Account.browse([account.id for account in found.values()])
        moves = {pid: [] for pid in customers.ids}
        for move in past:
            moves[move.commercial_partner_id.id].append(move.id)
        accounts.filtered(lambda a: not a.credit_hold)._ar_set_credit_hold(
            lambda env: env._("the credit insurer's maximum credit period is over"),
            date,
            origin="insurer",
            moves=moves,
        )
        held = [
            ("company_id", "=", company.id),
            ("credit_hold", "=", True),
            ("credit_hold_origin", "=", "insurer"),
            ("partner_id", "not in", customers.ids),
        ]
        if partner_ids is not None:
            held.append(("partner_id", "in", list(partner_ids)))
        released = Account.search(held)
        # a level of the ladder that holds, reached meanwhile, keeps the hold (its own now)
        ladder = released.filtered(lambda a: a.followup_level_id.credit_hold)
        ladder.write({"credit_hold_origin": "followup"})
        (released - ladder)._ar_release_credit_hold(
            lambda env: env._("no insured invoice is past the maximum credit period any more"),
            date,
        )

    @api.model
    def _ar_insurer_missed(self, date, domain):
        """Flag uninsured the invoices whose notification or claim deadline passed."""
        for reason, missed_domain, text in (
            (
                "notification",
                [
                    ("ar_insurer_notify_deadline", "<", date),
                    ("ar_insurer_notified_date", "=", False),
                ],
                lambda env, move: env._(
                    "Not reported to the credit insurer %(insurer)s by %(date)s: no longer "
                    "insured.",
                    insurer=move.credit_policy_company_id.name,
                    date=format_date(env, move.ar_insurer_notify_deadline),
                ),
            ),
            (
                "claim",
                [
                    ("ar_insurer_claim_deadline", "<", date),
                    ("ar_insurer_notified_date", "!=", False),
                    ("ar_insurer_claim_date", "=", False),
                ],
                lambda env, move: env._(
                    "Not claimed from the credit insurer %(insurer)s by %(date)s: no longer "
                    "insured.",
                    insurer=move.credit_policy_company_id.name,
                    date=format_date(env, move.ar_insurer_claim_deadline),
                ),
            ),
        ):
            moves = self.search([*domain, *missed_domain, ("ar_insurer_uninsured", "=", False)])
            if not moves:
                continue
            moves._ar_insurer_record({"ar_insurer_uninsured": reason})
            env = self.with_context(lang=moves.company_id[:1].partner_id.lang).env
            moves._message_log_batch(
                bodies={move.id: Markup("<p>%s</p>") % text(env, move) for move in moves}
            )

    @api.model
    def _ar_insurer_warn(self, date, company, domain):
        """An activity for the credit-control manager on each invoice whose notification or
        claim deadline comes within its insurer's warning days (once per deadline)."""
        activity_type = self.env.ref(
            "ar_followup_credit_insurance.mail_activity_type_insurer_deadline"
        )
        manager = company._ar_credit_manager()
        env = self.with_context(lang=manager.lang).env
        ahead_most = max(
            self.env["credit.policy.company"]
            .sudo()
            .search([("ar_warning_days", ">", 0)])
            .mapped("ar_warning_days")
            or [0]
        )
        horizon = date + timedelta(days=ahead_most)
        candidates = self.search(
            [
                *domain,
                ("ar_insurer_uninsured", "=", False),
                "|",
                "&",
                ("ar_insurer_notified_date", "=", False),
                ("ar_insurer_notify_deadline", "<=", horizon),
                "&",
                ("ar_insurer_claim_date", "=", False),
                ("ar_insurer_claim_deadline", "<=", horizon),
            ]
        )
        values, warned = [], {"notification": self.browse(), "claim": self.browse()}
        for move in candidates:
            if not move.ar_insurer_notified_date:
                kind, deadline = "notification", move.ar_insurer_notify_deadline
            else:
                kind, deadline = "claim", move.ar_insurer_claim_deadline
            ahead = move.credit_policy_company_id.ar_warning_days
            if not deadline or move.ar_insurer_warned == kind or deadline - timedelta(ahead) > date:
                continue
            warned[kind] |= move
            summary = (
                env._("Report %(invoice)s to %(insurer)s")
                if kind == "notification"
                else env._("Claim %(invoice)s from %(insurer)s")
            )
            values.append(
                {
                    "res_model_id": self.env["ir.model"]._get_id("account.move"),
                    "res_id": move.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary
                    % {
                        "invoice": move.name,
                        "insurer": move.credit_policy_company_id.name,
                    },
                    "note": env._(
                        "%(amount)s unpaid of %(partner)s, due on %(due)s: the deadline is "
                        "%(deadline)s.",
                        amount=formatLang(env, move.amount_residual, currency_obj=move.currency_id),
                        partner=move.commercial_partner_id.name,
                        due=format_date(env, move.invoice_date_due),
                        deadline=format_date(env, deadline),
                    ),
                    "user_id": manager.id,
                    "date_deadline": deadline,
                    "automated": True,
                }
            )
        if values:
            self.env["mail.activity"].sudo().create(values)
        for kind, moves in warned.items():
            moves._ar_insurer_record({"ar_insurer_warned": kind})
