from . import test_i18n
from . import test_collecting
from . import test_returned
from . import test_sequences
from . import test_return_file
from . import test_demo
from . import test_direct_debit_security
from . import test_prenotice
