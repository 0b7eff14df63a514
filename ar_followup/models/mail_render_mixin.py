# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    def _replace_local_links(self, html, base_url=None):
        """Within a follow-up run, skip the search for local links in a reminder that has none.

        Odoo makes the local links of every rendered e-mail absolute with four regular
        expressions over the whole body; a reminder lists every open item of the customer
        (with absolute links) and the search took longer than rendering it. Every link these
        expressions rewrite has ``="/`` (``src``, ``href``, ``background``) or ``url(`` (a
        style) in the text: without either, the body is returned as it is, as Odoo would.
        """
        if (
            self.env.context.get("ar_followup_compile_once")
            and html
            and '="/' not in html
            and "url(" not in html
        ):
            return html
        return super()._replace_local_links(html, base_url=base_url)
