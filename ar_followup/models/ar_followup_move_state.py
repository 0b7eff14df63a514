# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class ArFollowupMoveState(models.Model):
    """Where an invoice stands in the follow-up: the level it reached, when, and when the
    next one applies.

    It is a narrow table of its own rather than three columns of ``account_move``: a run
    updates the state of every invoice it looks at (on the first run after installing, all of
    them), and a row of ``account_move`` carries some thirty indexes, so that each update cost
    about 60 µs instead of 2 µs here, and locked the invoices that users were working on. The
    invoice shows the state through its fields ``ar_followup_level_id``,
    ``ar_last_followup_date`` and ``ar_next_followup_date``.
    """

    _name = "ar.followup.move.state"
    _description = "Follow-up State of an Invoice"
    _rec_name = "move_id"
    _log_access = False  # written in bulk by the runs; the history says who did what

    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade")
    level_id = fields.Many2one(
        "ar.followup.level",
        string="Follow-up level",
        ondelete="restrict",
        index="btree_not_null",
        help="The last follow-up level the invoice reached.",
    )
    last_date = fields.Date(
        string="Last follow-up",
        help="Date of the follow-up run in which the invoice reached its level.",
    )
    next_date = fields.Date(
        string="Next follow-up",
        help="Date from which the next follow-up level applies, as computed by the last run.",
    )

    previous_level_id = fields.Many2one(
        "ar.followup.level",
        ondelete="set null",
        help="The level before the last one: where the invoice goes back to when the reminder "
        "of its last level is not delivered.",
    )
    previous_date = fields.Date(help="When the invoice reached its previous level.")
    resume_date = fields.Date(
        string="Follow-up waits until",
        help="The invoice reaches no new level before this date: the grace period after a "
        "dispute about it was closed or its payment plan was cancelled.",
    )

    costs_date = fields.Date(
        string="Collection costs charged",
        help="When collection costs were charged for the invoice (once per invoice).",
    )
    interest_date = fields.Date(
        string="Interest charged up to",
        help="The last day up to which statutory interest was charged for the invoice.",
    )

    interest_missing = fields.Date(
        string="Interest waits for the rate of",
        help="No statutory interest rate was known for this day when the interest was due: "
        "the first run after the rate has been entered charges it.",
    )

    fee_accrued = fields.Float(
        string="Costs and interest accrued",
        digits="Account",
        help="Collection costs and interest computed on this invoice by the last run but not "
        "invoiced yet, in company currency: below the company's smallest fee invoice, they go "
        "with the customer's next fee invoice.",
    )

    _sql_constraints = [
        ("move_uniq", "unique (move_id)", "An invoice has one follow-up state."),
    ]

    @api.model
    def _ar_resume_after_grace(self, moves):
        """The follow-up of ``moves`` waits the company's grace period from today (a dispute
        about them was closed, their payment plan cancelled): no reminder lands on the
        customer right after the outcome."""
        moves = moves.filtered(lambda m: m.move_type == "out_invoice")
        if not moves:
            return
        self.flush_model()
        for company, company_moves in moves.grouped("company_id").items():
            until = fields.Date.context_today(self) + timedelta(days=company.ar_followup_grace_days)
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO ar_followup_move_state AS s (move_id, resume_date)
                    SELECT unnest(%s::int[]), %s
                        ON CONFLICT (move_id) DO UPDATE
                       SET resume_date = GREATEST(s.resume_date, EXCLUDED.resume_date)
                    """,
                    company_moves.ids,
                    until,
                )
            )
        self.invalidate_model()

    @api.model
    def _ar_store_levels(self, date, rows):
        """Store what a run of ``date`` decided, in one query: ``rows`` are
        ``(move_id, level_id or None, next_date)``; a level reached moves the one before to
        ``previous_level_id`` (where an undelivered reminder takes the invoice back)."""
        if not rows:
            return
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO ar_followup_move_state AS s (move_id, level_id, last_date, next_date)
                SELECT v.move_id, v.level_id,
                       CASE WHEN v.level_id IS NULL THEN NULL ELSE %(date)s END, v.next_date
                  FROM unnest(%(moves)s::int[], %(levels)s::int[], %(dates)s::date[])
                       AS v(move_id, level_id, next_date)
                    ON CONFLICT (move_id) DO UPDATE
                   SET level_id = COALESCE(EXCLUDED.level_id, s.level_id),
                       last_date = CASE WHEN EXCLUDED.level_id IS NULL
                                   THEN s.last_date ELSE %(date)s END,
                       previous_level_id = CASE WHEN EXCLUDED.level_id IS NULL
                                   THEN s.previous_level_id ELSE s.level_id END,
                       previous_date = CASE WHEN EXCLUDED.level_id IS NULL
                                   THEN s.previous_date ELSE s.last_date END,
                       next_date = EXCLUDED.next_date
                """,
                date=date,
                moves=[row[0] for row in rows],
                levels=[row[1] for row in rows],
                dates=[row[2] for row in rows],
            )
        )
        self._ar_invalidate()

    @api.model
    def _ar_store_charges(self, date, costs_move_ids, interest_move_ids, no_rate=()):
        """Store that a run of ``date`` charged costs for ``costs_move_ids`` and interest up
        to that day for ``interest_move_ids``; for ``no_rate`` (``[(move_id, start, day)]``,
        interest that could not be charged) that interest was charged up to the day it starts
        from (nothing) and waits for the rate of ``day`` (five statements at most)."""
        self.flush_model()
        rows = [
            ("costs_date", costs_move_ids, [date] * len(costs_move_ids)),
            ("interest_date", interest_move_ids, [date] * len(interest_move_ids)),
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
        self.invalidate_model(["costs_date", "interest_date", "interest_missing"])

    @api.model
    def _ar_refresh_partners(self, company, partners=None):
        """Recompute the level (highest over their open invoices) and the next follow-up date
        (earliest over them) of ``company``'s customers (all of them, or ``partners``), in one
        statement: after a run, and as soon as a payment settles invoices."""
        self.flush_model()
        self.env["account.move"].flush_model(["amount_residual", "state"])
        self.env["ar.customer.account"].flush_model()
        move_filter = account_scope = SQL()
        if partners is not None:
            ids = tuple(partners.ids) or (0,)
            move_filter = SQL("AND m.commercial_partner_id IN %s", ids)
            account_scope = SQL("AND a.partner_id IN %s", ids)
        # the accounts of the customers with open invoices get their level and next date
        # (created when missing), the others of the company lose theirs
        self.env.cr.execute(
            SQL(
                """
                WITH open_moves AS (
                    SELECT m.commercial_partner_id AS pid, s.level_id, s.next_date, l.delay
                      FROM account_move m
                      LEFT JOIN ar_followup_move_state s ON s.move_id = m.id
                      LEFT JOIN ar_followup_level l ON l.id = s.level_id
                     WHERE m.company_id = %(company)s AND m.move_type = 'out_invoice'
                       AND m.state = 'posted' AND m.amount_residual > 0 %(move_filter)s
                ), target AS (
                    SELECT pid,
                           (ARRAY_AGG(level_id ORDER BY delay DESC)
                                FILTER (WHERE level_id IS NOT NULL))[1] AS level_id,
                           MIN(next_date) AS next_date
                      FROM open_moves GROUP BY pid
                ), upsert AS (
                    INSERT INTO ar_customer_account AS a
                           (partner_id, company_id, followup_level_id, next_followup_date,
                            create_uid, create_date, write_uid, write_date)
                    SELECT pid, %(company)s, level_id, next_date,
                           %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                      FROM target
                        ON CONFLICT (partner_id, company_id) DO UPDATE
                       SET followup_level_id = EXCLUDED.followup_level_id,
                           next_followup_date = EXCLUDED.next_followup_date
                     WHERE (a.followup_level_id, a.next_followup_date)
                           IS DISTINCT FROM (EXCLUDED.followup_level_id,
                                             EXCLUDED.next_followup_date)
                )
                UPDATE ar_customer_account a
                   SET followup_level_id = NULL, next_followup_date = NULL
                 WHERE a.company_id = %(company)s
                   AND (a.followup_level_id IS NOT NULL OR a.next_followup_date IS NOT NULL)
                   AND NOT EXISTS (SELECT 1 FROM target t WHERE t.pid = a.partner_id)
                   %(account_scope)s
                """,
                company=company.id,
                uid=self.env.uid,
                move_filter=move_filter,
                account_scope=account_scope,
            )
        )
        self.env["ar.customer.account"].invalidate_model()
        self.env["ar.customer.account"]._ar_invalidate_partners()
        self._ar_invalidate()

    @api.model
    def _ar_settled(self, moves):
        """``moves`` (customer invoices) were just settled by a payment or a credit note:
        their customers' level and next date follow at once (what is still open decides),
        and the history says which invoices the follow-up had reached were paid (one line a
        customer; an invoice once, a payment taken back and matched again is not paid twice).
        The invoices keep their state: a payment taken back puts them where they were.
        Returns the history lines."""
        states = self.sudo().search([("move_id", "in", moves.ids)])
        if not states:
            return self.env["ar.followup.history"]
        reached = states.filtered("level_id").move_id
        if reached:
            named = (
                self.env["ar.followup.history"]
                .sudo()
                .search([("channel", "=", "payment"), ("move_ids", "in", reached.ids)])
                .move_ids
            )
            reached -= named
        History = self.env["ar.followup.history"]
        lines = []
        today = fields.Date.context_today(self)
        for company, company_moves in moves.grouped("company_id").items():
            partners = company_moves.commercial_partner_id
            self.with_company(company)._ar_refresh_partners(company, partners)
            for partner, paid in (reached & company_moves).grouped("commercial_partner_id").items():
                level = partner.with_company(company).sudo().ar_followup_level_id
                lines.append(
                    History._ar_line(
                        partner, "payment", today, company=company, level=level, moves=paid.ids
                    )
                )
            self._ar_close_paid_calls(company, partners)
        return History._ar_record(lines)

    @api.model
    def _ar_close_paid_calls(self, company, partners):
        """The follow-up activities (the call...) of customers the follow-up no longer
        chases (no level: what it reached is paid) are done: nothing is left to call about."""
        done = partners.with_company(company).sudo().filtered(lambda p: not p.ar_followup_level_id)
        if not done:
            return
        # the levels' own (the call), scheduled by the run
        types = (
            self.env["ar.followup.level"]
            .sudo()
            .search([("company_id", "=", company.id)])
            .activity_type_id
        )
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", done.ids),
                    ("activity_type_id", "in", types.ids),
                    ("automated", "=", True),
                ]
            )
        )
        if activities:
            activities.action_feedback(
                feedback=self.env["ar.customer.account"]._ar_one_language_text(
                    lambda env: env._("Paid: nothing left to follow up.")
                )
            )

    @api.model
    def _ar_store_accrued(self, charged_ids, accrued):
        """What a run charged (``charged_ids``) accrues nothing any more; ``accrued`` is
        ``{move_id: amount in company currency}`` computed but not invoiced (two statements)."""
        self.flush_model()
        if charged_ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE ar_followup_move_state SET fee_accrued = NULL"
                    " WHERE move_id = ANY(%s) AND fee_accrued IS NOT NULL",
                    list(charged_ids),
                )
            )
        if accrued:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO ar_followup_move_state AS s (move_id, fee_accrued)
                    SELECT * FROM unnest(%s::int[], %s::numeric[])
                        ON CONFLICT (move_id) DO UPDATE SET fee_accrued = EXCLUDED.fee_accrued
                    """,
                    list(accrued),
                    list(accrued.values()),
                )
            )
        self.invalidate_model(["fee_accrued"])
        self.env["ar.customer.account"].invalidate_model(["fees_accrued"])

    @api.model
    def _ar_reopened(self, moves):
        """A payment of ``moves`` was taken back (unmatched), or they were settled otherwise
        than by a payment (written off): their customers' level and next date follow at
        once."""
        moves = moves.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        if not moves or not self.sudo().search_count([("move_id", "in", moves.ids)], limit=1):
            return
        for company, company_moves in moves.grouped("company_id").items():
            self.with_company(company)._ar_refresh_partners(
                company, company_moves.commercial_partner_id
            )

    @api.model
    def _ar_invalidate(self):
        """After SQL on the states: the cache of the states and of the invoice fields that
        show them."""
        self.invalidate_model()
        self.env["account.move"].invalidate_model(
            [
                "ar_followup_state_ids",
                "ar_followup_level_id",
                "ar_last_followup_date",
                "ar_next_followup_date",
            ]
        )
