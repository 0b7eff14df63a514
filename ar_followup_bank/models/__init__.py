from . import account_reconcile_model
from . import account_chart_template
from . import account_bank_statement_line
