from .formatter import ArFormatter
