from . import account_reconcile_model
from . import account_chart_template
