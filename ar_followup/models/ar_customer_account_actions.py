# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a bookkeeper does from a customer's account: send a reminder now, preview it, send
the statement, open the items, the history and the disputes, log a promise, propose a payment
plan, hand the claim to an agency, put the customer on hold or lift it, open the documents
behind its exposure. Each acts in the account's company (the user switches to it first); the
ones other screens use too (the worklist, the aging, an activity, the partner's list) are
model methods taking the customer."""

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"  # pylint: disable=consider-merging-classes-inherited

    def _ar_acting(self):
        """The account acted on: one, of the current company."""
        self.ensure_one()
        if self.company_id != self.env.company:
            raise UserError(
                self.env._(
                    "Switch to the company %(company)s to act on this customer account.",
                    company=self.company_id.display_name,
                )
            )
        return self.partner_id

    # -- sending -----------------------------------------------------------------------

    @api.model
    def _ar_send_reminders(self, partners):
        """'Send reminder now': the follow-up run, with the same rules, for ``partners``."""
        run = self.env["ar.followup.run"].process(partners=partners)
        return run._ar_by_hand_notification(partners)

    def action_ar_send_reminder(self):
        return self._ar_send_reminders(self._ar_acting())

    def action_ar_preview_reminder(self):
        wizard = self.env["ar.followup.preview"].create({"partner_id": self._ar_acting().id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reminder preview"),
            "res_model": "ar.followup.preview",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_ar_send_statement(self):
        return self._ar_send_statements(self._ar_acting())

    @api.model
    def _ar_send_statements(self, partners):
        """Send the statement of open items now, outside the ladder (no level, no costs, no
        legal term): one e-mail a customer with the statement PDF, logged in the follow-up
        history with its delivery state."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only billing users can send statements."))
        partners.check_access("read")
        customers = partners.commercial_partner_id.with_company(self.env.company)
        template = self.env.ref("ar_followup.mail_template_statement")
        contacts = self._ar_contacts_of(customers)
        sendable = customers.filtered(lambda p: contacts[p.id])
        mails = self.env["mail.mail"]
        for account in self._ar_of(sendable).with_env(self.env):
            # rendered on the account, kept in the customer's chatter (replies go there)
            customer = {"model": "res.partner", "res_id": account.partner_id.id}
            mails |= mails.browse(template.send_mail(account.id, email_values=customer))
        History = self.env["ar.followup.history"]
        History._ar_record(
            [
                History._ar_line(
                    mail.res_id,
                    "statement",
                    fields.Date.context_today(self),
                    mail_id=mail.id,
                    message_id=mail.mail_message_id.id,
                    delivery_state="queued",
                    user_id=self.env.uid,
                )
                for mail in mails
            ]
        )
        missing = customers - sendable
        message = self.env._(
            "%(count)s statement(s) queued for sending (their delivery shows in the follow-up "
            "history).",
            count=len(mails),
        )
        if missing:
            message += " " + self.env._(
                "No e-mail address for: %(names)s.",
                names=", ".join(missing.mapped("display_name")),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Statement of account"),
                "message": message,
                "type": "warning" if missing else "success",
                "sticky": bool(missing),
            },
        }

    # -- what is behind the figures ----------------------------------------------------

    @api.model
    def _ar_open_items_action(self, partner):
        """The open receivable items of ``partner`` in the current company, behind the
        amounts due and overdue."""
        customer = partner.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open items of %s", customer.display_name),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("account.view_move_line_tree").id, "list"),
                (False, "form"),
            ],
            "domain": [
                ("partner_id", "child_of", customer.id),
                ("company_id", "=", self.env.company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ],
            "context": {"search_default_group_by_move": 0, "create": False},
        }

    def action_ar_open_items(self):
        return self._ar_open_items_action(self._ar_acting())

    def action_ar_open_history(self):
        partner = self._ar_acting()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_followup.action_ar_followup_history"
        )
        action["domain"] = [
            ("partner_id", "=", partner.id),
            ("company_id", "=", self.company_id.id),
        ]
        action["context"] = {}
        return action

    def action_ar_view_disputes(self):
        partner = self._ar_acting()
        action = self.env["ir.actions.act_window"]._for_xml_id("ar_followup.action_ar_dispute")
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    def action_ar_open_exposure(self):
        """The documents behind the exposure: open receivable items and draft invoices."""
        partner = self._ar_acting()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Exposure of %s", partner.display_name),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "child_of", self.env.company.root_id.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                "|",
                ("state", "=", "draft"),
                "&",
                ("state", "=", "posted"),
                ("amount_residual", "!=", 0),
            ],
            "context": {"create": False},
        }

    # -- promises, plans, the agency ---------------------------------------------------

    @api.model
    def _ar_promise_action(self, partner):
        """The promise to pay of ``partner``, for its overdue amount by default."""
        customer = partner.commercial_partner_id
        overdue = self._ar_receivables_of(customer.ids, self.env.company).get(customer.id)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promise to pay"),
            "res_model": "ar.promise.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": customer.id,
                "default_promise_amount": overdue.amount_asked if overdue else 0.0,
            },
        }

    def action_ar_log_promise(self):
        return self._ar_promise_action(self._ar_acting())

    def action_ar_payment_plan(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment plan"),
            "res_model": "ar.payment.plan.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self._ar_acting().id},
        }

    def action_ar_hand_off(self):
        return self._ar_hand_off(self._ar_acting())

    @api.model
    def _ar_hand_off(self, partner):
        """The customer's draft collection case (one the run made at a hand-off level), else
        a new one with its overdue invoices chosen."""
        customer = partner.commercial_partner_id
        Case = self.env["ar.collection.case"]
        Case._ar_check_manager()
        draft = Case.search(
            [
                ("company_id", "=", self.env.company.id),
                ("partner_id", "=", customer.id),
                ("state", "=", "draft"),
            ],
            order="id desc",
            limit=1,
        )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand off to agency"),
            "res_model": "ar.collection.case",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
        if draft:
            return {**action, "res_id": draft.id}
        overdue = Case._ar_overdue_invoices(customer)
        if not overdue:
            # no empty case to save by mistake: say why there is nothing to hand over
            cases = Case.search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("partner_id", "=", customer.id),
                    ("is_open", "=", True),
                ]
            )
            if cases:
                raise UserError(
                    self.env._(
                        "%(partner)s has no overdue invoice left to hand over: the others are "
                        "in %(cases)s.",
                        partner=customer.display_name,
                        cases=", ".join(cases.mapped("name")),
                    )
                )
            raise UserError(
                self.env._(
                    "%(partner)s has no overdue invoice to hand over (disputed invoices and "
                    "invoices in a payment plan are not handed over).",
                    partner=customer.display_name,
                )
            )
        return {
            **action,
            "context": {
                "default_partner_id": customer.id,
                "default_move_ids": [Command.set(overdue.ids)],
            },
        }

    # -- the hold ----------------------------------------------------------------------

    def action_ar_credit_hold(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Put on credit hold"),
            "res_model": "ar.credit.hold.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self._ar_acting().id, "default_action": "hold"},
        }

    def action_ar_credit_release(self):
        action = self.action_ar_credit_hold()
        action["name"] = self.env._("Lift the credit hold")
        action["context"]["default_action"] = "release"
        return action
