"""The apps depend one way: ``interop`` may use ``assessments`` and ``clinic``, never
the reverse."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(app):
    for source in (ROOT / app).rglob("*.py"):
        tree = ast.parse(source.read_text(), filename=str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield source, alias.name
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield source, node.module


@pytest.mark.parametrize("app", ["clinic", "assessments"])
def test_older_apps_never_import_interop(app):
    offenders = [
        f"{source.relative_to(ROOT)} imports {module}"
        for source, module in imported_modules(app)
        if module == "interop" or module.startswith("interop.")
    ]

    assert offenders == []
