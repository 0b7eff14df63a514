from . import ar_worklist_line
