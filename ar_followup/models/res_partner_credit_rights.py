# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Who may change a customer's credit data through the partner. The data of its account
(hold, credit policy, insured limit, review, prepayment) are the account's access rights';
here: Odoo's own credit limit and the rating, which stay on the partner, the hold routed to its
logged methods, the structure of the partners (a contact's data are its company's; moving a
partner with credit data under or out of a company, or deleting it, is the credit-control
manager's), and the commercial entity Odoo computes, never written by hand."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .res_partner_credit import CREDIT_MANAGER_FIELDS, STRUCTURE_FIELDS


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _ar_check_credit_write_access(self, vals):
        """Credit decisions are the credit-control manager's (DESIGN.md, credit): limits,
        holds and ratings, checked on every partner written, contacts included, before the
        write and as the write would leave them (``parent_id`` and ``is_company`` with the
        credit fields). Credit data belong to the commercial partner: a contact only takes
        the copies Odoo makes of its company's limit. Moving a partner under another company,
        or out of one, is the manager's too when credit data go with it."""
        if self.env.su:
            return  # the hold and release methods, Odoo's own synchronisation of contacts
        self._ar_check_commercial_entity(vals)
        manager = self.env.user.has_group("ar_followup.group_ar_manager")
        protected = CREDIT_MANAGER_FIELDS.intersection(vals)
        for partner in self:
            commercial = partner._ar_commercial_after(vals)
            for fname in protected:
                field = self._fields[fname]
                new = field.convert_to_cache(vals[fname], partner)
                if new == field.convert_to_cache(partner[fname], partner):
                    continue
                if commercial != partner:
                    if fname == "credit_limit" and new == field.convert_to_cache(
                        commercial[fname], commercial
                    ):
                        continue  # Odoo copies the company's limit to its contacts
                    self.env["ar.customer.account"]._ar_raise_contact_data(partner)
                if not manager:
                    raise AccessError(
                        self.env._(
                            "Only a credit-control manager can change the credit settings of "
                            "%(partner)s (%(field)s).",
                            partner=partner.display_name,
                            field=field._description_string(self.env),
                        )
                    )
        if manager:
            self._ar_check_measures_stay(vals)  # (anybody else may not move credit data)
            return
        if not STRUCTURE_FIELDS.intersection(vals):
            return
        moved = self.filtered(lambda p: p._ar_commercial_after(vals) != p.commercial_partner_id)
        if not moved:
            return
        involved = moved | moved.commercial_partner_id
        if vals.get("parent_id"):
            involved |= self.browse(vals["parent_id"]).commercial_partner_id
        with_data = self.env["ar.customer.account"]._ar_with_credit_data(involved)
        if with_data:
            raise AccessError(
                self.env._(
                    "Only a credit-control manager can move %(partner)s to another company or "
                    "out of one: %(with_data)s has a credit limit, hold or policy.",
                    partner=", ".join(moved.mapped("display_name")),
                    with_data=", ".join(with_data.mapped("display_name")),
                )
            )

    def _ar_check_measures_stay(self, vals):
        """A customer on credit hold or paying in advance (in any company) does not become a
        contact of another: its measure would stop applying unlogged. Its manager lifts it
        first (logged), whoever moves it."""
        if not STRUCTURE_FIELDS.intersection(vals) or "ar_credit_hold" in vals:
            return  # (with the hold itself: refused as a change in one step)
        becoming = self.filtered(
            lambda p: p.commercial_partner_id == p and p._ar_commercial_after(vals) != p
        )
        if not becoming:
            return
        Account = self.env["ar.customer.account"].sudo()
        flags = list(Account._ar_measures())
        domain = [("partner_id", "in", becoming.ids)]
        domain += ["|"] * (len(flags) - 1) + [(flag, "=", True) for flag in flags]
        held = Account.search(domain).partner_id
        if held:
            raise UserError(
                self.env._(
                    "%(partner)s is on credit hold or pays in advance: lift that first, then "
                    "make it a contact of another company.",
                    partner=", ".join(held.mapped("display_name")),
                )
            )

    def _ar_check_commercial_entity(self, vals):
        """Odoo computes the commercial entity from the company and the parent; written by
        hand it would put a customer under another's account."""
        if "commercial_partner_id" in vals and any(
            partner._ar_commercial_after(vals).id != vals["commercial_partner_id"]
            for partner in self
        ):
            raise UserError(
                self.env._(
                    "The commercial entity of a contact follows its company: change its "
                    "company (parent) instead."
                )
            )

    def _ar_commercial_after(self, vals):
        """The commercial partner this partner would have after writing ``vals``."""
        self.ensure_one()
        is_company = vals.get("is_company", self.is_company)
        parent = self.browse(vals["parent_id"]) if "parent_id" in vals else self.parent_id
        if is_company or not parent:
            return self
        return parent.commercial_partner_id

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("ar_followup.group_ar_manager"):
            for vals in vals_list:
                parent = self.browse(vals.get("parent_id")).commercial_partner_id
                for fname in CREDIT_MANAGER_FIELDS:
                    if not vals.get(fname):
                        continue
                    if (
                        parent
                        and not vals.get("is_company")
                        and fname == "credit_limit"
                        and vals[fname] == parent.credit_limit
                    ):
                        continue  # Odoo's copy of the company's limit
                    raise AccessError(
                        self.env._(
                            "Only a credit-control manager can set a credit limit or a credit hold."
                        )
                    )
        if self.env.su:
            return super().create(vals_list)
        # a hold asked at creation: set through write (its rights, its log) once created
        vals_list = [dict(vals) for vals in vals_list]
        holds = [vals.pop("ar_credit_hold", False) for vals in vals_list]
        partners = super().create(vals_list)
        for partner, hold in zip(partners, holds, strict=True):
            if hold:
                partner.write({"ar_credit_hold": True})
        return partners

    def write(self, vals):
        self._ar_check_credit_write_access(vals)
        if "ar_credit_hold" in vals and not self.env.su:
            # a hold changes through the hold and release methods only: logged in the
            # follow-up history and the chatter; who may is the accounts' access rights
            self.env["ar.customer.account"].check_access("write")
            self._ar_check_measure_alone(vals)
            vals = dict(vals)
            hold = bool(vals.pop("ar_credit_hold"))
            changing = self.filtered(lambda p: bool(p.ar_credit_hold) != hold)
            contacts = changing.filtered(lambda p: p.commercial_partner_id != p)
            if contacts:
                self.env["ar.customer.account"]._ar_raise_contact_data(contacts)
            reason = self.env["ar.customer.account"]._ar_by_user()
            today = fields.Date.context_today(self)
            accounts = self.env["ar.customer.account"]._ar_of(changing)
            if hold:
                accounts._ar_set_credit_hold(reason, today)
            else:
                accounts._ar_release_credit_hold(reason, today)
            if not vals:
                return True
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_ar_credit_data(self):
        """Deleting a customer with credit data would make its contacts customers of their
        own, free of its hold or limit: the credit-control manager's."""
        if self.env.su or self.env.user.has_group("ar_followup.group_ar_manager"):
            return
        customers = self.filtered(lambda p: p.commercial_partner_id == p)
        with_data = self.env["ar.customer.account"]._ar_with_credit_data(customers)
        if with_data:
            raise AccessError(
                self.env._(
                    "Only a credit-control manager can delete %(partner)s: it has a credit "
                    "limit, hold, credit policy or prepayment.",
                    partner=", ".join(with_data.mapped("display_name")),
                )
            )

    def _ar_check_measure_alone(self, vals):
        """A measure (hold, prepayment) is not changed in the write that moves a partner
        under a company or out of one: which customer it is for would change with it."""
        if STRUCTURE_FIELDS.intersection(vals) or "commercial_partner_id" in vals:
            raise UserError(
                self.env._(
                    "Change the company of %(partner)s and its credit hold or prepayment in two "
                    "steps.",
                    partner=self[:1].display_name,
                )
            )
