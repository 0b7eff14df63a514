# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The link to a customer's statement that every reminder carries: most customers of an SME
have no portal login, so the link opens the statement with a token of its own, without one.

A link is scoped to one commercial partner and one company, unguessable (256 random bits),
valid until its expiry date (the company's *Statement links valid for* days after the last
reminder that carried it: each reminder renews it), and revocable by a credit-control manager
(the link stops working at once; the next reminder carries a new one).
"""

import re
import secrets
from datetime import timedelta

from odoo import api, fields, models

# what secrets.token_urlsafe makes: URL-safe base64
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,128}")


def _new_token(_records=None):
    return secrets.token_urlsafe(32)


class ArStatementLink(models.Model):
    _name = "ar.statement.link"
    _description = "Statement Link"
    _order = "id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    token = fields.Char(required=True, readonly=True, copy=False, default=_new_token)
    date_expiry = fields.Date(
        string="Valid until",
        required=True,
        readonly=True,
        help="The link opens the statement up to this day; each reminder that carries it "
        "renews it.",
    )
    active = fields.Boolean(
        default=True,
        readonly=True,
        help="A revoked link opens nothing any more; the next reminder carries a new one.",
    )
    revoked_by_id = fields.Many2one("res.users", string="Revoked by", readonly=True)

    _sql_constraints = [
        ("token_uniq", "unique (token)", "A statement link token is unique."),
    ]

    @api.depends("partner_id", "date_expiry")
    def _compute_display_name(self):
        for link in self:
            link.display_name = link.partner_id.display_name

    @api.model
    def _ar_links(self, partners, company, date):
        """``{commercial partner id: link}`` valid for the customers from ``date`` for the
        company's period, renewed (one search, one create, one write for all of them)."""
        partner_ids = set(partners.commercial_partner_id.ids)
        Link = self.sudo().with_company(company)
        until = date + timedelta(days=company.ar_statement_link_days)
        links = Link.search(
            [
                ("partner_id", "in", list(partner_ids)),
                ("company_id", "=", company.id),
                ("date_expiry", ">=", date),
            ],
            order="id desc",
        )
        by_partner = {}
        for link in links:
            by_partner.setdefault(link.partner_id.id, link)
        missing = sorted(partner_ids - set(by_partner))
        created = Link.create(
            [{"partner_id": pid, "company_id": company.id, "date_expiry": until} for pid in missing]
        )
        renew = Link.union(*by_partner.values()).filtered(lambda link: link.date_expiry < until)
        if renew:
            renew.write({"date_expiry": until})
        by_partner.update({link.partner_id.id: link for link in created})
        return by_partner

    @api.model
    def _ar_find(self, token):
        """The link of ``token`` that opens a statement today, else an empty recordset."""
        if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
            return self.browse()  # not a token we make (a NUL byte, a path, ...): no query
        link = self.sudo().search([("token", "=", token)], limit=1)
        if not link or link.date_expiry < fields.Date.context_today(link):
            return self.browse()
        return link

    @api.model
    def _ar_customer(self, token):
        """The customer of the link of ``token`` (commercial partner, sudo, in the link's
        company), else an empty recordset."""
        link = self._ar_find(token)
        if not link:
            return self.env["res.partner"]
        return link.partner_id.commercial_partner_id.sudo().with_company(link.company_id)

    def _ar_url(self):
        self.ensure_one()
        return f"{self.company_id.get_base_url()}/statement/{self.token}"

    def action_revoke(self):
        """Revoke the links: they open nothing any more (credit-control managers)."""
        self.check_access("write")
        self.sudo().write({"active": False, "revoked_by_id": self.env.uid})
        return True
