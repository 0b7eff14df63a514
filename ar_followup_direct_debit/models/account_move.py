# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""An invoice collected by SEPA direct debit (OCA's payment mode, mandate and payment order)
is not chased while it is being collected: its payment mode debits (SEPA direct debit), its
mandate is valid, no debit of it was returned, and it sits in a payment order not done yet
or its collection date (the payment order's date, else its due date) is within the return
window (company settings: working days, CORE or B2B by the mandate's scheme). One SQL
definition, :meth:`_ar_dd_collecting_sql`, for the run's candidates, the statement's lines
(shown as collected, not asked), the QR code, Pay all and the portal's Pay Now.

A debit the bank returned (OCA's payment return) opens the invoice again: its date and
reason are kept on the invoice and it is chased at once."""

from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, format_date

from odoo.addons.ar_followup.models.ar_followup_run_listen import subtract_working_days
from odoo.addons.ar_followup.models.res_partner import ACCOUNT_GROUPS

from ..tools.channels import channel_words, company_env
from ..tools.return_reasons import reason_words

# a payment order not done yet holds the invoice out of the ladder whatever its date
ORDER_PENDING = ("draft", "open", "generated")
# what the bank's return recorded: the system's (a client may not write it)
SYSTEM_FIELDS = {
    "ar_dd_returned_date",
    "ar_dd_return_reason_id",
    "ar_dd_recollect_date",
    # OCA's flag, which the ladder and the portal read: set by the return (its own methods,
    # run as the system below), never by a client
    "returned_payment",
}
# the new collection date a customer picks after a return: from 5 to 30 days ahead
RECOLLECT_MIN_DAYS = 5
RECOLLECT_MAX_DAYS = 30


class AccountMove(models.Model):
    _inherit = "account.move"

    ar_dd_returned_date = fields.Date(
        string="Direct debit returned on",
        readonly=True,
        copy=False,
        help="The customer's bank returned the direct debit of this invoice on this date: it "
        "is chased again.",
        groups=ACCOUNT_GROUPS,
    )
    ar_dd_return_reason_id = fields.Many2one(
        "payment.return.reason",
        string="Return reason",
        readonly=True,
        copy=False,
        groups=ACCOUNT_GROUPS,
    )
    ar_dd_recollect_date = fields.Date(
        string="Collect again on",
        readonly=True,
        copy=False,
        help="After the return, the customer asked on its statement page to be debited again "
        "on this date: the invoice is not chased until then (plus the return window).",
        groups=ACCOUNT_GROUPS,
    )

    @api.constrains("mandate_id", "partner_id")
    def _check_ar_dd_mandate_partner(self):
        for move in self.filtered("mandate_id"):
            mandate_partner = move.sudo().mandate_id.partner_id.commercial_partner_id
            if mandate_partner != move.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The mandate of %(invoice)s is %(partner)s's, not its customer's.",
                        invoice=move.display_name,
                        partner=mandate_partner.display_name,
                    )
                )

    def _ar_dd_check_system_fields(self, vals_list):
        if not self.env.su and any(SYSTEM_FIELDS.intersection(vals) for vals in vals_list):
            raise AccessError(
                self.env._("A returned direct debit is recorded by the payment return itself.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._ar_dd_check_system_fields(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._ar_dd_check_system_fields([vals])
        return super().write(vals)

    @api.model
    def _ar_dd_collect_date_sql(self, company, alias="m"):
        """SQL: the date the direct debit of invoice ``alias`` of ``company`` collects it:
        the latest date of its payment lines in an order not cancelled, else its due date,
        but not before the pre-notification's days after the invoice's date."""
        latest_line = SQL(
            """(SELECT MAX(pl.date)
                  FROM account_payment_line pl
                  JOIN account_move_line aml ON aml.id = pl.move_line_id
                 WHERE aml.move_id = %(m)s.id AND pl.state <> 'cancel')""",
            m=SQL.identifier(alias),
        )
        return SQL(
            """CASE WHEN %(m)s.ar_dd_recollect_date IS NOT NULL
                    THEN GREATEST(%(m)s.ar_dd_recollect_date,
                                  COALESCE(%(line)s, %(m)s.ar_dd_recollect_date))
                    ELSE COALESCE(%(line)s, GREATEST(%(m)s.invoice_date_due,
                                                     %(m)s.invoice_date + %(prenotice)s::integer))
               END""",
            m=SQL.identifier(alias),
            line=latest_line,
            prenotice=company.ar_dd_prenotice_days,
        )

    @api.model
    def _ar_dd_collecting_sql(self, date, company, alias="m"):
        """SQL condition: invoice ``alias`` of ``company`` is being collected by direct debit
        at ``date`` (see the module's description)."""
        core = subtract_working_days(date, company.ar_dd_return_days_core)
        b2b = subtract_working_days(date, company.ar_dd_return_days_b2b)
        return SQL(
            """((%(m)s.returned_payment IS NOT TRUE OR %(m)s.ar_dd_recollect_date IS NOT NULL)
                AND %(m)s.mandate_id IS NOT NULL
                AND EXISTS (
                    SELECT 1
                      FROM account_banking_mandate bm
                      JOIN account_payment_mode pmo ON pmo.id = %(m)s.payment_mode_id
                      JOIN account_payment_method pme ON pme.id = pmo.payment_method_id
                     WHERE bm.id = %(m)s.mandate_id AND bm.state = 'valid'
                       AND pme.code = 'sepa_direct_debit'
                       AND (EXISTS (SELECT 1
                                      FROM account_payment_line pl
                                      JOIN account_move_line aml ON aml.id = pl.move_line_id
                                     WHERE aml.move_id = %(m)s.id AND pl.state IN %(pending)s)
                            OR %(collect)s >= CASE WHEN bm.scheme = 'B2B' THEN %(b2b)s
                                                  ELSE %(core)s END)))""",
            m=SQL.identifier(alias),
            pending=ORDER_PENDING,
            collect=self._ar_dd_collect_date_sql(company, alias),
            b2b=b2b,
            core=core,
        )

    @api.model
    def _ar_dd_collections(self, date, move_ids, company=None):
        """``{invoice id: collection date}`` of the invoices of ``move_ids`` (of ``company``;
        default: theirs, read in one more query) being collected by direct debit at
        ``date``: one query per company."""
        if not move_ids:
            return {}
        for model in ("account.move", "account.payment.line", "account.banking.mandate"):
            self.env[model].flush_model()
        if company is None:
            self.env.cr.execute(
                "SELECT DISTINCT company_id FROM account_move WHERE id = ANY(%s)",
                [list(move_ids)],
            )
            companies = self.env["res.company"].browse([row[0] for row in self.env.cr.fetchall()])
        else:
            companies = company
        result = {}
        for each in companies:
            self.env.cr.execute(
                SQL(
                    """SELECT m.id, %(collect)s
                         FROM account_move m
                        WHERE m.id = ANY(%(ids)s) AND m.company_id = %(company)s
                          AND %(collecting)s""",
                    collect=self._ar_dd_collect_date_sql(each),
                    ids=list(move_ids),
                    company=each.id,
                    collecting=self._ar_dd_collecting_sql(date, each),
                )
            )
            result.update(self.env.cr.fetchall())
        return result

    def _ar_dd_last_collection(self, date, company):
        """When every invoice of ``self`` (open invoices of ``company``) is being collected by
        direct debit at ``date``: the last collection date; else ``False``."""
        collections = self._ar_dd_collections(date, self.ids, company)
        if not self or len(collections) < len(self):
            return False
        return max(collections.values())

    def _ar_dd_collected_on(self, date=None):
        """The date the direct debit collects this invoice, or ``False`` when it is not being
        collected (at ``date``, default today)."""
        self.ensure_one()
        move = self.sudo()
        date = date or fields.Date.context_today(move.with_company(move.company_id))
        return move._ar_dd_collections(date, move.ids, move.company_id).get(move.id, False)

    def _ar_dd_prenotice(self):
        """What the invoice announces of its direct debit (its PDF and portal page): the
        amount, the collection date, the customer's account (masked), the mandate and the
        creditor identifier; ``None`` when it is not collected by direct debit."""
        self.ensure_one()
        move = self.sudo()
        if not (
            move.move_type == "out_invoice"
            and move.state == "posted"
            and move.mandate_id.state == "valid"
            and move.payment_mode_id.payment_method_id.code == "sepa_direct_debit"
            and not move.returned_payment
            and move.invoice_date_due
        ):
            return None
        days = move.company_id.ar_dd_prenotice_days
        collect = max(move.invoice_date_due, (move.invoice_date or move.date) + timedelta(days))
        iban = move.mandate_id.partner_bank_id.sanitized_acc_number or ""
        return {
            "amount": move.amount_residual,
            "date": collect,
            "account": f"{iban[:4]} **** {iban[-4:]}" if len(iban) > 8 else iban,
            "mandate": move.mandate_id.unique_mandate_reference,
            "creditor": move.company_id.sepa_creditor_identifier,
        }

    def _ar_paid_otherwise(self):
        # not paid online while the bank is debiting it (paid twice otherwise)
        return super()._ar_paid_otherwise() or bool(self._ar_dd_collected_on())

    def _ar_dd_recollectable(self):
        """The invoices of ``self`` whose returned debit the customer may have collected
        again: open, returned, no new date asked yet, under a mandate still valid."""
        return self.sudo().filtered(
            lambda m: (
                m.returned_payment
                and not m.ar_dd_recollect_date
                and m.mandate_id.state == "valid"
                and m.payment_mode_id.payment_method_id.code == "sepa_direct_debit"
                and not m.currency_id.is_zero(m.amount_residual)
            )
        )

    def _ar_dd_ask_recollect(self, day, channel):
        """The customer asks, on its statement page, that this returned invoice be debited
        again on ``day``: ``None``, or the sentence why not (nothing stored). The
        credit-control manager gets an activity to put it in a direct debit order."""
        self.ensure_one()
        move = self.sudo()
        today = fields.Date.context_today(move.with_company(move.company_id))
        if not move._ar_dd_recollectable():
            return self.env._("This invoice cannot be collected again by direct debit.")
        first = today + timedelta(days=RECOLLECT_MIN_DAYS)
        last = today + timedelta(days=RECOLLECT_MAX_DAYS)
        if not day or not first <= day <= last:
            return self.env._(
                "Choose a date from %(first)s to %(last)s.",
                first=format_date(self.env, first),
                last=format_date(self.env, last),
            )
        move.write({"ar_dd_recollect_date": day})
        # out of the ladder until then: its next follow-up date goes, at once (the customer's
        # next date follows), not at the next run
        states = self.env["ar.followup.move.state"].sudo().search([("move_id", "=", move.id)])
        states.next_date = False
        states.with_company(move.company_id)._ar_refresh_partners(
            move.company_id, move.commercial_partner_id
        )
        # the chatter in the company's language, the activity in its manager's: not in the
        # language of the customer's page
        company_words = company_env(self.env, move.company_id)
        move._message_log(
            body=Markup("<p>%s</p>")
            % company_words._(
                "The customer asked (%(channel)s) to be debited again on %(date)s.",
                channel=channel_words(company_words, channel),
                date=format_date(company_words, day),
            )
        )
        manager = move.company_id._ar_credit_manager()
        staff = self.with_context(lang=manager.lang).env
        # asked by the customer (statement link, portal): assigned by the system, whose
        # assignment e-mail has a sender address (the customer's user may have none)
        scheduler = move.with_user(SUPERUSER_ID) if self.env.user.share else move
        scheduler.with_context(lang=manager.lang).activity_schedule(
            "ar_followup_direct_debit.mail_activity_type_recollect",
            date_deadline=day - timedelta(days=2),
            user_id=manager.id,
            note=staff._(
                "Put %(invoice)s in a direct debit order to be collected on %(date)s.",
                invoice=move.name,
                date=format_date(staff, day),
            ),
        )
        return None

    def _ar_dd_statement_url(self):
        """The customer's statement link (made or renewed now), where it pays or picks the
        day of a new debit: what the returned debit's e-mail links to."""
        self.ensure_one()
        move = self.sudo()
        today = fields.Date.context_today(move.with_company(move.company_id))
        links = (
            self.env["ar.statement.link"]
            .sudo()
            ._ar_links(move.commercial_partner_id, move.company_id, today)
        )
        return links[move.commercial_partner_id.id]._ar_url()

    def _ar_dd_return_reason_text(self):
        """The reason the bank returned the debit, in plain words in the language of the
        environment (the customer's, when its e-mail renders), else the bank's own."""
        self.ensure_one()
        reason = self.sudo().ar_dd_return_reason_id
        return reason_words(self.env, reason.code) or reason.name or self.env._("not given")

    def _ar_dd_notify_return(self):
        """The e-mail of a returned debit to the customer of each of these invoices, at once:
        rendered as the reminders are (the template's own body, no notification layout),
        queued in Odoo's mail queue, kept in the customer's chatter (a reply reaches the
        follow-up there) and in its follow-up history with its delivery state; the
        invoice's chatter says it was queued, not sent."""
        template = self.env.ref("ar_followup_direct_debit.mail_template_debit_returned").sudo()
        History = self.env["ar.followup.history"]
        Mail = self.env["mail.mail"].sudo()
        lines = []
        for move in self.sudo():
            customer = move.commercial_partner_id
            mail = Mail.browse(
                template.send_mail(
                    move.id, email_values={"model": "res.partner", "res_id": customer.id}
                )
            )
            staff = company_env(self.env, move.company_id)
            move.message_post(
                body=staff._(
                    "Direct debit returned by the bank on %(date)s: %(reason)s (%(code)s). "
                    "The e-mail that tells %(customer)s is queued (its delivery shows in the "
                    "follow-up history).",
                    date=format_date(staff, move.ar_dd_returned_date),
                    reason=move.with_env(staff)._ar_dd_return_reason_text(),
                    code=move.ar_dd_return_reason_id.code or "-",
                    customer=customer.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            lines.append(
                History._ar_line(
                    customer,
                    "email",
                    fields.Date.context_today(move.with_company(move.company_id)),
                    company=move.company_id,
                    moves=move.ids,
                    mail_id=mail.id,
                    message_id=mail.mail_message_id.id,
                    delivery_state="queued",
                    note=lambda env, move=move: env._(
                        "Direct debit of %(invoice)s returned by the bank: %(reason)s",
                        invoice=move.name,
                        reason=move.with_env(env)._ar_dd_return_reason_text(),
                    ),
                )
            )
        History._ar_record(lines)

    def _payment_returned(self, return_line):
        """OCA: the debit of these invoices was returned by the bank (``return_line``): its
        date and reason kept on them, a new debit date asked before forgotten."""
        res = super(AccountMove, self.sudo())._payment_returned(return_line)
        self.sudo().write(
            {
                # the return's date: a bank file's line carries the collection date
                "ar_dd_returned_date": return_line.return_id.date or return_line.date,
                "ar_dd_return_reason_id": return_line.reason_id.id,
                "ar_dd_recollect_date": False,
            }
        )
        return res

    def check_payment_return(self):
        # OCA's recount of the returned flag, when a return is cancelled
        return super(AccountMove, self.sudo()).check_payment_return()
