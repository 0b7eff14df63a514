from . import ar_followup_preview
from . import ar_credit_hold_wizard
from . import ar_dispute_resolve_wizard
from . import ar_promise_wizard
from . import ar_payment_plan_wizard
