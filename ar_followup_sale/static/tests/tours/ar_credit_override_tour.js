import { registry } from "@web/core/registry";

// A credit-control manager confirms the quotation of a customer on credit hold: the button
// opens the override's dialog, which names the hold and asks the reason; the order is then
// confirmed, and its chatter keeps who, despite what, and why.
registry.category("web_tour.tours").add("ar_followup_sale_credit_override", {
    steps: () => [
        {
            content: "The quotation carries the red banner",
            trigger: ".o_ar_order_credit_hold:contains('Customer on credit hold')",
        },
        {
            content: "Confirm",
            trigger: ".o_form_view button[name='action_confirm']:not(.o_invisible_modifier)",
            run: "click",
        },
        {
            content: "The dialog names the hold",
            trigger: ".modal .o_field_widget[name='problems']:contains('is on credit hold')",
        },
        {
            content: "Without a reason it does not go",
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The reason is asked for",
            trigger: ".modal .o_field_widget[name='reason'].o_field_invalid",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Deposit received in cash",
        },
        {
            content: "Go ahead",
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "Its chatter keeps the override and the reason",
            trigger: ".o-mail-Message:contains('despite'):contains('Deposit received in cash')",
        },
    ],
});
