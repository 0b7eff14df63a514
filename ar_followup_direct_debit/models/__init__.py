from . import res_company
from . import res_config_settings
from . import account_move
from . import ar_followup_run
from . import ar_followup_statement
from . import payment_return
from . import ar_followup_level
from . import account_banking_mandate
