from . import portal
from . import statement_payment
from . import portal_collection
