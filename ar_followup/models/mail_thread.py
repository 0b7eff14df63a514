# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Replies reach the ladder through Odoo's mail gateway only: an incoming e-mail processed by
``mail.thread.message_process`` (the fetchmail scheduled action as OdooBot, the
``odoo-mailgate`` script as an administrator) on a customer's thread, from the customer's
side, is a reply (``ar.followup.reply``). Anybody else calling ``message_process`` over
JSON-RPC, or posting an "e-mail" on the customer, forges nothing: the flag is the server's,
set in the process, never a context key. Auto-replies and out-of-office messages (RFC 3834
``Auto-Submitted``, ``X-Autoreply``, ``X-Autorespond``, ``Precedence: auto_reply``,
``X-Auto-Response-Suppress``) are no replies."""

import contextvars

from odoo import api, models
from odoo.tools import email_normalize, email_split

# while the trusted gateway processes a message: {message_id: whether it is automatic}
_GATEWAY = contextvars.ContextVar("ar_followup_gateway", default=None)

AUTO_PRECEDENCE = ("auto_reply", "bulk", "junk")


def is_automatic(message):
    """Whether the raw ``email.message.Message`` was sent by a machine on its own: an
    auto-reply, an out-of-office, a bulk message."""
    auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    if (message.get("Precedence") or "").strip().lower() in AUTO_PRECEDENCE:
        return True
    return bool((message.get("X-Auto-Response-Suppress") or "").strip())


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(self, model, message, *args, **kwargs):
        trusted = self.env.su or self.env.user._is_system()
        token = _GATEWAY.set({} if trusted else None)
        try:
            return super().message_process(model, message, *args, **kwargs)
        finally:
            _GATEWAY.reset(token)

    @api.model
    def message_parse(self, message, save_original=False):
        msg_dict = super().message_parse(message, save_original=save_original)
        gateway = _GATEWAY.get()
        if gateway is not None:
            gateway[msg_dict.get("message_id")] = is_automatic(message)
        return msg_dict

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        """A new e-mail (not an answer to a known message) of a customer to the address its
        reminders ask replies at goes to the customer's thread, where it is a reply; Odoo would
        bounce it (a write to the catchall) or drop it."""
        if _GATEWAY.get() is not None and not model and not message_dict.get("is_bounce"):
            customer = self._ar_reply_customer(message_dict)
            if customer:
                return [("res.partner", customer.id, {}, self.env.uid, None)]
        return super().message_route(
            message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
        )

    @api.model
    def _ar_reply_customer(self, message_dict):
        """The customer a new e-mail is a reply of: it refers to no message of the database,
        comes from the customer's side and is written to an address its reminders named as
        their reply address."""
        references = (
            (message_dict.get("in_reply_to") or "") + " " + (message_dict.get("references") or "")
        )
        ids = [ref for ref in references.split() if ref.startswith("<")]
        Message = self.env["mail.message"].sudo()
        if ids and Message.search_count([("message_id", "in", ids)], limit=1):
            return None  # an answer to a known message: Odoo routes it to its thread
        sender = email_normalize(message_dict.get("email_from") or "")
        recipients = {
            email_normalize(address)
            for address in email_split(
                ",".join(filter(None, (message_dict.get("to"), message_dict.get("cc"))))
            )
        }
        if not sender or not recipients:
            return None
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        senders = Partner.search([("email_normalized", "=", sender)])
        History = self.env["ar.followup.history"].sudo()
        for customer in senders.commercial_partner_id:
            reminders = History.search(
                [("partner_id", "=", customer.id), ("channel", "=", "email")],
                order="date desc, id desc",
                limit=20,
            )
            reply_to = {
                email_normalize(address)
                for mail in reminders.mail_id
                for address in email_split(mail.reply_to or mail.email_from or "")
            }
            if recipients & reply_to:
                return customer
        return None

    def _routing_handle_bounce(self, email_message, message_dict):
        result = super()._routing_handle_bounce(email_message, message_dict)
        message = message_dict.get("bounced_message")
        if message:
            lines = (
                self.env["ar.followup.history"]
                .sudo()
                .search(
                    [
                        ("message_id", "=", message.id),
                        ("delivery_state", "in", ("queued", "sent")),
                    ]
                )
            )
            if lines:
                # a delivery report is not authenticated: recorded and told, the ladder is
                # neither put back nor its hold lifted on its word
                lines._ar_undelivered(
                    "bounced",
                    message_dict.get("bounced_email") or self.env._("the e-mail bounced"),
                    replace=False,
                    revert=False,
                )
        return result
