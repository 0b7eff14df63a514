# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The run's charge: the collection costs and interest that :meth:`_ar_plan_charges` marked
(models/ar_followup_run_fees.py), charged in each batch before the reminders (which list the
fee invoice): one posted fee invoice per customer and currency, a history line per claim
(costs) and per invoice (interest) with the computation, the invoices' charged dates."""

import functools
from collections import defaultdict, namedtuple

from markupsafe import Markup

from odoo import Command, models
from odoo.tools import SQL, format_date, formatLang

from .ar_credit_override import decided_by_system
from .ar_fee import COSTS_BASIS, INTEREST_BASIS, MissingInterestRate, missing_rate_text

# one line of a fee invoice: "costs" or "interest", the invoices (account.move) it is
# charged on, the amount, the principal, and the steps of its computation
FeeLine = namedtuple("FeeLine", "kind moves amount base detail")


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"  # pylint: disable=consider-merging-classes-inherited

    def _ar_step_charge(self, batch):
        """Step *charge*: the fee invoices (:meth:`_ar_charge_fees`), then the statements of
        the customers charged refreshed, since their reminders list the new invoices."""
        history = self._ar_charge_fees(batch)
        charged = {vals["partner_id"] for vals in history if vals["channel"] == "fee"}
        if batch.statement_rows is not None and charged:
            self.env["ar.followup.statement"]._ar_refresh_rows(
                batch.statement_rows, self.company_id, charged
            )
        return history

    def _ar_charge_fees(self, batch):
        """Charge the costs and interest marked by :meth:`_ar_plan_charges` for the customers
        of a batch; returns the history values (a ``fee`` line per claim and per invoice
        charged interest, ``skip`` lines for what could not be charged)."""
        plans = [p for pid in batch.partners.ids for p in batch.plan[pid]]
        history = self._ar_charge_skips(plans)
        if not any(p.charge_costs or p.charge_interest for p in plans):
            return history
        moves = self.env["account.move"].browse(
            {p.move_id for p in plans if p.charge_costs or p.charge_interest}
        )
        moves.fetch(["name", "commercial_partner_id", "currency_id"])
        Level = self.env["ar.followup.level"].with_context(active_test=False)
        level_of = {p.move_id: p.new_level or Level.browse(p.level_id) for p in plans}
        lines = defaultdict(list)  # (partner, currency) -> [FeeLine]
        charged_costs, claim_of = self._ar_costs_lines(plans, lines)
        charged_interest, no_rate, missing = self._ar_interest_lines(plans, lines, level_of)
        history += [
            self._ar_history(
                partner_id,
                "skip",
                level,
                move_ids,
                note=lambda env, kind=kind, day=day: env._(
                    "No statutory interest charged: %s", missing_rate_text(env, kind, day)
                ),
            )
            for (partner_id, level, kind, day), move_ids in no_rate.items()
        ]
        accrued = self._ar_accrue_petty_fees(plans, lines)
        for (partner, currency), partner_lines in lines.items():
            history += self._ar_post_fee_lines(
                batch, partner, currency, partner_lines, level_of, claim_of
            )
        State = self.env["ar.followup.move.state"]
        # what accrues is charged again (in full, less what was invoiced) by the next run
        State._ar_store_accrued(set(charged_costs) | set(charged_interest), accrued)
        State._ar_store_charges(
            self.date,
            [move_id for move_id in charged_costs if move_id not in accrued],
            [move_id for move_id in charged_interest if move_id not in accrued],
            [(move_id, start, day) for move_id, start, day, _kind in missing],
        )
        if missing:
            by_figure = defaultdict(list)
            for move_id, _start, day, kind in missing:
                by_figure[kind, day].append(self.env["account.move"].browse(move_id))
            self._ar_notify_missing_rates(by_figure)
        return history

    def _ar_accrue_petty_fees(self, plans, lines):
        """Take out of ``lines`` the customers' fee invoices below the company's smallest
        fee invoice (unless the customer is handed over to an agency today): their costs and
        interest accrue instead. Returns ``{move_id: amount accrued in company currency}``."""
        company = self.company_id
        handoff = {p.partner_id for p in plans if p.new_level and p.new_level.handoff}
        accrued = defaultdict(float)
        for (partner, currency), partner_lines in list(lines.items()):
            if partner.id in handoff:
                continue
            total = sum(line.amount for line in partner_lines)
            floor = company.currency_id._convert(
                company.ar_fee_min_amount, currency, company, self.date
            )
            if currency.compare_amounts(total, floor) >= 0:
                continue
            del lines[partner, currency]
            for line in partner_lines:
                amount = currency._convert(line.amount, company.currency_id, company, self.date)
                accrued[line.moves[0].id] += amount
                for move in line.moves[1:]:
                    accrued.setdefault(move.id, 0.0)
        return dict(accrued)

    def _ar_charge_skips(self, plans):
        """One skip line per customer, level and reason a charge is not made (the plan's
        ``charge_note``), naming its invoices."""
        skips = defaultdict(list)
        notes = {}
        for p in plans:
            if p.charge_note:
                # a note is a function of an environment: the same text, the same line
                text = p.charge_note(self.env)
                notes.setdefault(text, p.charge_note)
                skips[p.partner_id, p.new_level, text].append(p.move_id)
        return [
            self._ar_history(partner_id, "skip", level, move_ids, note=notes[text])
            for (partner_id, level, text), move_ids in skips.items()
        ]

    def _ar_costs_lines(self, plans, lines):
        """Add to ``lines`` the costs of each claim of the batch, by the customer's rule and
        less what was charged on the claim before; returns the invoices charged and, per
        costs line, the 14-day letter that claimed it."""
        company = self.company_id
        Fee = self.env["ar.fee"]
        Move = self.env["account.move"]
        eur = self.env.ref("base.EUR")
        costs = defaultdict(list)  # claim -> [InvoicePlan]
        for p in plans:
            if p.charge_costs:
                costs[p.claim].append(p)
        claimed_before = self._ar_claimed_before(
            [claim[1] for claim in costs if claim[0] == "letter"]
        )
        charged, claim_of = [], {}
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
            charged += [p.move_id for p in claim_plans]
            if not currency.is_zero(amount):
                base = currency.round(sum(p.residual_currency for p in claim_plans))
                claim_moves = Move.browse([p.move_id for p in claim_plans])
                claim_of[tuple(claim_moves.ids)] = letter
                lines[partner, currency].append(FeeLine("costs", claim_moves, amount, base, steps))
        return charged, claim_of

    def _ar_interest_lines(self, plans, lines, level_of):
        """Add to ``lines`` the interest of each invoice charged interest, less what was
        charged on it before; returns the invoices charged, the skips for want of a rate
        (``{(partner_id, level, error): [move_id]}``) and the missing rates
        (``[(move_id, start, day, kind)]``)."""
        company = self.company_id
        Fee = self.env["ar.fee"]
        Move = self.env["account.move"]
        interest = [p for p in plans if p.charge_interest]
        charged_before = self._ar_interest_charged([p.move_id for p in interest])
        # the periods of each rate kind, read once for the batch
        kind_periods = functools.cache(self.env["ar.interest.rate"]._ar_periods)
        charged, missing = [], []
        no_rate = defaultdict(list)
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
                missing.append((p.move_id, p.interest_from, error.day, error.kind))
                self._ar_log(f"{move.name}: {error}")
                no_rate[partner.id, level_of[p.move_id], error.kind, error.day].append(move.id)
                continue
            accrued = currency.round(sum(s[4] for s in segments))
            before = charged_before.get(p.move_id, 0.0)
            amount = max(currency.round(accrued - before), 0.0)
            charged.append(p.move_id)
            if not currency.is_zero(amount):
                lines[partner, currency].append(
                    FeeLine("interest", move, amount, p.residual_currency, (segments, before))
                )
        return charged, no_rate, missing

    def _ar_post_fee_lines(self, batch, partner, currency, fee_lines, level_of, claim_of):
        """The fee invoice of a customer's lines in one currency, and a history line each."""
        env = self.with_context(lang=partner.lang or self.env.lang).env
        texts = [self.with_env(env)._ar_fee_text(*line) for line in fee_lines]
        fee_move = self._ar_create_fee_invoice(partner, currency, fee_lines, texts)
        history = []
        for line, (_label, computation) in zip(fee_lines, texts, strict=True):
            batch.counts.fee += 1
            history.append(
                self._ar_history(
                    partner.id,
                    "fee",
                    level_of.get(line.moves[0].id),
                    line.moves.ids,
                    fee_move_id=fee_move.id,
                    fee_amount=line.amount if line.kind == "costs" else 0.0,
                    interest_amount=line.amount if line.kind == "interest" else 0.0,
                    fee_currency_id=currency.id,
                    fee_base=line.base,
                    fee_computation=computation,
                    claim_history_id=line.kind == "costs" and claim_of.get(tuple(line.moves.ids)),
                )
            )
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
                    "ar_fee_kind": kind,
                }
            )
            for (kind, _moves, amount, _base, _detail), (label, _computation) in zip(
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
        # the run's own claim on a customer it may have put on hold: the server's decision
        with decided_by_system(fee_move):
            fee_move.action_post()
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
