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
from odoo.tools import email_normalize

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


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        gateway = _GATEWAY.get()
        if (
            gateway is not None
            and message.message_type == "email"
            and not gateway.get(message.message_id, False)
            and len(self) == 1
        ):
            self._ar_replied(message)
        return res

    def _ar_replied(self, message):
        """An e-mail reached this partner's thread through the gateway: a reply of the
        customer when it comes from the customer's side (one of its contacts, or an address
        its reminders went to), in the company of its latest reminder."""
        customer = self.commercial_partner_id.sudo()
        History = self.env["ar.followup.history"].sudo()
        reminders = History.search(
            [("partner_id", "=", customer.id), ("channel", "in", ("email", "letter"))],
            order="date desc, id desc",
            limit=20,
        )
        if not reminders:
            return None  # no reminder to answer: an ordinary e-mail
        sender = email_normalize(message.email_from or "")
        if not sender or sender not in customer._ar_reply_addresses(reminders):
            return None  # an unknown address: no pause
        company = reminders[0].company_id
        return self.env["ar.followup.reply"]._ar_receive(customer, message, company)

    def _ar_reply_addresses(self, reminders):
        """The addresses a reply of this customer comes from: its own and its contacts',
        and those its ``reminders`` (history lines) went to."""
        self.ensure_one()
        partners = self.with_context(active_test=False).search([("id", "child_of", self.id)])
        addresses = set(partners.mapped("email_normalized"))
        for mail in reminders.mail_id:
            addresses.update(mail.recipient_ids.mapped("email_normalized"))
            for address in (mail.email_to or "").split(","):
                addresses.add(email_normalize(address))
        addresses.discard(False)
        return addresses
