from . import account_move
from . import ar_followup_history
from . import ar_followup_level
from . import ar_followup_run
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
