# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import operator
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    ar_followup_policy_id = fields.Many2one(
        "ar.followup.policy",
        string="Follow-up policy",
        company_dependent=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Ladder of follow-up levels for this customer; empty: the company's default policy.",
    )
    ar_followup_level_id = fields.Many2one(
        "ar.followup.level",
        string="Follow-up level",
        company_dependent=True,
        readonly=True,
        help="The highest follow-up level reached by the customer's open invoices.",
    )
    ar_next_followup_date = fields.Date(
        string="Next follow-up",
        company_dependent=True,
        readonly=True,
        help="Earliest date at which one of the customer's open invoices reaches its next level.",
    )
    ar_followup_responsible_id = fields.Many2one(
        "res.users",
        string="Follow-up responsible",
        company_dependent=True,
        help="Account manager who gets the follow-up call activities; empty: the salesperson.",
    )
    ar_credit_hold = fields.Boolean(
        string="On credit hold",
        company_dependent=True,
        readonly=True,
        help="Set when the customer reaches a follow-up level that puts it on hold.",
    )
    ar_credit_hold_reason = fields.Char(
        string="Credit hold reason", company_dependent=True, readonly=True
    )
    ar_followup_paused_until = fields.Date(
        string="Follow-up paused until",
        company_dependent=True,
        help="No reminder goes to this customer up to and including this date.",
    )
    ar_followup_history_ids = fields.One2many(
        "ar.followup.history", "partner_id", string="Follow-up actions", readonly=True
    )
    ar_company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_ar_company_currency_id"
    )
    ar_amount_due = fields.Monetary(
        string="Amount due",
        compute="_compute_ar_amounts",
        search="_search_ar_amount_due",
        currency_field="ar_company_currency_id",
        help="Open receivable balance in company currency, net of credit notes and unapplied "
        "payments.",
    )
    ar_amount_overdue = fields.Monetary(
        string="Amount overdue",
        compute="_compute_ar_amounts",
        search="_search_ar_amount_overdue",
        currency_field="ar_company_currency_id",
        help="Open amount, in company currency, of the receivable items past their due date.",
    )
    ar_oldest_overdue_days = fields.Integer(
        string="Oldest overdue (days)",
        compute="_compute_ar_amounts",
        help="Days past due of the customer's oldest overdue open item.",
    )
    ar_open_move_ids = fields.Many2many(
        "account.move",
        string="Open items",
        compute="_compute_ar_open_move_ids",
        help="Posted customer invoices and credit notes with an open amount.",
    )
    ar_followup_contact_ids = fields.Many2many(
        "res.partner",
        string="Reminders go to",
        compute="_compute_ar_followup_contact_ids",
        help="The invoice-address contacts with an e-mail address, else the customer itself.",
    )
    ar_followup_partner_to = fields.Char(compute="_compute_ar_followup_contact_ids")
    ar_has_followup_email = fields.Boolean(
        string="Has a reminder e-mail address",
        compute="_compute_ar_followup_contact_ids",
        search="_search_ar_has_followup_email",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _ar_date(self):
        return fields.Date.to_date(self.env.context.get("ar_followup_date")) or (
            fields.Date.context_today(self)
        )

    @api.depends_context("company")
    def _compute_ar_company_currency_id(self):
        self.ar_company_currency_id = self.env.company.currency_id

    def _ar_receivable_query(self, date, company, partner_ids=None, having=None):
        """One query: per commercial partner, the open receivable balance, the overdue open
        amount and the oldest overdue days at ``date``, in company currency."""
        overdue = SQL("COALESCE(l.date_maturity, l.date) < %s AND l.amount_residual > 0", date)
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id,
                   SUM(l.amount_residual) AS amount_due,
                   COALESCE(SUM(l.amount_residual) FILTER (WHERE %(overdue)s), 0) AS amount_overdue,
                   COALESCE(MAX(%(date)s - COALESCE(l.date_maturity, l.date))
                            FILTER (WHERE %(overdue)s), 0) AS oldest_days
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s
               AND l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable'
               AND NOT l.reconciled
               %(partner_filter)s
             GROUP BY p.commercial_partner_id
             %(having)s
            """,
            overdue=overdue,
            date=date,
            company=company.id,
            partner_filter=SQL("AND p.commercial_partner_id IN %s", tuple(partner_ids))
            if partner_ids is not None
            else SQL(),
            having=having or SQL(),
        )

    @api.depends_context("company", "ar_followup_date")
    def _compute_ar_amounts(self):
        ids = tuple(self._origin.commercial_partner_id.ids)
        figures = {}
        if ids:
            self.env.cr.execute(self._ar_receivable_query(self._ar_date(), self.env.company, ids))
            figures = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for partner in self:
            due, overdue, days = figures.get(partner._origin.commercial_partner_id.id, (0, 0, 0))
            partner.ar_amount_due = due
            partner.ar_amount_overdue = overdue
            partner.ar_oldest_overdue_days = days

    def _ar_search_amount(self, column, operator_, value):
        if operator_ not in OPERATORS:
            raise UserError(self.env._("Operation not supported: %s", operator_))
        value = value or 0.0
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(self._ar_receivable_query(self._ar_date(), self.env.company))
        index = {"amount_due": 1, "amount_overdue": 2}[column]
        compare = OPERATORS[operator_]
        rows = self.env.cr.fetchall()
        if compare(0.0, value):
            # partners without open items count as 0 and match: exclude the others
            return [
                (
                    "id",
                    "not in",
                    [row[0] for row in rows if not compare(row[index], value)],
                )
            ]
        return [("id", "in", [row[0] for row in rows if compare(row[index], value)])]

    def _search_ar_amount_due(self, operator_, value):
        return self._ar_search_amount("amount_due", operator_, value)

    def _search_ar_amount_overdue(self, operator_, value):
        return self._ar_search_amount("amount_overdue", operator_, value)

    @api.depends_context("company")
    def _compute_ar_open_move_ids(self):
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", self._origin.commercial_partner_id.ids),
                ("company_id", "=", self.env.company.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("amount_residual", "!=", 0),
            ],
            order="invoice_date_due, name, id",
        )
        by_partner = {}
        for move in moves:
            by_partner.setdefault(move.commercial_partner_id.id, []).append(move.id)
        for partner in self:
            partner.ar_open_move_ids = [
                fields.Command.set(by_partner.get(partner._origin.commercial_partner_id.id, []))
            ]

    @api.depends("email", "child_ids.type", "child_ids.email", "child_ids.active")
    def _compute_ar_followup_contact_ids(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            contacts = (commercial | commercial.child_ids).filtered(
                lambda c: c.type == "invoice" and c.email
            )
            if not contacts and commercial.email:
                contacts = commercial
            partner.ar_followup_contact_ids = contacts
            partner.ar_followup_partner_to = ",".join(str(pid) for pid in contacts.ids)
            partner.ar_has_followup_email = bool(contacts)

    def _search_ar_has_followup_email(self, operator_, value):
        if operator_ not in ("=", "!="):
            raise UserError(self.env._("Operation not supported: %s", operator_))
        with_email = [
            "|",
            ("email", "!=", False),
            "&",
            ("child_ids.type", "=", "invoice"),
            ("child_ids.email", "!=", False),
        ]
        positive = (operator_ == "=") == bool(value)
        return with_email if positive else ["!"] + with_email

    # ------------------------------------------------------------------
    # Statement of open items (reminder e-mails, preview)
    # ------------------------------------------------------------------

    def _ar_followup_statements(self, date, chased_move_ids=()):
        """The open items of the commercial partners in ``self`` for ``env.company`` at
        ``date``, with two searches for all of them.

        :returns: ``{partner_id: {'lines': [...], 'totals': [...], 'date', 'company', 'bank'}}``;
            each line has the move (or payment line), its amounts signed from the customer's
            point of view (credits negative), its days overdue and whether it is overdue and
            chased in this run; totals are per currency.
        """
        company = self.env.company
        partner_ids = self.commercial_partner_id.ids
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", partner_ids),
                ("company_id", "=", company.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("amount_residual", "!=", 0),
            ],
            order="invoice_date_due, name, id",
        )
        self._ar_ensure_portal_tokens(moves)
        payments = self.env["account.move.line"].search(
            [
                ("partner_id.commercial_partner_id", "in", partner_ids),
                ("company_id", "=", company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("amount_residual", "<", 0),
                ("move_id.move_type", "=", "entry"),
            ],
            order="date, id",
        )
        chased = set(chased_move_ids)
        bank = company.partner_id.bank_ids[:1]
        statements = {
            pid: {
                "lines": [],
                "totals": [],
                "date": date,
                "company": company,
                "bank": bank,
            }
            for pid in partner_ids
        }
        totals = defaultdict(lambda: {"open": 0.0, "overdue": 0.0})

        def add(pid, line):
            statements[pid]["lines"].append(line)
            total = totals[pid, line["currency"]]
            total["open"] += line["amount_residual"]
            if line["overdue"]:
                total["overdue"] += line["amount_residual"]

        for move in moves:
            sign = -1 if move.move_type == "out_refund" else 1
            due = move.invoice_date_due or move.invoice_date or move.date
            days = (date - due).days
            overdue = sign > 0 and days > 0
            add(
                move.commercial_partner_id.id,
                {
                    "move": move,
                    "kind": "invoice" if sign > 0 else "credit_note",
                    "number": move.name,
                    "date": move.invoice_date or move.date,
                    "due_date": due,
                    "days_overdue": max(days, 0) if sign > 0 else 0,
                    "overdue": overdue,
                    "chased": move.id in chased,
                    "excluded": bool(move.ar_followup_excluded),
                    "amount_total": sign * move.amount_total,
                    "amount_residual": sign * move.amount_residual,
                    "currency": move.currency_id,
                    "payment_reference": move.payment_reference or move.name,
                    "portal_url": move.get_base_url() + move.get_portal_url()
                    if sign > 0
                    else False,
                },
            )
        for line in payments:
            currency = line.currency_id or company.currency_id
            residual = line.amount_residual_currency if line.currency_id else line.amount_residual
            add(
                line.partner_id.commercial_partner_id.id,
                {
                    "move": line.move_id,
                    "kind": "payment",
                    "number": line.move_id.name,
                    "date": line.date,
                    "due_date": line.date,
                    "days_overdue": 0,
                    "overdue": False,
                    "chased": False,
                    "excluded": False,
                    "amount_total": residual,
                    "amount_residual": residual,
                    "currency": currency,
                    "payment_reference": line.move_id.ref or line.move_id.name,
                    "portal_url": False,
                },
            )
        for (pid, currency), total in sorted(
            totals.items(), key=lambda kv: (kv[0][0], kv[0][1].name)
        ):
            statements[pid]["totals"].append({"currency": currency, **total})
        return statements

    @api.model
    def _ar_ensure_portal_tokens(self, moves):
        """Give the invoices without one an access token, in one query (the reminder links
        every invoice to its portal page)."""
        missing = moves.filtered(lambda m: not m.access_token)
        if missing:
            self.env.cr.execute(
                SQL(
                    "UPDATE account_move SET access_token = gen_random_uuid()::text "
                    "WHERE id IN %s AND access_token IS NULL",
                    tuple(missing.ids),
                )
            )
            missing.invalidate_recordset(["access_token", "access_url"])

    def _ar_followup_statement(self):
        """The statement of this customer, for the reminder templates: the one computed by the
        running follow-up for its whole batch, else computed now."""
        self.ensure_one()
        partner = self.commercial_partner_id
        statements = self.env.context.get("ar_followup_statements") or {}
        if partner.id in statements:
            return statements[partner.id]
        return partner._ar_followup_statements(self._ar_date())[partner.id]

    def _ar_portal_url(self):
        """Where the customer sees and pays its invoices."""
        self.ensure_one()
        return self.get_base_url() + "/my/invoices"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_ar_send_reminder(self):
        """'Send reminder now': the follow-up run, with the same rules, for these customers."""
        run = self.env["ar.followup.run"].process(partners=self)
        if run.email_count or run.activity_count or run.hold_count or run.skip_count:
            message = self.env._(
                "%(emails)s e-mail(s) queued, %(activities)s activity(ies) scheduled, "
                "%(holds)s credit hold(s), %(skips)s skipped.",
                emails=run.email_count,
                activities=run.activity_count,
                holds=run.hold_count,
                skips=run.skip_count,
            )
            kind = "success"
        else:
            message = self.env._(
                "Nothing to send today: no open invoice of this customer has reached its next "
                "follow-up level (or the follow-up is paused)."
            )
            kind = "info"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Follow-up"),
                "message": message,
                "type": kind,
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_ar_preview_reminder(self):
        self.ensure_one()
        wizard = self.env["ar.followup.preview"].create(
            {"partner_id": self.commercial_partner_id.id}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reminder preview"),
            "res_model": "ar.followup.preview",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_ar_open_items(self):
        """The open receivable items behind the amounts due and overdue."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open items of %s", self.commercial_partner_id.display_name),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("account.view_move_line_tree").id, "list"),
                (False, "form"),
            ],
            "domain": [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ],
            "context": {"search_default_group_by_move": 0, "create": False},
        }

    def action_ar_open_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_followup.action_ar_followup_history"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
