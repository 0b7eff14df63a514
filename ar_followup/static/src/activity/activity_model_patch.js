// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { Activity } from "@mail/core/web/activity_model";
import { assignIn } from "@mail/utils/common/misc";
import { patch } from "@web/core/utils/patch";

// The escalation activity of the follow-up ladder knows whether it offers the hand-off.
patch(Activity, {
    _insert(data) {
        const activity = super._insert(...arguments);
        assignIn(activity, data, ["ar_can_hand_off"]);
        return activity;
    },
});

patch(Activity.prototype, {
    /** Opens the customer's collection case (its draft one, else a new one). */
    async arHandOff() {
        const action = await this.store.env.services.orm.call(
            "mail.activity",
            "action_ar_hand_off",
            [[this.id]]
        );
        if (action) {
            await this.store.env.services.action.doAction(action);
        }
    },
});
