"""One room per concern (issue #17): no file of the add-on over 600 lines, no function over 60
(the text of its SQL aside), so that a newcomer can read each one at a time."""

import ast
from pathlib import Path

from odoo.tests import BaseCase, tagged

ROOT = Path(__file__).resolve().parent.parent
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 60


def _sql_lines(function):
    """The lines of the SQL text the function passes to ``SQL(...)`` or ``execute(...)``."""
    lines = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in ("SQL", "execute") and node.args:
            text = node.args[0]
            if isinstance(text, ast.Constant) and isinstance(text.value, str):
                lines.update(range(text.lineno, text.end_lineno + 1))
    return lines


def _long_functions(source):
    """``[(name, lines)]`` of the functions of ``source`` over the limit, SQL text aside."""
    return [
        (node.name, length)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (length := node.end_lineno - node.lineno + 1 - len(_sql_lines(node)))
        > MAX_FUNCTION_LINES
    ]


@tagged("post_install", "-at_install")
class TestLayout(BaseCase):
    def test_files_and_functions_stay_small(self):
        too_long = []
        for path in sorted(ROOT.rglob("*.py")):
            if "migrations" in path.parts:
                continue  # each migration is written once and never changed
            source = path.read_text(encoding="utf-8")
            name = path.relative_to(ROOT)
            if source.count("\n") > MAX_FILE_LINES:
                too_long.append(f"{name}: {source.count(chr(10))} lines")
            too_long += [f"{name}: {fn}() {n} lines" for fn, n in _long_functions(source)]
        self.assertEqual(too_long, [], "split these into named steps")

    def test_the_checker_sees_a_long_function_and_not_its_sql(self):
        body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
        self.assertEqual(_long_functions(f"def long():\n{body}\n"), [("long", 61)])
        self.assertEqual(_long_functions(f"def short():\n{body[: body.rindex(chr(10))]}\n"), [])
        sql = "\n".join(f"x{i}" for i in range(100))
        query = f'def query():\n    SQL("""\n{sql}\n""")\n'
        self.assertEqual(_long_functions(query), [], "the SQL text is not counted")
