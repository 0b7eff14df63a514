from . import generator
