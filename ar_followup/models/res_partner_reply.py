# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A customer's reply reaches its thread: whether it is a reply to its reminders."""

from odoo import models
from odoo.tools import email_normalize

from .mail_thread import _GATEWAY


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
