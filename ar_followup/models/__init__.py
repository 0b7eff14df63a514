from . import ar_followup_policy
from . import ar_followup_level
from . import ar_followup_run
from . import ar_followup_history
from . import res_company
from . import res_partner
from . import account_move
