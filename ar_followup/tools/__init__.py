from .formatter import ArFormatter, parse_amount
