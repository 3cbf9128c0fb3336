"""The apps depend one way, toward ``clinic``: each imports only the apps below it."""

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


# What each app may import. Outcome measures reach the patient through the link, so
# ``outcomes`` sits above ``portal``; nothing imports ``interop``, which finds the
# other apps' FHIR records through a setting.
MAY_IMPORT = {
    "clinic": set(),
    "assessments": {"clinic"},
    "portal": {"clinic", "assessments"},
    "outcomes": {"clinic", "assessments", "portal"},
    "interop": {"clinic", "assessments"},
}


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_an_app_imports_only_the_apps_below_it(app):
    offenders = [
        f"{source.relative_to(ROOT)} imports {module}"
        for source, module in imported_modules(app)
        if module.split(".")[0] in MAY_IMPORT
        and module.split(".")[0] != app
        and module.split(".")[0] not in MAY_IMPORT[app]
    ]

    assert offenders == []
