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
