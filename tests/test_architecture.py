"""The architecture's promises, checked on the source (docs/ARCHITECTURE.md):

- statuses are named by their TextChoices, never typed as string literals (in SQL too, where
  they are passed as parameters);
- no module grows past 400 lines (migrations and data tables excepted);
- the apps depend one way (the import-linter contracts in pyproject.toml).
"""

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import models

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "core",
    "references",
    "requests_app",
    "notifications",
    "marketing",
    "limits",
    "matching",
    "workflows",
    "insights",
    "customers",
    "portals",
    "api",
    "rms",
    "bench",
    "scripts",
]
# Data tables (lists of words and taxonomies), not logic.
DATA_TABLES = {"references/taxonomy_data.py", "references/management/demo_words.py"}
MAX_LINES = 400
# Where a status may live in a string: a SQL literal such as 'resting'.
SQL_QUOTED = re.compile(r"'([a-z_]+)'")
SQL_WORDS = re.compile(r"\b(SELECT|UPDATE|INSERT|WHERE|CASE WHEN)\b")
STATUS_NAMES = re.compile(r"status|state|outcome|stage", re.IGNORECASE)


def status_values() -> dict[str, str]:
    """Every value of the status-like choices, with the choices that name it."""
    from customers.statuses import ErasureStatus
    from limits.models import UsageState
    from notifications.models import Status as NotificationStatus
    from references.models import Opportunity
    from references.statuses import ReferenceStatus
    from requests_app.statuses import NominationStatus, RequestStatus
    from workflows.models import Task

    choices: list[type[models.TextChoices]] = [
        ReferenceStatus,
        RequestStatus,
        NominationStatus,
        Task.Status,
        NotificationStatus,
        UsageState,
        Opportunity.Outcome,
        Opportunity.Stage,
        ErasureStatus,
    ]
    return {value: f"{c.__qualname__}.{c(value).name}" for c in choices for value in c.values}


def source_files() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _is_choices_class(node: ast.AST) -> bool:
    names = {getattr(base, "attr", getattr(base, "id", "")) for base in getattr(node, "bases", ())}
    return isinstance(node, ast.ClassDef) and bool(names & {"TextChoices", "IntegerChoices"})


def _strings(node: ast.AST) -> list[str] | None:
    """The string constants of a literal (one string, or a tuple/list/set of them); None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set) and node.elts:
        items = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        return items if len(items) == len(node.elts) else None
    return None


def status_literals(path: Path, values: dict[str, str]) -> Iterator[str]:
    """Where `path` types a status: compared with or passed to something named status/state/
    outcome/stage, a collection made only of statuses, or a status quoted in SQL."""
    tree = ast.parse(path.read_text())
    skip = {id(n) for node in ast.walk(tree) if _is_choices_class(node) for n in ast.walk(node)}
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            named = any(STATUS_NAMES.search(ast.unparse(side)) for side in sides)
            for side in sides:
                found = [s for s in (_strings(side) or []) if s in values]
                if named and found:
                    yield f"{where}:{node.lineno} compares with {found}"
        elif isinstance(node, ast.keyword) and node.arg and STATUS_NAMES.search(node.arg):
            found = [s for s in (_strings(node.value) or []) if s in values]
            if found:
                yield f"{where}:{node.lineno} passes {node.arg}={found}"
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = _strings(node)
            if items and len(items) >= 2 and all(s in values for s in items):
                yield f"{where}:{node.lineno} lists statuses {items}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_WORDS.search(node.value):
            found = [w for w in SQL_QUOTED.findall(node.value) if w in values]
            if found:
                yield f"{where}:{node.lineno} quotes {found} in SQL"


def test_statuses_are_named_by_their_choices_never_typed_as_strings():
    values = status_values()
    found = [hit for path in source_files() for hit in status_literals(path, values)]
    advice = "Name statuses by their TextChoices (SQL: pass them as parameters):\n"
    assert found == [], advice + "\n".join(found)


# In a template: `{% if req.status == "scheduled" %}`, `{% if deal.outcome != 'open' %}`.
TEMPLATE_COMPARISON = re.compile(r"(\w*(?:status|state|outcome|stage)\w*)\s*(?:==|!=)\s*[\"']([a-z_]+)[\"']")


def test_templates_ask_the_models_not_the_status_strings():
    """A template shows a status's label; what a status means is a model property or the view's."""
    values = status_values()
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            found += [
                f"{path.relative_to(ROOT)}:{number} {name} == {value!r}"
                for name, value in TEMPLATE_COMPARISON.findall(line)
                if value in values
            ]
    assert found == [], "\n".join(found)


def test_the_status_check_finds_a_typed_status(tmp_path):
    """The check above would catch each way of typing a status."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "if contact.status == 'resting': pass\n"
        "Contact.objects.filter(status__in=['active', 'resting'])\n"
        "LIVE = ('submitted', 'in_review')\n"
        "SQL = \"SELECT 1 FROM c WHERE c.status = 'active'\"\n"
        "class Kind(models.TextChoices):\n    ACTIVE = 'active', 'Active'\n"
    )
    hits = list(status_literals(sample, status_values()))
    assert {hit.split(" ", 1)[0] for hit in hits} == {
        "sample.py:1",
        "sample.py:2",
        "sample.py:3",
        "sample.py:4",
    }


def test_no_module_is_longer_than_400_lines():
    long = {}
    for path in source_files():
        name = str(path.relative_to(ROOT))
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES and name not in DATA_TABLES:
            long[name] = lines
    assert long == {}, f"Split these by sub-domain (at most {MAX_LINES} lines each): {long}"


def test_apps_depend_one_way():
    """The import-linter contracts hold (also run by `make lint`): a back-import fails here."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    if not lint_imports.exists():
        pytest.fail("import-linter is not installed: `make install` installs the dev dependencies")
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:]
