# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The run listens before it chases (issue #29): after the plan, before anything is charged
or sent.

* **Payments on their way**: bank statement lines not matched yet that belong to a customer
  (its partner, one of its bank accounts, or one of its open invoices' numbers or payment
  references in the line's text), in the invoice's currency, not older than the invoice.
  When they cover what the customer is asked, nothing goes out; when they cover part of it
  and the rest no longer reaches the level's minimum, nothing either; a history line says
  why (*payment of 1,210.00 € received on 03/12/2026, not matched yet*) and the bookkeeper
  gets one activity to match each line. One query for the whole run.
* **A stale bank feed**: when the newest statement line of the company's active bank
  journals is older than its setting (3 working days), the credit-control manager gets one
  activity (until it is current again), the run's log says so and, company option, nothing
  beyond the first overdue level goes out. A company that never imported a statement is told
  once that payments by transfer are not seen."""

from datetime import timedelta

from markupsafe import Markup

from odoo import models
from odoo.tools import SQL, format_date, formatLang

FEED_ACTIVITY = "ar_followup.mail_activity_type_bank_feed"
MATCH_ACTIVITY = "ar_followup.mail_activity_type_match_payment"


def subtract_working_days(day, count):
    """``day`` less ``count`` working days (Monday to Friday)."""
    while count > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"  # pylint: disable=consider-merging-classes-inherited

    def _ar_plan_listen(self, plan):
        """The listening step of the pipeline (a bridge extends it by name): a stale bank
        feed holds the higher levels back, payments on their way hold their customers
        back."""
        history = self._ar_listen_bank_feed(plan)
        history += self._ar_listen_payments(plan)
        self.env["ar.followup.history"]._ar_record(history)

    # -- payments on their way -------------------------------------------------------------

    def _ar_waiting_payments(self, partner_ids):
        """The payments on their way of these customers in the run's company
        (:meth:`ar.followup.statement._ar_waiting_payments`, one query)."""
        return self.env["ar.followup.statement"]._ar_waiting_payments(self.company_id, partner_ids)

    def _ar_listen_payments(self, plan):
        """Customers whose payments on their way cover what they are asked (or leave less
        than the level's minimum) are held back today, with a history line; each waiting
        line gets one activity to match it."""
        acting = [pid for pid, plans in plan.items() if any(p.new_level for p in plans)]
        waiting = self._ar_waiting_payments(acting)
        if not waiting:
            return []
        company = self.company_id
        currency = company.currency_id
        credits = self._ar_open_credits(list(waiting))
        history = []
        for pid, lines in waiting.items():
            plans = plan[pid]
            received = sum(
                self.env["res.currency"]
                .browse(currency_id)
                ._convert(amount, currency, company, day)
                for _line, day, currency_id, amount in lines
            )
            asked = sum(p.residual for p in plans if p.due < self.date) + credits.get(pid, 0.0)
            if currency.compare_amounts(asked, 0.0) <= 0:
                asked = sum(p.residual for p in plans) + credits.get(pid, 0.0)
            levels = [p.new_level for p in plans if p.new_level]
            top = max(levels, key=lambda level: level.delay)
            rest = asked - received
            covered = currency.compare_amounts(rest, 0.0) <= 0
            below = currency.compare_amounts(rest, top.min_overdue_amount) < 0
            self._ar_match_activities(pid, lines, asked, covered)
            if not (covered or below):
                continue  # a partial payment: the reminder goes, the activity names it
            for p in plans:
                if p.new_level:
                    p.new_level = None
                    p.next_date = self.date + timedelta(days=1)
            if covered:

                def note(env, lines=lines):
                    return env._(
                        "%(payments)s: held back until it is matched.",
                        payments=self.with_env(env)._ar_payments_text(lines),
                    )

            else:

                def note(env, lines=lines, rest=rest, top=top):
                    return env._(
                        "%(payments)s: the rest (%(rest)s) is below the minimum of %(level)s.",
                        payments=self.with_env(env)._ar_payments_text(lines),
                        rest=formatLang(env, rest, currency_obj=currency),
                        level=top.with_env(env).name,
                    )

            history.append(self._ar_history(pid, "skip", top, [], note=note))
        return history

    def _ar_payments_text(self, lines):
        """*payment of 1,210.00 € received on 03/12/2026, not matched yet* (one a line)."""
        Currency = self.env["res.currency"]
        return "; ".join(
            self.env._(
                "payment of %(amount)s received on %(date)s, not matched yet",
                amount=formatLang(self.env, amount, currency_obj=Currency.browse(currency_id)),
                date=format_date(self.env, day),
            )
            for _line, day, currency_id, amount in lines
        )

    def _ar_match_activities(self, partner_id, lines, asked, covered):
        """One activity a waiting line, for the bookkeeper, on the line's entry: match the
        payment; a partial one says what is left."""
        activity_type = self.env.ref(MATCH_ACTIVITY)
        moves = self.env["account.move"].browse([line.move_id.id for line, *_rest in lines])
        existing = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "account.move"),
                    ("res_id", "in", moves.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        partner = self.env["res.partner"].browse(partner_id)
        user = self.company_id._ar_credit_manager()
        # the note in the language of whom it is for, as its title
        env = self.with_context(lang=user.lang).env
        for line, day, currency_id, amount in lines:
            if line.move_id.id in existing:
                continue
            currency = self.env["res.currency"].browse(currency_id)
            note = env._(
                "%(amount)s received on %(date)s from %(partner)s (%(label)s) is not matched "
                "with its invoices: the follow-up waits for it.",
                amount=formatLang(env, amount, currency_obj=currency),
                date=format_date(env, day),
                partner=partner.display_name,
                label=line.payment_ref or line.account_number or "",
            )
            if not covered:
                note += " " + env._(
                    "It pays part of the %(asked)s asked.",
                    asked=formatLang(env, asked, currency_obj=self.company_id.currency_id),
                )
            line.move_id.sudo().activity_schedule(
                MATCH_ACTIVITY,
                summary=activity_type.with_context(lang=user.lang).summary,
                # the label is the payer's text: escaped, never markup
                note=Markup("<p>%s</p>") % note,
                user_id=user.id,
                date_deadline=self.date,
            )

    # -- the bank feed ---------------------------------------------------------------------

    def _ar_bank_feed(self):
        """``(newest date, bank journals)`` of the company's active bank journals' statement
        lines (``None``: never a line)."""
        journals = (
            self.env["account.journal"]
            .sudo()
            .search([("company_id", "=", self.company_id.id), ("type", "=", "bank")])
        )
        if not journals:
            return None, journals
        self.env.cr.execute(
            SQL(
                """
                SELECT MAX(m.date) FROM account_bank_statement_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE l.journal_id = ANY(%s) AND m.state = 'posted'
                """,
                journals.ids,
            )
        )
        return self.env.cr.fetchone()[0], journals

    def _ar_listen_bank_feed(self, plan):
        """A stale bank feed: tell the credit-control manager (one activity until it is
        current), and, company option, hold back what goes beyond the first overdue level."""
        newest = self._ar_feed_check()
        if newest is None:
            return []
        return self._ar_hold_back_beyond_first_overdue(plan, newest)

    def _ar_feed_check(self):
        """Check the bank feed once for the run: log and tell the credit-control manager
        when it is stale or missing. Returns the newest line's date when what goes beyond
        the first overdue level is to be held back (company option), else ``None``."""
        company = self.company_id
        newest, journals = self._ar_bank_feed()
        activity_type = self.env.ref(FEED_ACTIVITY)
        open_ = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "account.journal"),
                    ("res_id", "in", journals.ids or [0]),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        if newest is None:
            if not company.sudo().ar_bank_feed_told:
                company.sudo().ar_bank_feed_told = True
                message = self.env._(
                    "No bank statement was ever imported: payments by transfer are not seen "
                    "by the follow-up, which may chase customers who paid."
                )
                self._ar_log(message)
                self._ar_feed_activity(journals, message)
            return None
        limit = subtract_working_days(self.date, company.ar_bank_feed_days)
        if newest >= limit:
            if open_:
                open_.action_feedback(feedback=self.env._("The bank statements are current."))
            return None
        message = self.env._(
            "The newest bank statement line is of %(date)s: payments since are not seen.",
            date=format_date(self.env, newest),
        )
        self._ar_log(message)
        if not open_:
            self._ar_feed_activity(journals, message)
        return newest if company.ar_bank_feed_hold else None

    def _ar_feed_activity(self, journals, message):
        if not journals:
            return
        manager = self.company_id._ar_credit_manager()
        activity_type = self.env.ref(FEED_ACTIVITY)
        journals[:1].sudo().activity_schedule(
            FEED_ACTIVITY,
            summary=activity_type.with_context(lang=manager.lang).summary,
            note=message,
            user_id=manager.id,
            date_deadline=self.date,
        )

    def _ar_hold_back_beyond_first_overdue(self, plan, newest):
        """While the bank feed is stale, only the levels up to the first overdue one of its
        policy act: the others wait (a history line a customer)."""
        first = {}
        history = []
        for pid, plans in plan.items():
            held = [p for p in plans if p.new_level]
            for p in held:
                policy = p.new_level.policy_id
                if policy not in first:
                    overdue = policy.level_ids.filtered(lambda level: level.delay >= 0)
                    first[policy] = min(overdue.mapped("delay")) if overdue else 0
            held = [p for p in held if p.new_level.delay > first[p.new_level.policy_id]]
            if not held:
                continue
            top = max((p.new_level for p in held), key=lambda level: level.delay)
            for p in held:
                p.new_level = None
                p.next_date = self.date + timedelta(days=1)
            history.append(
                self._ar_history(
                    pid,
                    "skip",
                    top,
                    [p.move_id for p in held],
                    note=lambda env: env._(
                        "Held back: the bank statements are not current (the newest line is "
                        "of %(date)s); a payment by transfer may not be seen yet.",
                        date=format_date(env, newest),
                    ),
                )
            )
        return history
