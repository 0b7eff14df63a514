import { registry } from "@web/core/registry";

// A customer who pays 30 % in advance opens its quotation from the e-mail (no login) and
// pays the down payment online with Odoo's demo provider: the order is confirmed.
registry.category("web_tour.tours").add("ar_followup_sale_prepay_to_confirm", {
    steps: () => [
        {
            content: "The quotation says what is asked in advance",
            trigger: ".o_ar_portal_prepayment:contains('30 %')",
        },
        {
            content: "Accept and pay",
            trigger: "#o_sale_portal_paynow",
            run: "click",
        },
        {
            content: "The down payment is 30 % of 500.00",
            trigger: "button[name='o_sale_portal_amount_prepayment_button']:contains('150.00')",
        },
        {
            content: "The demo provider",
            trigger: '.modal input[name="o_payment_radio"][data-payment-method-code="demo"]',
            run: "click",
        },
        {
            content: "A card number",
            trigger: '.modal input[name="customer_input"]',
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: '.modal button[name="o_payment_submit_button"]',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the order, nothing more to pay to confirm it",
            trigger: ".o_portal_sale_sidebar:not(:has(#o_sale_portal_paynow))",
        },
    ],
});
