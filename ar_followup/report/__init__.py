from . import ar_statement_report
