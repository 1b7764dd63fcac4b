"""The demo's code stays small: every module under demo/ except the data is under 400 lines
and says in its docstring why it exists."""

import ast
from pathlib import Path

import demo

ROOT = Path(demo.__file__).resolve().parent
CODE = [p for p in ROOT.rglob("*.py") if "data" not in p.relative_to(ROOT).parts]


def test_every_demo_module_outside_the_data_is_under_400_lines():
    assert CODE
    long = {
        str(p.relative_to(ROOT)): n for p in CODE if (n := len(p.read_text().splitlines())) >= 400
    }
    assert long == {}


def test_every_non_empty_demo_module_has_a_docstring():
    missing = [
        str(p.relative_to(ROOT))
        for p in CODE
        if p.read_text().strip() and not ast.get_docstring(ast.parse(p.read_text()))
    ]
    assert missing == []


def test_the_demo_data_is_data():
    """Data modules hold literals only: no function, class or import of project code."""
    for path in (ROOT / "data").glob("*.py"):
        tree = ast.parse(path.read_text())
        kinds = {type(node).__name__ for node in tree.body}
        assert kinds <= {"Expr", "Assign", "AnnAssign"}, (path.name, kinds)
