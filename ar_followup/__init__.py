from . import controllers
from . import tools
from . import models
from . import wizards
