import { registry } from "@web/core/registry";

// The credit-control manager hands a claim off from the collection escalation in the
// customer's chatter: the case opens with the overdue invoices, and is handed over.
registry.category("web_tour.tours").add("ar_followup_hand_off_from_activity", {
    steps: () => [
        {
            content: "The escalation in the chatter offers the hand-off",
            trigger: ".o-mail-Activity:contains('Decide on the hand-off') .o-ar-Activity-handOff",
            run: "click",
        },
        {
            content: "The case opens with the customer's two overdue invoices",
            trigger: ".o_form_view .o_field_widget[name='move_ids'] .o_tag:eq(1)",
        },
        {
            content: "Hand the claim over",
            trigger: ".o_form_view button[name='action_hand_over']",
            run: "click",
        },
        {
            content: "Confirm: the customer is put on hold, the dossier e-mailed",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The case is handed over",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Handed over')",
        },
    ],
});
