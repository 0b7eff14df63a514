# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math
import random
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

CREDIT_POLICIES = [
    ("none", "No check"),
    ("warn", "Warn"),
    ("block", "Block"),
]


MAX_FIXED_COSTS = 10000.0  # per invoice: more is a typing error (the WIK maximum is 6,775)

# the demo's 14-day letter on paper (its customers read Dutch)
FOURTEEN_DAY_LETTER_NL = (
    "<p>Geachte heer, mevrouw,</p>"
    "<p>Ondanks onze eerdere herinneringen zijn de hieronder als vervallen gemarkeerde facturen "
    "nog altijd niet betaald: samen {amount_overdue}.</p>"
    "<p>Wij stellen u in de gelegenheid dit bedrag binnen 14 dagen na de dag van ontvangst van "
    "deze brief te betalen, zonder extra kosten. Hebt u niet binnen die termijn betaald, dan "
    "brengen wij u incassokosten in rekening van {collection_costs}, naast de wettelijke "
    "rente.</p>"
    "<p>Met vriendelijke groet,<br/>{company}</p>"
)


class ResCompany(models.Model):
    _inherit = "res.company"

    ar_default_policy_id = fields.Many2one(
        "ar.followup.policy",
        string="Default follow-up policy",
        domain="[('company_id', '=', id)]",
        help="Follow-up policy of the customers that do not have one of their own.",
    )

    ar_credit_policy = fields.Selection(
        CREDIT_POLICIES,
        string="Credit limit policy",
        default="warn",
        required=True,
        help="What a credit limit does when an invoice would take a customer above it: "
        "nothing, Odoo's warning banner, or block the posting (credit-control managers may "
        "post anyway; their override is logged on the invoice). Customers can override it.",
    )

    ar_dispute_days_quality = fields.Integer(
        string="Response time, quality disputes (days)", default=10
    )
    ar_dispute_days_delivery = fields.Integer(
        string="Response time, delivery disputes (days)", default=5
    )
    ar_dispute_days_pricing = fields.Integer(
        string="Response time, pricing disputes (days)", default=5
    )
    ar_dispute_days_not_received = fields.Integer(
        string="Response time, invoice not received (days)", default=2
    )
    ar_dispute_days_other = fields.Integer(string="Response time, other disputes (days)", default=7)

    ar_plan_max_instalments = fields.Integer(
        string="Most instalments a customer may ask for", default=12
    )
    ar_plan_start_days = fields.Integer(
        string="First instalment at most (days ahead)",
        default=60,
        help="A customer asking for a payment plan on the portal starts paying within this "
        "many days.",
    )
    ar_plan_min_instalment = fields.Monetary(
        string="Smallest instalment a customer may ask for",
        currency_field="currency_id",
        default=50.0,
    )
    ar_plan_grace_days = fields.Integer(
        string="Grace period of payment plans (days)",
        default=5,
        help="Days an instalment may be late before the plan counts as broken.",
    )
    ar_plan_reminder_days = fields.Integer(
        string="Instalment reminder (days before)",
        default=3,
        help="The customer is reminded of an instalment this many days before its date.",
    )
    ar_promise_horizon_days = fields.Integer(
        string="Promises to pay at most (days ahead)",
        default=90,
        help="A promise to pay is for a date within this many days.",
    )
    ar_promise_grace_days = fields.Integer(
        string="Grace period of promises to pay (days)",
        default=3,
        help="The follow-up waits this many days after a promised payment date.",
    )

    ar_followup_grace_days = fields.Integer(
        string="Grace period after a dispute or plan (days)",
        default=3,
        help="After a dispute is closed or a payment plan is cancelled, the follow-up of its "
        "invoices waits this many days before the next reminder.",
    )

    ar_costs_b2b = fields.Selection(
        [
            ("wik", "WIK scale, at least €40 per invoice"),
            ("minimum", "€40 per invoice"),
            ("fixed", "Fixed amount per invoice (terms)"),
            ("none", "No collection costs"),
        ],
        string="Collection costs for businesses",
        default="wik",
        required=True,
        help="What businesses pay when a follow-up level claims collection costs. Dutch law "
        "(art. 6:96 BW) applies the WIK scale to businesses too unless the contract says "
        "otherwise, with at least €40 per invoice (Directive 2011/7/EU); Belgian businesses "
        "pay €40 per invoice for the WIK option. Consumers always pay the statutory scale of "
        "their country, after its waiting period.",
    )
    ar_costs_b2b_fixed = fields.Monetary(
        string="Fixed collection costs per invoice",
        currency_field="currency_id",
        help="The amount per invoice the company's terms set for businesses.",
    )
    ar_costs_add_vat = fields.Boolean(
        string="We cannot deduct VAT",
        help="The company cannot deduct VAT (it is exempt): the WIK collection costs are "
        "increased by the general VAT rate of 21%.",
    )
    ar_consumer_fatal_term = fields.Boolean(
        string="The payment term is a fatal term for consumers",
        help="The company's terms make the payment term of an invoice a fatal term (art. 6:83 "
        "BW): a Dutch consumer is in default from the day after the due date and statutory "
        "interest runs from then. Without it, interest runs from the day after the term of "
        "the 14-day letter.",
    )
    ar_fee_product_id = fields.Many2one(
        "product.product",
        string="Collection costs product",
        help="Product of the lines of the fee invoices (collection costs and interest).",
    )
    ar_fee_journal_id = fields.Many2one(
        "account.journal",
        string="Fee journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Sales journal of the fee invoices; empty: the default sales journal.",
    )
    ar_interest_regime = fields.Selection(
        [("nl", "Dutch"), ("be", "Belgian")],
        string="Collection law",
        default=lambda self: "be" if self.env.company.country_id.code == "BE" else "nl",
        help="The law of the company's claims: which collection costs and statutory interest "
        "apply to businesses (Dutch: WIK and handelsrente, compounded yearly; Belgian: €40 and "
        "the commercial rate). Consumers in the Netherlands or Belgium get the rules of their "
        "own country, others the company's.",
    )

    def write(self, vals):
        if "ar_costs_b2b_fixed" in vals:
            try:
                amount = float(vals["ar_costs_b2b_fixed"] or 0.0)
            except (TypeError, ValueError):
                amount = math.nan
            if not math.isfinite(amount):
                raise ValidationError(
                    self.env._("Fixed collection costs for businesses: give an amount.")
                )
        return super().write(vals)

    @api.constrains("ar_costs_b2b", "ar_costs_b2b_fixed")
    def _check_ar_costs_b2b_fixed(self):
        for company in self:
            amount = company.ar_costs_b2b_fixed
            if (
                not math.isfinite(amount)
                or not 0 <= amount <= MAX_FIXED_COSTS
                or (company.ar_costs_b2b == "fixed" and not amount)
            ):
                raise ValidationError(
                    self.env._(
                        "Fixed collection costs for businesses: give a positive amount per "
                        "invoice, at most 10,000."
                    )
                )

    @api.constrains("ar_plan_max_instalments", "ar_plan_start_days", "ar_promise_horizon_days")
    def _check_ar_portal_windows(self):
        # bounded, so that no instalment or promise date leaves the calendar
        for company in self:
            if not 1 <= company.ar_plan_max_instalments <= 120:
                raise ValidationError(
                    self.env._("A payment plan may have between 1 and 120 instalments.")
                )
            if not 0 <= company.ar_plan_start_days <= 366:
                raise ValidationError(
                    self.env._("The first instalment must be within 0 to 366 days.")
                )
            if not 0 <= company.ar_promise_horizon_days <= 366:
                raise ValidationError(self.env._("Promises to pay must be within 0 to 366 days."))

    def _ar_dispute_response_days(self, reason):
        """Days to answer a dispute of ``reason``: the company's ``ar_dispute_days_<reason>``."""
        self.ensure_one()
        fname = f"ar_dispute_days_{reason}"
        return self[fname] if reason and fname in self._fields else self.ar_dispute_days_other

    def _ar_credit_manager(self):
        """The first credit-control manager of the company (then accounting administrator,
        then the administrator): who gets escalations, reviews and unassigned calls."""
        self.ensure_one()
        Users = self.env["res.users"].sudo()
        root = self.env.ref("base.user_root")
        for xmlid in ("ar_followup.group_ar_manager", "account.group_account_manager"):
            group = self.env.ref(xmlid, raise_if_not_found=False)
            user = group and Users.search(
                [
                    ("groups_id", "in", group.id),
                    ("share", "=", False),
                    ("company_ids", "in", self.id),
                    ("id", "!=", root.id),
                ],
                order="id",
                limit=1,
            )
            if user:
                return user
        return self.env.ref("base.user_admin")

    def _ar_followup_contact(self, partner):
        """Who ``partner`` contacts about its follow-up, as printed on its letters and
        statements (paper has no "reply to this e-mail"): ``{'collector': res.users, 'name',
        'phone', 'email'}``, the company's phone and e-mail, else the collector's."""
        self.ensure_one()
        collector = partner._ar_collector(self)
        return {
            "collector": collector,
            "name": collector.name or self.env._("Credit control"),
            "phone": self.phone or collector.phone or "",
            "email": self.email or collector.email or "",
        }

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._ar_ensure_default_policy()
        return companies

    @api.model
    def _ar_ensure_default_policy_all(self):
        self.sudo().search([])._ar_ensure_default_policy()  # pylint: disable=no-search-all

    def _ar_ensure_default_policy(self):
        """Create the default policy (with the default levels) of the companies lacking one."""
        Policy = self.env["ar.followup.policy"].sudo()
        for company in self.sudo().filtered(lambda c: not c.ar_default_policy_id):
            company.ar_default_policy_id = Policy._create_default_policy(company)

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------

    @api.model
    def _ar_followup_demo_data(self, company_ids):
        """Demo: about 20 customers and 100 posted invoices due from 60 days ago to 30 days
        from now (a few partially paid), two account managers. Deterministic (seeded)."""
        rng = random.Random(20261124)
        company = self.browse(company_ids).exists()[:1]
        if not company or not self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
        ):
            return
        env = self.env(
            context=dict(
                self.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
            )
        )
        company = env["res.company"].browse(company.id)
        today = fields.Date.context_today(self)
        lang_nl = env["res.lang"]._activate_lang("nl_NL") and "nl_NL"
        lang_gb = (env["res.lang"]._activate_lang("en_GB") and "en_GB") or "en_US"
        if not company.partner_id.bank_ids:
            env["res.partner.bank"].create(
                {
                    "acc_number": "NL91ABNA0417164300",
                    "partner_id": company.partner_id.id,
                }
            )
        user_group = env.ref("ar_followup.group_ar_user")
        managers = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": name,
                        "login": login,
                        "email": f"{login}@example.com",
                        "lang": lang_nl or "en_US",
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                        "groups_id": [Command.link(user_group.id)],
                    }
                    for name, login in (
                        ("Sanne de Vries", "sanne"),
                        ("Pieter Janssens", "pieter"),
                    )
                ]
            )
        )
        customers = [
            ("Bakkerij Van Dam B.V.", "nl_NL", "info@bakkerijvandam.example.nl"),
            ("Houthandel Jansen", "nl_NL", "administratie@houthandeljansen.example.nl"),
            ("Brouwerij De Gouden Leeuw", "nl_NL", "finance@goudenleeuw.example.be"),
            ("Installatiebedrijf Smit", "nl_NL", "boekhouding@smit.example.nl"),
            ("Drukkerij Peeters BV", "nl_NL", "facturen@peeters.example.be"),
            ("Tuincentrum Groen", "nl_NL", "info@tuincentrumgroen.example.nl"),
            ("Autobedrijf Visser", "nl_NL", False),
            ("Schildersbedrijf Bakker", "nl_NL", "info@schildersbakker.example.nl"),
            ("Café De Hoek", "nl_NL", "dehoek@example.nl"),
            ("Fietsenwinkel Mulder", "nl_NL", "mulder@example.nl"),
            ("Northwind Traders Ltd", "en_US", "accounts@northwind.example.com"),
            ("Blue Harbour Logistics", "en_US", "ap@blueharbour.example.com"),
            ("Kingsley & Partners", "en_US", "billing@kingsley.example.co.uk"),
            ("Green Valley Foods", "en_US", "finance@greenvalley.example.com"),
            ("Atlas Engineering", "en_US", "invoices@atlas.example.com"),
            ("Maison Dubois SPRL", "en_US", "compta@dubois.example.be"),
            ("Nordic Timber AB", "en_US", "ekonomi@nordictimber.example.se"),
            ("Riverside Dental Clinic", "en_US", "office@riverside.example.com"),
            ("Sunrise Hotels", "en_US", "ap@sunrise.example.com"),
            ("Oak & Iron Furniture", "en_US", "accounts@oakiron.example.com"),
        ]
        # a postal address for each (letters go by post): street, zip, city, country
        addresses = [
            ("Dorpsstraat 12", "1191 BK", "Ouderkerk aan de Amstel", "nl"),
            ("Industrieweg 40", "3401 MA", "IJsselstein", "nl"),
            ("Grote Markt 7", "2000", "Antwerpen", "be"),
            ("Energieweg 3", "3542 DZ", "Utrecht", "nl"),
            ("Brusselsesteenweg 101", "9000", "Gent", "be"),
            ("Tuinbouwweg 18", "2645 EE", "Delfgauw", "nl"),
            ("Garageweg 5", "7511 JJ", "Enschede", "nl"),
            ("Schildersstraat 22", "3011 AB", "Rotterdam", "nl"),
            ("Hoekstraat 1", "5211 CD", "'s-Hertogenbosch", "nl"),
            ("Fietspad 9", "9711 LH", "Groningen", "nl"),
            ("12 Harbour Road", "E14 5AB", "London", "gb"),
            ("4 Dockside Way", "L3 1DP", "Liverpool", "gb"),
            ("27 Chancery Lane", "WC2A 1PL", "London", "gb"),
            ("8 Valley Road", "BS1 4DJ", "Bristol", "gb"),
            ("91 Foundry Street", "M4 6EE", "Manchester", "gb"),
            ("Avenue Louise 250", "1050", "Bruxelles", "be"),
            ("Sågverksgatan 3", "411 04", "Göteborg", "se"),
            ("3 Riverside Walk", "YO1 7EH", "York", "gb"),
            ("55 Sunrise Boulevard", "EH1 1YZ", "Edinburgh", "gb"),
            ("2 Oak Lane", "OX1 2JD", "Oxford", "gb"),
        ]
        partners = env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "email": email,
                    "street": addresses[index][0],
                    "zip": addresses[index][1],
                    "city": addresses[index][2],
                    # Odoo names the United Kingdom base.uk
                    "country_id": env.ref(
                        "base." + {"gb": "uk"}.get(addresses[index][3], addresses[index][3])
                    ).id,
                    "phone": {"nl": "+31 20 555 ", "be": "+32 3 555 ", "gb": "+44 20 7946 "}.get(
                        addresses[index][3], "+46 31 555 "
                    )
                    + f"{index:04d}",
                    # British customers read British dates
                    "lang": (lang_gb if addresses[index][3] == "gb" else lang)
                    if lang == "en_US" or lang_nl
                    else "en_US",
                    "user_id": managers[index % 2].id if index % 3 == 0 else False,
                    "company_id": False,
                }
                for index, (name, lang, email) in enumerate(customers)
            ]
        )
        partners[1].with_company(company).ar_followup_responsible_id = managers[1]
        env["res.partner"].create(
            {
                "name": "Crediteurenadministratie",
                "type": "invoice",
                "parent_id": partners[2].id,
                "email": "crediteuren@goudenleeuw.example.be",
                "lang": partners[2].lang,
            }
        )
        # A customer's portal login (statement, payment, disputes, payment plans):
        # northwind / northwind
        contact = env["res.partner"].create(
            {
                "name": "Emma Clarke",
                "parent_id": partners[10].id,
                "email": "emma.clarke@northwind.example.com",
                "lang": "en_US",
            }
        )
        env["res.users"].with_context(no_reset_password=True).create(
            {
                "login": "northwind",
                "password": "northwind",
                "partner_id": contact.id,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set(env.ref("base.group_portal").ids)],
            }
        )
        term = env.ref("account.account_payment_term_30days", raise_if_not_found=False)
        # the company's sales tax (21% BTW with the Dutch chart of accounts)
        taxes = company.account_sale_tax_id
        vals_list = []
        for index in range(100):
            due = today + timedelta(days=rng.randint(-60, 30))
            partner = partners[index % len(partners)]
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_payment_term_id": term.id if term else False,
                    **({} if term else {"invoice_date_due": due}),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": rng.choice(
                                    [
                                        "Consultancy",
                                        "Delivery of goods",
                                        "Installation",
                                        "Maintenance contract",
                                        "Spare parts",
                                    ]
                                ),
                                "quantity": rng.randint(1, 10),
                                "price_unit": rng.choice(
                                    [45.0, 120.0, 250.0, 399.0, 875.5, 1250.0]
                                ),
                                "tax_ids": [Command.set(taxes.ids)],
                            }
                        )
                    ],
                }
            )
        invoices = env["account.move"].with_company(company).create(vals_list)
        invoices.action_post()
        for invoice in invoices[::9]:
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create(
                {
                    "amount": round(invoice.amount_residual / 2, 2),
                    "payment_date": min(today, invoice.invoice_date_due),
                }
            )._create_payments()
        # Two disputes: one open (its invoice is not chased), one rejected.
        Dispute = env["ar.dispute"].with_company(company)
        for partner, reason, description in (
            (partners[0], "quality", "Twee dozen met beschadigde verpakking."),
            (partners[12], "pricing", "The unit price differs from the quotation."),
        ):
            invoice = invoices.filtered(lambda m, p=partner: m.partner_id == p)[:1]
            if invoice and not invoice.currency_id.is_zero(invoice.amount_residual):
                Dispute.create(
                    {
                        "partner_id": partner.id,
                        "move_ids": [Command.set(invoice.ids)],
                        "reason": reason,
                        "description": description,
                    }
                )
        self._ar_followup_demo_costs(env, company, today, term, taxes, rng)
        # A realistic history: the weekly follow-up of the last eight weeks. Its e-mails stay
        # in the customers' chatter; they are recorded as sent then (the mail queue leaves
        # them), the e-mails of today's run go through the mail queue for real.
        Run = env["ar.followup.run"].with_company(company)
        for weeks_ago in range(8, 0, -1):
            run = Run.process(today - timedelta(weeks=weeks_ago))
            mails = run.history_ids.mail_id.sudo()
            mails.write({"state": "sent"})
            env["ar.followup.history"]._ar_mails_processed(mails)
            letters = run.history_ids.filtered(lambda h: h.channel == "letter")
            if letters:
                letters.action_print_letters()
            # sent and printed on the day of their run, not today
            run.history_ids.filtered("delivery_date").sudo().write(
                {"delivery_date": datetime.combine(run.date, time(9, 0))}
            )

    def _ar_followup_demo_costs(self, env, company, today, term, taxes, rng):
        """Demo of the collection costs and interest: the default final notice claims them
        from businesses; three consumers (Dutch by e-mail and by post, Belgian) on a policy
        with a 14-day letter, with invoices old enough for its term to have passed."""
        default = company.ar_default_policy_id.level_ids
        default.filtered(lambda lvl: lvl.delay == 30).write(
            {"charge_costs": True, "charge_interest": True}
        )
        templates = {
            name: env.ref(f"ar_followup.mail_template_{name}").id
            for name in ("reminder", "fourteen_day_letter", "final_notice")
        }
        policy = env["ar.followup.policy"].create(
            {
                "name": "Consumenten (veertiendagenbrief)",
                "company_id": company.id,
                "level_ids": [
                    Command.create(
                        {
                            "name": name,
                            "sequence": sequence,
                            "delay": delay,
                            "send_email": True,
                            "mail_template_id": templates[template],
                            "charge_costs": costs,
                            "charge_interest": costs,
                            "is_fourteen_day_letter": template == "fourteen_day_letter",
                            "letter_text": FOURTEEN_DAY_LETTER_NL
                            if template == "fourteen_day_letter"
                            else False,
                        }
                    )
                    for sequence, (name, delay, template, costs) in enumerate(
                        (
                            ("Herinnering", 7, "reminder", True),
                            ("Veertiendagenbrief", 14, "fourteen_day_letter", True),
                            ("Laatste aanmaning", 35, "final_notice", True),
                        ),
                        start=1,
                    )
                ],
            }
        )
        consumers = env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": False,
                    "email": email,
                    "street": street,
                    "zip": zip_code,
                    "city": city,
                    "country_id": env.ref(f"base.{country}").id,
                    "lang": "nl_NL" if env["res.lang"]._lang_get("nl_NL") else "en_US",
                    "company_id": False,
                }
                for name, email, street, zip_code, city, country in (
                    (
                        "J. de Boer",
                        "j.deboer@example.nl",
                        "Kerkstraat 4",
                        "1017 GC",
                        "Amsterdam",
                        "nl",
                    ),
                    ("K. Visser", False, "Molenweg 8", "8011 AB", "Zwolle", "nl"),
                    (
                        "M. Peeters",
                        "m.peeters@example.be",
                        "Naamsestraat 30",
                        "3000",
                        "Leuven",
                        "be",
                    ),
                )
            ]
        )
        for consumer in consumers:
            consumer.with_company(company).ar_followup_policy_id = policy
        env["account.move"].with_company(company).create(
            [
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": consumer.id,
                    "invoice_date": today - timedelta(days=80 - shift),
                    "invoice_payment_term_id": term.id if term else False,
                    **({} if term else {"invoice_date_due": today - timedelta(days=50 - shift)}),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Levering en montage",
                                "quantity": 1,
                                "price_unit": rng.choice([180.0, 240.0, 410.0]),
                                "tax_ids": [Command.set(taxes.ids)],
                            }
                        )
                    ],
                }
                for consumer in consumers
                for shift in (0, 5)
            ]
        ).action_post()
