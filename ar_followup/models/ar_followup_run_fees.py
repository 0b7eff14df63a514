# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The follow-up run's charging step: collection costs and statutory interest.

What the law allows is in ``ar.fee`` (models/ar_fee.py): the scales, the rule of each kind of
customer and the waiting periods. This step applies it to a run:

1. :meth:`_ar_plan_charges`, after the plan: for every candidate invoice, whether its costs
   (and in which claim) and its interest are charged today. A customer whose waiting period
   ended today is part of the run even when none of its invoices reaches a level.
2. :meth:`_ar_charge_fees`, in each batch before the reminders (which list the fee invoice):
   one posted fee invoice per customer and currency, a history line per claim (costs) and per
   invoice (interest) with the computation, and the invoices' charged dates.
"""

from collections import defaultdict, namedtuple

from odoo import Command, models
from odoo.tools import SQL, format_date

from ..tools import ladder as ladder_rule

# the terms an invoice was given (see ArFollowupRun._ar_terms)
ArTerms = namedtuple("ArTerms", "costs_end interest_end claim costs interest")
# what marking the charges of a run reads once (see ArFollowupRun._ar_charge_setup)
ChargeSetup = namedtuple("ChargeSetup", "ladders thresholds delays rules reminders")


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # The 14-day letter names its claim
    # ------------------------------------------------------------------

    def _ar_letter_claim(self, level, plans):
        """History values of a reminder of ``level`` to a customer whose candidate invoices
        are ``plans``: a 14-day letter records the invoices it claims collection costs for
        (overdue when it is sent, not fee invoices, not charged before), the same as
        :meth:`_ar_claim_preview` announces in it."""
        if not level or not level.is_fourteen_day_letter:
            return {}
        ids = [p.move_id for p in self._ar_claimable(plans)]
        return {"claim_move_ids": [Command.set(ids)]} if ids else {}

    # ------------------------------------------------------------------
    # What is charged today
    # ------------------------------------------------------------------

    def _ar_plan_charges(self, plan):
        """Mark, on the invoices of ``plan`` (``{partner_id: [InvoicePlan]}``), the collection
        costs and the interest that this run charges (DESIGN.md semantics 5):

        - costs once per invoice, ever, when it is claimed (it reached a level that claims
          costs, or a 14-day letter of such a level named it) and its waiting period is over;
          the invoices charged together form a claim (``p.claim``);
        - interest when it reaches a level that charges interest, and once when its waiting
          period ends (whether or not it reaches a level that day);
        - never for a fee invoice, nor on what is not overdue.
        """
        setup = self._ar_charge_setup(plan)
        if setup is None:
            return
        company = self.company_id
        no_b2b_costs = company.ar_costs_b2b == "none"
        covered = {}  # (kind, day) -> whether a rate is known for that day now
        for partner_id, plans in plan.items():
            rule = setup.rules[partner_id]
            costs_from, interest_from = setup.thresholds[setup.ladders[partner_id]]
            charges_costs = not (rule.costs == "b2b" and no_b2b_costs)
            fatal = rule.law == "nl" and rule.consumer and company.ar_consumer_fatal_term
            # today's reminder, as _ar_partner_actions chooses it: what is charged goes with
            # a reminder the customer gets (or the hand-off); a 14-day letter gives a term
            reminder = ladder_rule.email_level(plans)
            if reminder and ladder_rule.held_back(reminder, plans):
                reminder = None
            letter_today = bool(reminder) and reminder.is_fourteen_day_letter
            told = bool(reminder) or any(p.new_level and p.new_level.handoff for p in plans)
            for p in plans:
                if p.fee_invoice or p.due >= self.date or p.residual_currency <= 0:
                    continue
                delay = p.new_level.delay if p.new_level else setup.delays.get(p.level_id)
                reached = delay is not None
                costs_claimed = reached and costs_from is not None and delay >= costs_from
                interest_claimed = reached and interest_from is not None and delay >= interest_from
                terms = self._ar_terms(rule, p, setup.reminders.get(p.move_id, ()))
                if not p.costs_date and charges_costs:
                    self._ar_plan_costs(p, rule, terms, costs_claimed, letter_today)
                if terms is None and rule.wait and not fatal:
                    continue  # no reminder has put the consumer in default yet
                p.interest_from = p.due if fatal or terms is None else terms.interest_end
                self._ar_plan_interest(p, rule, terms, interest_claimed, covered)
                # a term a reminder gave the customer (a 14-day letter, a waiting period) was
                # announced: charged when it ends; anything else waits for a reminder
                if not told and not (terms and terms.costs_end):
                    self._ar_wait_for_reminder(p)

    def _ar_charge_setup(self, plan):
        """What marking the charges of ``plan`` reads once: the customers' ladders and the
        first delays of their levels that claim costs and interest, the delays of the
        invoices' levels, the customers' rules, the reminders that started a waiting period
        or a 14-day letter's term. ``None`` when no level of the company charges anything."""
        if not plan:
            return None
        company = self.company_id
        Level = self.env["ar.followup.level"].with_context(active_test=False)
        domain = [("company_id", "=", company.id)]
        if not Level.search_count(
            domain + ["|", ("charge_costs", "=", True), ("charge_interest", "=", True)], limit=1
        ):
            return None
        partners = self.env["res.partner"].with_company(company).browse(list(plan))
        ladders = self._ar_policy_levels(partners)
        thresholds = {}
        for ladder in set(ladders.values()):
            costs = [level.delay for level in ladder if level.charge_costs]
            interest = [level.delay for level in ladder if level.charge_interest]
            thresholds[ladder] = (min(costs, default=None), min(interest, default=None))
        levels = Level.browse({p.level_id for plans in plan.values() for p in plans if p.level_id})
        Fee = self.env["ar.fee"]
        rules = {partner.id: Fee._rule(partner, company) for partner in partners}
        letters = bool(
            Level.search_count(domain + [("is_fourteen_day_letter", "=", True)], limit=1)
        )
        waiting = [
            p.move_id
            for pid, plans in plan.items()
            if rules[pid].wait or letters
            for p in plans
            if not p.fee_invoice and p.due < self.date and (rules[pid].wait or not p.costs_date)
        ]
        return ChargeSetup(
            ladders=ladders,
            thresholds=thresholds,
            delays={level.id: level.delay for level in levels},
            rules=rules,
            reminders=self._ar_reminders_sent(waiting),
        )

    def _ar_plan_interest(self, p, rule, terms, interest_claimed, covered):
        """Whether the invoice of plan ``p`` is charged interest today: with each level that
        charges it, once when its waiting period ends, and again when a missing rate has been
        entered (``covered`` caches, per rate kind and day, whether the rate is known)."""
        retry = False
        if p.interest_missing:
            key = (rule.interest, p.interest_missing)
            if key not in covered:
                covered[key] = self.env["ar.interest.rate"]._ar_rate_on(*key) is not None
            retry = covered[key]
        interest_now = (
            p.interest_date is None or bool(p.new_level and p.new_level.charge_interest) or retry
        )
        p.charge_interest = (
            self.date > p.interest_from
            and (interest_claimed or bool(terms and terms.interest))
            and interest_now
        )

    @staticmethod
    def _ar_wait_for_reminder(p):
        """Undo today's charges of invoice plan ``p`` (no reminder goes out to tell the
        customer): they are charged with the next one. A skip line says so where the invoice
        reached a level that charges today; on other days it waits without a word."""
        if not (p.charge_costs or p.charge_interest):
            return
        if p.interest_missing and not p.charge_costs:
            return  # the interest a reminder claimed, held up by a rate now entered
        charges = p.new_level and (p.new_level.charge_costs or p.new_level.charge_interest)
        p.charge_costs = p.charge_interest = False
        p.claim = None
        if charges:
            p.charge_note = lambda env: env._(
                "No costs or interest charged today: no reminder goes out to the customer "
                "today. They are charged with the next reminder it gets, or at the hand-off."
            )

    def _ar_plan_costs(self, p, rule, terms, claimed, letter_today):
        """Collection costs of invoice ``p`` (not charged yet): once, when claimed (by its
        level, or a reminder that counts, ``terms``) and after the terms the customer was
        given; else why not, where it reached a level that claims them today."""
        new_costs = bool(p.new_level and p.new_level.charge_costs)
        if letter_today:
            if new_costs:
                p.charge_note = lambda env: env._(
                    "No collection costs yet: the 14-day letter sent today gives the customer "
                    "14 days."
                )
        elif terms is None:
            if new_costs:
                p.charge_note = self._ar_no_costs_yet(rule)
        elif claimed or terms.costs:
            if terms.costs_end is None or self.date > terms.costs_end:
                p.charge_costs = True
                p.claim = (*terms.claim, p.currency_id)
            elif new_costs:
                p.charge_note = lambda env, end=terms.costs_end: env._(
                    "No collection costs yet: the term the customer was given ends on %s; they "
                    "are charged on the first run after it.",
                    format_date(env, end),
                )

    def _ar_no_costs_yet(self, rule):
        """Why a consumer pays no collection costs yet (a function of an environment)."""
        if rule.wait == "nl_fourteen_day":
            return lambda env: env._(
                "No collection costs yet: a consumer pays them only after the term of a 14-day "
                "letter that names the invoice."
            )
        return lambda env: env._(
            "No collection costs yet: a consumer pays them only 14 days after the first reminder."
        )

    def _ar_terms(self, rule, p, reminders):
        """The terms invoice ``p`` was given, from the delivered ``reminders`` that name it
        (``[(history id, sent, channel, 14-day letter, costs, interest)]``, oldest first, see
        :meth:`_ar_reminders_sent`); only a reminder sent after the due date counts (the
        customer was in default). ``None`` while a consumer's waiting period has not started.

        - ``costs_end``: the last day before collection costs may be charged (``None``: at
          once): the law's waiting period, and for everyone the term of the latest 14-day
          letter that named the invoice (each letter promised 14 days);
        - ``interest_end``: the day after which interest runs: the due date for businesses,
          the end of the first 14-day letter's term or of the Belgian period for consumers;
        - ``claim``: what the invoice is charged with: the latest 14-day letter's claim, the
          invoice alone (Belgian consumers: per debt), or the run's claim of the customer;
        - ``costs``/``interest``: whether a reminder that counts claimed them.
        """
        Fee = self.env["ar.fee"]
        counted = [r for r in reminders if r[1] > p.due]
        letters = [r for r in counted if r[3]]
        letter_end = (
            Fee._wait_end("nl_fourteen_day", letters[-1][2], letters[-1][1]) if letters else None
        )
        if rule.wait == "nl_fourteen_day":
            if not letters:
                return None
            first_end = Fee._wait_end("nl_fourteen_day", letters[0][2], letters[0][1])
            return ArTerms(
                letter_end,
                first_end,
                ("letter", letters[-1][0]),
                any(r[4] for r in letters),
                any(r[5] for r in letters),
            )
        if rule.wait == "be_first_reminder":
            if not counted:
                return None
            end = Fee._wait_end("be_first_reminder", counted[0][2], counted[0][1])
            return ArTerms(
                max(end, letter_end) if letter_end else end,
                end,
                ("move", p.move_id),
                any(r[4] for r in counted),
                any(r[5] for r in counted),
            )
        claim = ("letter", letters[-1][0]) if letters else ("run", p.partner_id)
        return ArTerms(letter_end, p.due, claim, any(r[4] for r in letters), False)

    def _ar_reminders_sent(self, move_ids):
        """The delivered reminders of ``move_ids``, oldest first, in one query: ``{move_id:
        [(history id, day sent, channel, 14-day letter, level claims costs, level charges
        interest)]}``. A 14-day letter names the invoices it claims (``claim_move_ids``), every
        reminder those it is about. The day sent is the run's day plus the days the mail queue
        or the printing took."""
        if not move_ids:
            return {}
        self.env["ar.followup.history"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH named AS (
                    SELECT history_id, move_id FROM ar_followup_history_move_rel
                     WHERE move_id = ANY(%(moves)s)
                    UNION
                    SELECT history_id, move_id FROM ar_followup_history_claim_rel
                     WHERE move_id = ANY(%(moves)s)
                )
                SELECT n.move_id, h.id,
                       h.date + GREATEST(
                           COALESCE(h.delivery_date::date - h.create_date::date, 0), 0),
                       h.channel, l.is_fourteen_day_letter IS TRUE, l.charge_costs IS TRUE,
                       l.charge_interest IS TRUE
                  FROM named n
                  JOIN ar_followup_history h ON h.id = n.history_id
                  JOIN ar_followup_level l ON l.id = h.level_id
                 WHERE h.company_id = %(company)s AND h.channel IN ('email', 'letter')
                   AND h.delivery_state = 'sent'
                 ORDER BY n.move_id, 3, h.id
                """,
                moves=list(move_ids),
                company=self.company_id.id,
            )
        )
        result = defaultdict(list)
        for move_id, *row in self.env.cr.fetchall():
            result[move_id].append(tuple(row))
        return result
