# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Payments on their way (issue #29): the bank statement lines not matched yet that belong to
a customer. The run holds its reminder back while they cover what it is asked; when they
cover part of it, the statement (the reminder's open items, its QR code, the statement link)
lists them as received and asks only the rest."""

from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL


class ArFollowupStatement(models.AbstractModel):
    _inherit = "ar.followup.statement"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _ar_waiting_payments(self, company, partner_ids):
        """``{partner_id: [(line, date, currency_id, amount)]}``: the incoming statement lines
        of ``company`` not matched yet that belong to these customers, in the currency
        of one of their open invoices, not older than it (one query)."""
        if not partner_ids:
            return {}
        # what the query reads, not the whole cache: a run flushes its own writes later
        for model in ("account.bank.statement.line", "account.move", "res.partner.bank"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH inv AS (
                    SELECT m.id, m.commercial_partner_id AS partner_id, m.currency_id,
                           m.invoice_date,
                           -- numbers and references without their spaces, slashes, plus
                           -- signs (+++020/3430/57642+++ as the bank exports it: 020343057642)
                           UPPER(REGEXP_REPLACE(COALESCE(m.name, ''), '[^A-Za-z0-9]', '', 'g'))
                               AS number,
                           UPPER(REGEXP_REPLACE(COALESCE(m.payment_reference, ''), '[^A-Za-z0-9]',
                                              '', 'g')) AS ref
                      FROM account_move m
                     WHERE m.company_id = %(company)s AND m.move_type = 'out_invoice'
                       AND m.state = 'posted' AND m.amount_residual > 0
                       AND m.commercial_partner_id = ANY(%(partners)s)
                ), line AS (
                    SELECT l.id, mv.date, l.partner_id,
                           UPPER(REGEXP_REPLACE(COALESCE(l.account_number, ''),
                                                '[^A-Za-z0-9]', '', 'g')) AS account,
                           UPPER(REGEXP_REPLACE(COALESCE(l.payment_ref, '') || '|'
                                              || COALESCE(mv.ref, ''), '[^A-Za-z0-9|]', '',
                                              'g')) AS text,
                           COALESCE(l.foreign_currency_id, l.currency_id) AS currency_id,
                           -- what is not matched yet (the residual carries the sign of
                           -- the counterpart), in the line's own currency
                           CASE WHEN l.foreign_currency_id IS NULL THEN ABS(l.amount_residual)
                                ELSE l.amount_currency * ABS(l.amount_residual)
                                     / NULLIF(ABS(l.amount), 0)
                           END AS amount
                      FROM account_bank_statement_line l
                      JOIN account_move mv ON mv.id = l.move_id
                     WHERE l.company_id = %(company)s AND l.is_reconciled IS NOT TRUE
                       AND mv.state = 'posted' AND l.amount > 0 AND l.amount_residual <> 0
                )
                -- a line is one customer's: the partner it has (then only that one's), else
                -- a bank account of that customer alone, else the numbers or references of
                -- that customer's invoices in its text (a line naming two customers is
                -- nobody's: the bookkeeper matches it)
                SELECT line.id, MIN(inv.partner_id), line.date, line.currency_id, line.amount
                  FROM line
                  JOIN inv ON inv.currency_id = line.currency_id
                          AND line.date >= COALESCE(inv.invoice_date, line.date)
                  LEFT JOIN res_partner lp ON lp.id = line.partner_id
                 WHERE CASE WHEN lp.id IS NOT NULL
                            THEN lp.commercial_partner_id = inv.partner_id
                            ELSE (line.account <> '' AND ARRAY[inv.partner_id] = (
                                      SELECT ARRAY_AGG(DISTINCT bp.commercial_partner_id)
                                        FROM res_partner_bank b
                                        JOIN res_partner bp ON bp.id = b.partner_id
                                       WHERE b.active AND b.sanitized_acc_number = line.account))
                                 OR (LENGTH(inv.number) > 3
                                     AND POSITION(inv.number IN line.text) > 0)
                                 OR (LENGTH(inv.ref) > 5 AND POSITION(inv.ref IN line.text) > 0)
                        END
                 GROUP BY line.id, line.date, line.currency_id, line.amount
                HAVING COUNT(DISTINCT inv.partner_id) = 1
                 ORDER BY line.id
                """,
                company=company.id,
                partners=list(partner_ids),
            )
        )
        waiting = defaultdict(list)
        lines = self.env["account.bank.statement.line"].sudo()
        for line_id, partner_id, day, currency_id, amount in self.env.cr.fetchall():
            waiting[partner_id].append((lines.browse(line_id), day, currency_id, amount))
        return waiting
