# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit hold of a customer's account: set and lifted through one logged path
(:meth:`ArCustomerAccount._ar_change_measure`), by a user, by the follow-up run (a hold
level reached, a reminder not delivered, nothing overdue any more) and by a collection case
(held while it is open, given back when it closes)."""

from odoo import api, models
from odoo.tools import float_compare

from .ar_followup_statement import ReceivableFigures


def reason_clause(reason):
    """A reason typed by a user, to be set in a sentence: without the full stop it may end
    with (a reason "until settled." gave "settled.. Only")."""
    return (reason or "").strip().rstrip(".").rstrip()


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"  # pylint: disable=consider-merging-classes-inherited

    def _ar_set_credit_hold(self, reason, date, origin="manual", level=None, run=None, moves=None):
        """Put these accounts on credit hold on ``date``, with a history line and a chatter
        note each. Returns the history values (recorded by the caller when given a run, else
        here). ``reason``: the text typed by a user, or a function of an environment for a
        reason of the system (its history line is in every language; the customer keeps it
        in the company's)."""
        accounts = self.filtered(lambda account: not account.credit_hold)
        if not accounts:
            return []
        note = reason
        if callable(reason):
            reason = self._ar_one_language_text(reason)
        return accounts._ar_change_measure(
            {
                "credit_hold": True,
                "credit_hold_reason": reason,
                "credit_hold_date": date,
                "credit_hold_origin": origin,
            },
            "hold",
            lambda env: env._("Put on credit hold: %(reason)s.", reason=reason_clause(reason)),
            date,
            note,
            level=level,
            run=run,
            moves=moves,
        )

    def _ar_release_credit_hold(self, reason, date):
        """Lift the credit hold of these accounts (history dated ``date``); ``reason`` as for
        :meth:`_ar_set_credit_hold`. Returns the accounts that were on hold."""
        accounts = self.filtered("credit_hold")
        if not accounts:
            return accounts
        note = reason
        if callable(reason):
            reason = self._ar_one_language_text(reason)
        accounts._ar_change_measure(
            {
                "credit_hold": False,
                "credit_hold_reason": False,
                "credit_hold_date": False,
                "credit_hold_origin": False,
            },
            "release",
            lambda env: env._("Credit hold lifted: %(reason)s.", reason=reason_clause(reason)),
            date,
            note,
        )
        return accounts

    @api.model
    def _ar_release_settled_holds(self, date, partner_ids=None):
        """Lift the follow-up holds (not the ones set by hand) of the current company's
        customers that have nothing overdue any more at ``date``, net of their open
        credits."""
        if partner_ids is not None and not partner_ids:
            return self.browse()
        company = self.env.company
        domain = [
            ("company_id", "=", company.id),
            ("credit_hold", "=", True),
            ("credit_hold_origin", "=", "followup"),
        ]
        if partner_ids:
            domain.append(("partner_id", "in", list(partner_ids)))
        accounts = self.sudo().search_fetch(domain, ["partner_id"])
        if not accounts:
            return accounts
        figures = self.env["ar.followup.statement"]._ar_receivable_figures(
            date, company, accounts.partner_id.ids
        )
        rounding = company.currency_id.rounding

        def settled(account):
            row = figures.get(account.partner_id.id, ReceivableFigures())
            net = row.amount_overdue + row.credits
            return float_compare(net, 0.0, precision_rounding=rounding) <= 0

        return accounts.filtered(settled)._ar_release_credit_hold(
            lambda env: env._("nothing is overdue any more"), date=date
        )

    # -- while a collection case is open --------------------------------------------------

    def _ar_hold_for_case(self, case, date):
        """The customer stays on credit hold while ``case`` is open: a hold it had becomes
        the case's (it no longer lifts itself), restored when the case closes."""
        self.ensure_one()
        account = self.sudo()
        if account.credit_hold:
            if account.credit_hold_origin != "collection":
                case.sudo().hold_origin_before = account.credit_hold_origin
                account.credit_hold_origin = "collection"
            return
        account._ar_set_credit_hold(
            lambda env: env._(
                "claim handed over to %(agency)s (%(case)s)",
                agency=case.agency_id.display_name,
                case=case.name,
            ),
            date,
            origin="collection",
            moves={account.partner_id.id: case.move_ids.ids},
        )

    def _ar_release_for_case(self, case, date):
        """Lift the hold ``case`` set (or give back the one the customer had), unless
        another case of the customer is still open."""
        self.ensure_one()
        account = self.sudo()
        if account.credit_hold_origin != "collection":
            return
        others = case.search_count(
            [
                ("partner_id", "=", account.partner_id.id),
                ("company_id", "=", account.company_id.id),
                ("is_open", "=", True),
                ("id", "!=", case.id),
            ]
        )
        if others:
            return
        if case.hold_origin_before:
            account.credit_hold_origin = case.hold_origin_before
        else:
            account._ar_release_credit_hold(
                lambda env: env._("case %(case)s closed", case=case.name), date
            )
