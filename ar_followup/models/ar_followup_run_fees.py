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

import functools
from collections import defaultdict, namedtuple

from markupsafe import Markup

from odoo import Command, models
from odoo.tools import SQL, format_date, formatLang

from .ar_fee import COSTS_BASIS, INTEREST_BASIS, MissingInterestRate
from .ar_followup_run import InvoicePlan

# the terms an invoice was given (see ArFollowupRun._ar_terms)
ArTerms = namedtuple("ArTerms", "costs_end interest_end claim costs interest")


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"

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

    def _ar_claimable(self, plans):
        return [p for p in plans if not p.fee_invoice and not p.costs_date and p.due < self.date]

    def _ar_claimable_plans(self, partner):
        """The candidate invoices of ``partner`` a reminder rendered now claims (one query:
        a template renders it for one customer)."""
        self.env.flush_all()
        self.env.cr.execute(self._ar_candidate_query(partner.commercial_partner_id.ids))
        return self._ar_claimable([InvoicePlan(*row) for row in self.env.cr.fetchall()])

    def _ar_claim_preview(self, partner):
        """``(amount in company currency, principal)`` of the collection costs a 14-day letter
        of this run announces to ``partner``: the costs of its claim by the partner's rule."""
        self.ensure_one()
        plans = self._ar_claimable_plans(partner)
        company = self.company_id
        if not plans:
            return 0.0, 0.0
        eur = self.env.ref("base.EUR")
        principals = [
            company.currency_id._convert(p.residual, eur, company, self.date) for p in plans
        ]
        Fee = self.env["ar.fee"]
        amount, _steps = Fee._claim_costs(
            Fee._rule(partner.commercial_partner_id, company), company, principals, self.date
        )
        to_company = eur._convert
        return (
            to_company(amount, company.currency_id, company, self.date),
            sum(p.residual for p in plans),
        )

    def _ar_be_consumer_notice(self, partner):
        """What the first reminder to a Belgian consumer must state (art. XIX.2 CEL): the
        damages (per invoice, on its open amount) and the legal interest rate that follow its
        14-day period, where the customer's policy claims them: ``{'damages', 'rate'}`` or
        ``False``."""
        self.ensure_one()
        partner = partner.commercial_partner_id
        company = self.company_id
        Fee = self.env["ar.fee"]
        if Fee._rule(partner, company).costs != "be_consumer":
            return False
        levels = self._ar_policy_levels(partner)[partner.id]
        costs = any(levels.mapped("charge_costs"))
        interest = any(levels.mapped("charge_interest"))
        if not costs and not interest:
            return False
        plans = self._ar_claimable_plans(partner)
        eur = self.env.ref("base.EUR")
        damages = sum(
            Fee.be_consumer(company.currency_id._convert(p.residual, eur, company, self.date))
            for p in plans
        )
        rate = self.env["ar.interest.rate"]._ar_rate_on("be_legal", self.date)
        return {
            "damages": eur._convert(damages, company.currency_id, company, self.date)
            if costs
            else 0.0,
            "rate": formatLang(self.env, rate, digits=2) if interest and rate is not None else None,
        }

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
        if not plan:
            return
        company = self.company_id
        Level = self.env["ar.followup.level"].with_context(active_test=False)
        if not Level.search_count(
            [
                ("company_id", "=", company.id),
                "|",
                ("charge_costs", "=", True),
                ("charge_interest", "=", True),
            ],
            limit=1,
        ):
            return
        Fee = self.env["ar.fee"]
        partners = self.env["res.partner"].with_company(company).browse(list(plan))
        ladders = self._ar_policy_levels(partners)
        thresholds = {}
        for ladder in set(ladders.values()):
            costs = [level.delay for level in ladder if level.charge_costs]
            interest = [level.delay for level in ladder if level.charge_interest]
            thresholds[ladder] = (min(costs, default=None), min(interest, default=None))
        levels = Level.browse({p.level_id for plans in plan.values() for p in plans if p.level_id})
        delays = {level.id: level.delay for level in levels}
        rules = {partner.id: Fee._rule(partner, company) for partner in partners}
        no_b2b_costs = company.ar_costs_b2b == "none"
        date = self.date

        # the reminders that started a waiting period or a 14-day letter's term, for the
        # invoices that have one
        letters = bool(
            Level.search_count(
                [("company_id", "=", company.id), ("is_fourteen_day_letter", "=", True)], limit=1
            )
        )
        waiting = [
            p.move_id
            for pid, plans in plan.items()
            if rules[pid].wait or letters
            for p in plans
            if not p.fee_invoice and p.due < date and (rules[pid].wait or not p.costs_date)
        ]
        Rate = self.env["ar.interest.rate"]
        reminders = self._ar_reminders_sent(waiting)
        covered = {}  # (kind, day) -> whether a rate is known for that day now
        for partner in partners:
            rule = rules[partner.id]
            costs_from, interest_from = thresholds[ladders[partner.id]]
            charges_costs = not (rule.costs == "b2b" and no_b2b_costs)
            fatal = rule.law == "nl" and rule.consumer and company.ar_consumer_fatal_term
            letter_today = self._ar_letter_today(plan[partner.id])
            for p in plan[partner.id]:
                if p.fee_invoice or p.due >= date or p.residual_currency <= 0:
                    continue
                delay = p.new_level.delay if p.new_level else delays.get(p.level_id)
                reached = delay is not None
                costs_claimed = reached and costs_from is not None and delay >= costs_from
                interest_claimed = reached and interest_from is not None and delay >= interest_from
                terms = self._ar_terms(rule, p, reminders.get(p.move_id, ()))
                if not p.costs_date and charges_costs:
                    self._ar_plan_costs(p, rule, terms, costs_claimed, letter_today)
                if terms is None and rule.wait and not fatal:
                    continue  # no reminder has put the consumer in default yet
                p.interest_from = p.due if fatal or terms is None else terms.interest_end
                retry = False
                if p.interest_missing:
                    key = (rule.interest, p.interest_missing)
                    if key not in covered:
                        covered[key] = Rate._ar_rate_on(*key) is not None
                    retry = covered[key]
                # with each level that charges it, once when the waiting period ends, and
                # again when a missing rate has been entered
                interest_now = (
                    p.interest_date is None
                    or bool(p.new_level and p.new_level.charge_interest)
                    or retry
                )
                p.charge_interest = (
                    date > p.interest_from
                    and (interest_claimed or bool(terms and terms.interest))
                    and interest_now
                )

    @staticmethod
    def _ar_letter_today(plans):
        """Whether the customer's reminder of today is a 14-day letter, which gives 14 days
        to every invoice it names: the highest e-mail level reached, unless the tone holds it
        back (as :meth:`_ar_partner_actions` chooses it)."""
        emails = [
            p.new_level
            for p in plans
            if p.new_level and p.new_level.send_email and p.new_level.mail_template_id
        ]
        if not emails:
            return False
        top = max(emails, key=lambda level: level.delay)
        tone = plans[0].tone
        return top.is_fourteen_day_letter and (tone is None or top.delay >= tone)

    def _ar_plan_costs(self, p, rule, terms, claimed, letter_today):
        """Collection costs of invoice ``p`` (not charged yet): once, when claimed (by its
        level, or a reminder that counts, ``terms``) and after the terms the customer was
        given; else why not, where it reached a level that claims them today."""
        new_costs = bool(p.new_level and p.new_level.charge_costs)
        if letter_today:
            if new_costs:
                p.charge_note = self.env._(
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
                p.charge_note = self.env._(
                    "No collection costs yet: the term the customer was given ends on %s; they "
                    "are charged on the first run after it.",
                    format_date(self.env, terms.costs_end),
                )

    def _ar_no_costs_yet(self, rule):
        if rule.wait == "nl_fourteen_day":
            return self.env._(
                "No collection costs yet: a consumer pays them only after the term of a 14-day "
                "letter that names the invoice."
            )
        return self.env._(
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

    # ------------------------------------------------------------------
    # Charging
    # ------------------------------------------------------------------

    def _ar_charge_fees(self, partners, plan, counts):
        """Charge the costs and interest marked by :meth:`_ar_plan_charges` for the customers
        of a batch: one posted fee invoice per customer and currency; returns the history
        values (a ``fee`` line per claim and per invoice charged interest, ``skip`` lines for
        what could not be charged)."""
        company = self.company_id
        plans = [p for pid in partners.ids for p in plan[pid]]
        costs = defaultdict(list)  # claim -> [InvoicePlan]
        interest = [p for p in plans if p.charge_interest]
        for p in plans:
            if p.charge_costs:
                costs[p.claim].append(p)
        # one skip line per customer and reason, naming its invoices
        skips = defaultdict(list)
        for p in plans:
            if p.charge_note:
                skips[p.partner_id, p.new_level, p.charge_note].append(p.move_id)
        history = [
            self._ar_history(partner_id, "skip", level, move_ids, note=note)
            for (partner_id, level, note), move_ids in skips.items()
        ]
        if not costs and not interest:
            return history
        Fee = self.env["ar.fee"]
        Move = self.env["account.move"]
        eur = self.env.ref("base.EUR")
        moves = Move.browse({p.move_id for p in plans if p.charge_costs or p.charge_interest})
        moves.fetch(["name", "commercial_partner_id", "currency_id"])
        missing = defaultdict(list)
        lines = defaultdict(list)  # (partner, currency) -> [(kind, [move], amount, base, steps)]
        charged_costs, charged_interest = [], []
        Level = self.env["ar.followup.level"].with_context(active_test=False)
        level_of = {p.move_id: p.new_level or Level.browse(p.level_id) for p in plans}
        claimed_before = self._ar_claimed_before(
            [claim[1] for claim in costs if claim[0] == "letter"]
        )
        claim_of = {}  # invoice ids of a costs line -> the 14-day letter that claimed them
        for claim, claim_plans in costs.items():
            move = Move.browse(claim_plans[0].move_id)
            partner, currency = move.commercial_partner_id, move.currency_id
            env = self.with_context(lang=partner.lang or self.env.lang).env
            principals = [
                currency._convert(p.residual_currency, eur, company, self.date) for p in claim_plans
            ]
            letter = claim[1] if claim[0] == "letter" else False
            base_before, amount_before, count_before = claimed_before.get(letter, (0.0, 0.0, 0))
            if count_before:
                # the letter's claim was charged in part before (an invoice of it was in a
                # dispute or a plan then): its costs now, less what was charged on it
                share = currency._convert(base_before, eur, company, self.date) / count_before
                principals = [share] * count_before + principals
            amount_eur, steps = Fee.with_env(env)._claim_costs(
                Fee._rule(partner, company), company, principals, self.date
            )
            amount = currency.round(eur._convert(amount_eur, currency, company, self.date))
            if count_before:
                steps.append((env._("Charged before on this claim"), -amount_before))
                amount = max(currency.round(amount - amount_before), 0.0)
            charged_costs += [p.move_id for p in claim_plans]
            if not currency.is_zero(amount):
                base = currency.round(sum(p.residual_currency for p in claim_plans))
                claim_moves = Move.browse([p.move_id for p in claim_plans])
                claim_of[tuple(claim_moves.ids)] = letter
                lines[partner, currency].append(("costs", claim_moves, amount, base, steps))
        charged_before = self._ar_interest_charged([p.move_id for p in interest])
        # the periods of each rate kind, read once for the batch
        kind_periods = functools.cache(self.env["ar.interest.rate"]._ar_periods)
        no_rate = []
        no_rate_skips = defaultdict(list)
        for p in interest:
            move = Move.browse(p.move_id)
            partner, currency = move.commercial_partner_id, move.currency_id
            rule = Fee._rule(partner, company)
            try:
                segments = Fee._interest_segments(
                    p.residual_currency,
                    p.interest_from,
                    self.date,
                    rule.interest,
                    rule.compound,
                    kind_periods(rule.interest),
                )
            except MissingInterestRate as error:
                # nothing charged: tried again with its next level that charges interest
                # (not every day), once the manager has entered the rate
                no_rate.append((p.move_id, p.interest_from, error.day))
                missing[error.kind, error.day].append(move)
                self._ar_log(f"{move.name}: {error}")
                no_rate_skips[partner.id, level_of[p.move_id], str(error)].append(move.id)
                continue
            accrued = currency.round(sum(s[4] for s in segments))
            before = charged_before.get(p.move_id, 0.0)
            amount = max(currency.round(accrued - before), 0.0)
            charged_interest.append(p.move_id)
            if not currency.is_zero(amount):
                lines[partner, currency].append(
                    ("interest", move, amount, p.residual_currency, (segments, before))
                )
        history += [
            self._ar_history(
                partner_id,
                "skip",
                level,
                move_ids,
                note=self.env._("No statutory interest charged: %s", error),
            )
            for (partner_id, level, error), move_ids in no_rate_skips.items()
        ]
        for (partner, currency), partner_lines in lines.items():
            env = self.with_context(lang=partner.lang or self.env.lang).env
            texts = [self.with_env(env)._ar_fee_text(*line) for line in partner_lines]
            fee_move = self._ar_create_fee_invoice(partner, currency, partner_lines, texts)
            for (kind, claim_moves, amount, base, _steps), (_label, computation) in zip(
                partner_lines, texts, strict=True
            ):
                counts["fee"] += 1
                history.append(
                    self._ar_history(
                        partner.id,
                        "fee",
                        level_of.get(claim_moves[0].id),
                        claim_moves.ids,
                        fee_move_id=fee_move.id,
                        fee_amount=amount if kind == "costs" else 0.0,
                        interest_amount=amount if kind == "interest" else 0.0,
                        fee_currency_id=currency.id,
                        fee_base=base,
                        fee_computation=computation,
                        claim_history_id=kind == "costs" and claim_of.get(tuple(claim_moves.ids)),
                    )
                )
        self._ar_write_charges(charged_costs, charged_interest, no_rate)
        if missing:
            self._ar_notify_missing_rates(missing)
        return history

    def _ar_claimed_before(self, letter_ids):
        """``{14-day letter id: (principal, costs, invoices)}`` already charged on the claims
        of these letters (one query)."""
        if not letter_ids:
            return {}
        self.env["ar.followup.history"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT h.claim_history_id, SUM(h.fee_base)::float, SUM(h.fee_amount)::float,
                       SUM((SELECT COUNT(*) FROM ar_followup_history_move_rel r
                             WHERE r.history_id = h.id))::int
                  FROM ar_followup_history h
                 WHERE h.claim_history_id = ANY(%s) AND h.channel = 'fee'
                   AND h.fee_amount > 0 AND h.delivery_state IS DISTINCT FROM 'cancelled'
                 GROUP BY h.claim_history_id
                """,
                list(letter_ids),
            )
        )
        return {row[0]: (row[1], row[2], row[3]) for row in self.env.cr.fetchall()}

    def _ar_interest_charged(self, move_ids):
        """``{move_id: interest charged so far}`` (one query)."""
        if not move_ids:
            return {}
        self.env["ar.followup.history"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT r.move_id, SUM(h.interest_amount)
                  FROM ar_followup_history h
                  JOIN ar_followup_history_move_rel r ON r.history_id = h.id
                 WHERE r.move_id = ANY(%s) AND h.channel = 'fee' AND h.interest_amount > 0
                   AND h.delivery_state IS DISTINCT FROM 'cancelled'
                 GROUP BY r.move_id
                """,
                list(move_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    def _ar_write_charges(self, costs_move_ids, interest_move_ids, no_rate=()):
        """Store on the invoices' state that costs were charged today, and interest up to
        today; for ``no_rate`` (``[(move_id, start, day)]``, interest that could not be
        charged) that interest was charged up to the day it starts from (nothing) and waits
        for the rate of ``day`` (five statements at most)."""
        self.env["ar.followup.move.state"].flush_model()
        rows = [
            ("costs_date", costs_move_ids, [self.date] * len(costs_move_ids)),
            ("interest_date", interest_move_ids, [self.date] * len(interest_move_ids)),
            ("interest_missing", interest_move_ids, [None] * len(interest_move_ids)),
            ("interest_date", [r[0] for r in no_rate], [r[1] for r in no_rate]),
            ("interest_missing", [r[0] for r in no_rate], [r[2] for r in no_rate]),
        ]
        for column, ids, dates in rows:
            if not ids:
                continue
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO ar_followup_move_state AS s (move_id, %s)
                    SELECT * FROM unnest(%s::int[], %s::date[])
                        ON CONFLICT (move_id) DO UPDATE SET %s = EXCLUDED.%s
                    """,
                    SQL.identifier(column),
                    list(ids),
                    list(dates),
                    SQL.identifier(column),
                    SQL.identifier(column),
                )
            )
        self.env["ar.followup.move.state"].invalidate_model(
            ["costs_date", "interest_date", "interest_missing"]
        )

    def _ar_fee_text(self, kind, moves, amount, base, detail):
        """``(invoice line label, computation)`` of a fee line, in the customer's language."""
        env = self.env

        def money(value):
            return formatLang(env, value, currency_obj=moves[0].currency_id)

        names = ", ".join(moves.mapped("name"))
        rule = env["ar.fee"]._rule(moves[0].commercial_partner_id, self.company_id)
        if kind == "costs":
            steps = [f"{label}: {money(value)}" for label, value in detail]
            computation = "\n".join(
                [
                    env._("Collection costs on %(invoices)s", invoices=names),
                    env._(
                        "Legal basis: %s", COSTS_BASIS[rule.law, rule.consumer]._translate(env.lang)
                    ),
                    env._("Principal: %(base)s", base=money(base)),
                    *steps,
                    env._("Collection costs: %(amount)s", amount=money(amount)),
                ]
            )
            label = env._(
                "Collection costs for %(invoices)s (on %(base)s)", invoices=names, base=money(base)
            )
            return label, computation
        segments, before = detail
        steps = [
            env._(
                "%(first)s to %(last)s: %(base)s at %(rate)s%% for %(days)s days: %(amount)s",
                first=format_date(env, first),
                last=format_date(env, last),
                base=money(principal),
                rate=formatLang(env, rate, digits=2),
                days=(last - first).days + 1,
                amount=money(value),
            )
            for first, last, principal, rate, value in segments
        ]
        if before:
            steps.append(env._("Charged before: %(amount)s", amount=money(before)))
        computation = "\n".join(
            [
                env._("Statutory interest on %(invoice)s", invoice=names),
                env._("Legal basis: %s", INTEREST_BASIS[rule.interest]._translate(env.lang)),
                *steps,
                env._("Interest charged now: %(amount)s", amount=money(amount)),
            ]
        )
        label = env._(
            "Statutory interest on %(invoice)s from %(first)s up to %(date)s",
            invoice=names,
            first=format_date(env, segments[0][0]) if segments else "",
            date=format_date(env, self.date),
        )
        return label, computation

    def _ar_create_fee_invoice(self, partner, currency, lines, texts):
        """One posted customer invoice for the costs and interest of ``lines``."""
        company = self.company_id
        product = company.ar_fee_product_id or self.env.ref(
            "ar_followup.product_collection_costs", raise_if_not_found=False
        )
        invoice_lines = [
            Command.create(
                {
                    "product_id": product.id if product else False,
                    "name": label,
                    "quantity": 1,
                    "price_unit": amount,
                    "tax_ids": [Command.clear()],
                }
            )
            for (_kind, _moves, amount, _base, _detail), (label, _computation) in zip(
                lines, texts, strict=True
            )
        ]
        vals = {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "currency_id": currency.id,
            "invoice_date": self.date,
            "invoice_date_due": self.date,  # due on demand
            "invoice_payment_term_id": False,
            "ar_is_fee_invoice": True,
            "ref": ", ".join(
                dict.fromkeys(name for line in lines for name in line[1].mapped("name"))
            ),
            # the computations, a line each, a blank line between them
            "narration": Markup("<br/><br/>").join(
                Markup("<br/>").join(text.split("\n")) for _label, text in texts
            ),
            "invoice_line_ids": invoice_lines,
        }
        if company.ar_fee_journal_id:
            vals["journal_id"] = company.ar_fee_journal_id.id
        fee_move = self.env["account.move"].sudo().with_company(company).create(vals)
        fee_move.with_context(ar_followup_skip_credit_check=True).action_post()
        return fee_move

    def _ar_notify_missing_rates(self, missing):
        """Ask the credit-control manager for the rates this batch missed (``{(kind, day):
        moves}``): one activity per figure to enter, naming the invoices not charged (an open
        one about the same figure is updated, see ``ar.interest.rate``)."""
        Rate = self.env["ar.interest.rate"].with_company(self.company_id)
        by_kind = defaultdict(lambda: [None, []])
        for (kind, day), moves in missing.items():
            entry = by_kind[kind]
            entry[0] = min(day, entry[0]) if entry[0] else day
            entry[1] += [move.name for move in moves]
        for kind, (day, names) in by_kind.items():
            Rate._ar_missing_rate_activity(kind, day, names)
