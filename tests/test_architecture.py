"""The shape of the code, checked: imports flow one way through the layers (ARCHITECTURE.md),
Flask stays in the web layer and the CLI, the benchmark uses no test code, and no application
module grows past what one person reads in a sitting.

The import graph is read with `ast` from the source (every import, those inside functions
included), so nothing is imported to check it."""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 450

# Lowest first. A module may import from a lower rank, or from its own layer; layers sharing a
# rank are siblings that may not import each other (the extractor, the pure helpers and the
# database plumbing know nothing of one another). Prefixes are matched on whole dotted names.
LAYERS: list[tuple[int, str, tuple[str, ...]]] = [
    (0, "leaf", ("factcheck.vocabulary", "factcheck.limits", "factcheck.columns")),
    (1, "extraction", ("factcheck.extraction",)),
    (
        1,
        "helpers",
        ("factcheck.csv_io", "factcheck.charts", "factcheck.claimreview", "factcheck.rating_scale"),
    ),
    (1, "database", ("factcheck.db", "factcheck.data_version", "factcheck.backup")),
    (1, "fetching", ("factcheck.intake",)),  # fetch.py and page.py: no database, no Flask
    (2, "models", ("factcheck.models",)),
    (3, "workflow", ("factcheck.workflow",)),
    (4, "queries", ("factcheck.queries",)),
    (5, "data", ("factcheck.seeding", "factcheck.demo")),
    # the units of work background jobs run
    (5, "units", ("factcheck.intake.runs", "factcheck.mailing", "factcheck.webhook_runs")),
    (6, "jobs", ("factcheck.jobs",)),  # the task queue and its tasks
    # The JSON API is the web layer's other door (HTTP, Flask, the same request session).
    (7, "web", ("factcheck.web", "factcheck.extensions", "factcheck.api")),
    (7, "cli", ("factcheck.cli",)),
    (8, "app", ("factcheck",)),  # the app factory, `factcheck/__init__.py`
    (9, "worker", ("factcheck.worker",)),  # the task queue consumer's entry point
    (10, "devsupport", ("factcheck.devsupport",)),  # tests and bench only
]
SELF_CONTAINED = {"extraction"}  # imports nothing of the application, leaf modules included
FLASK_LAYERS = {"web", "cli", "jobs", "worker", "app", "devsupport"}
FLASK_PACKAGES = ("flask", "flask_wtf", "flask_login", "werkzeug", "wtforms", "click")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, dotted module) for every import in the file, relative ones resolved; `from
    package import module` names the module."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                as_path = root.joinpath(*candidate.split("."))
                is_module = as_path.with_suffix(".py").is_file() or as_path.is_dir()
                found.append((node.lineno, candidate if is_module else target))
    return found


def layer_of(module: str) -> tuple[int, str] | None:
    best = None
    for rank, layer, prefixes in LAYERS:
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and (best is None or len(prefix) > best[2]):
                best = (rank, layer, len(prefix))
    return None if best is None else best[:2]


def layer_violations(root: Path) -> list[str]:
    problems = []
    for path in sorted((root / "factcheck").rglob("*.py")):
        source = module_name(path, root)
        rank, layer = layer_of(source)
        for line, target in imports_of(path, root):
            where = f"{path.relative_to(root)}:{line}"
            if target.split(".")[0] in FLASK_PACKAGES and layer not in FLASK_LAYERS:
                problems.append(f"{where}: {layer} imports {target} (Flask stays in web and cli)")
            if target.split(".")[0] == "tests":
                problems.append(f"{where}: the application imports test code ({target})")
            to = layer_of(target)
            if to is None:
                continue
            to_rank, to_layer = to
            if to_layer != layer and (to_rank >= rank or layer in SELF_CONTAINED):
                problems.append(f"{where}: {layer} imports {to_layer} ({target})")
    return problems


def test_imports_flow_down_the_layers():
    assert layer_violations(ROOT) == []


def test_every_application_module_has_a_layer():
    missing = [
        module_name(p, ROOT)
        for p in (ROOT / "factcheck").rglob("*.py")
        if layer_of(module_name(p, ROOT))[1] == "app" and p != ROOT / "factcheck/__init__.py"
    ]
    assert missing == [], "place each new top-level module in LAYERS"


@pytest.mark.parametrize(
    ("module", "line", "expected"),
    [
        ("models/claim.py", "from factcheck.workflow import states", "models imports workflow"),
        (
            "workflow/imports.py",
            "from factcheck.queries.exports import x",
            "workflow imports queries",
        ),
        (
            "claimreview.py",
            "from factcheck.extraction.attribution import A",
            "helpers imports extraction",
        ),
        ("extraction/text.py", "from ..models import Claim", "extraction imports models"),
        ("extraction/lexicon.py", "from factcheck import limits", "extraction imports leaf"),
        ("queries/claims.py", "from flask import request", "queries imports flask"),
        ("web/cache.py", "from factcheck.cli import data", "web imports cli"),
        ("workflow/claims.py", "from tests.factories import make_claim", "imports test code"),
    ],
)
def test_a_forbidden_import_is_caught(tmp_path, module, line, expected):
    """The check itself: a copy of the package with one bad import added fails it."""
    shutil.copytree(ROOT / "factcheck", tmp_path / "factcheck", ignore=_no_caches)
    target = tmp_path / "factcheck" / module
    target.write_text(target.read_text("utf-8") + f"\n\ndef _bad():\n    {line}\n", "utf-8")
    problems = layer_violations(tmp_path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"factcheck/{module}:")
    assert expected in problems[0]


def _no_caches(_folder, names):
    return [n for n in names if n == "__pycache__"]


def test_the_benchmark_uses_no_test_code():
    """bench/ imports its databases, live server and inputs from `factcheck.devsupport`."""
    bad = [
        f"{path.relative_to(ROOT)}:{line} {target}"
        for path in sorted((ROOT / "bench").rglob("*.py"))
        for line, target in imports_of(path, ROOT)
        if target == "tests" or target.startswith("tests.")
    ]
    assert bad == []


def test_no_application_module_is_too_long():
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in sorted((ROOT / "factcheck").rglob("*.py"))
        if (n := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_the_extractor_and_claimreview_name_the_article_alike():
    """The one constant the self-contained extractor shares with the rest of the application."""
    from factcheck.extraction.attribution import ARTICLE
    from factcheck.vocabulary import CLAIMANT_ARTICLE

    assert ARTICLE == CLAIMANT_ARTICLE


def _calls(path: Path) -> Iterator[ast.Call]:
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Call):
            yield node


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def test_history_details_and_names_come_from_events_and_vocabulary():
    """Every event's `details` is built by a function of workflow/events.py (so the services,
    the CSV import and the demo data agree on its shape) and its name is a HistoryAction: no
    dict literal as `details`/`history_details`, no string literal as `action`."""
    recorders = {"record", "new_event", "create_claim"}
    bad = []
    for path in sorted((ROOT / "factcheck").rglob("*.py")):
        for call in _calls(path):
            if _called_name(call) not in recorders:
                continue
            for keyword in call.keywords:
                literal = (
                    keyword.arg in ("details", "history_details")
                    and isinstance(keyword.value, ast.Dict | ast.DictComp)
                ) or (
                    keyword.arg == "action"
                    and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, str)
                )
                if literal:
                    bad.append(f"{path.relative_to(ROOT)}:{call.lineno} {keyword.arg}=")
    assert bad == []


# Quoted status words that are not statuses: each one explained.
STATUS_WORD_EXCEPTIONS = {
    # The report's count of published claims, a key of its result.
    ("factcheck/queries/reports.py", "published"),
    # The claim page's counts: "pending" work, a key of the dict the template reads.
    ("factcheck/queries/claim_page.py", "pending"),
}


def _status_words() -> set[str]:
    from factcheck.vocabulary import ClaimStatus, RequestStatus, VerdictState

    return {str(v) for enum in (ClaimStatus, VerdictState, RequestStatus) for v in enum}


def test_no_status_is_spelled_in_views_queries_or_templates():
    """Claim statuses, verdict states and intake request statuses are compared through the
    enums of factcheck/vocabulary.py, never as quoted strings, in the layers that read them."""
    words = _status_words()
    found = set()
    for folder in ("factcheck/web", "factcheck/queries", "factcheck/api"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Constant) and node.value in words:
                    found.add((str(path.relative_to(ROOT)), node.value))
    alternatives = "|".join(sorted(words))
    quoted = re.compile(rf"""['"]({alternatives})['"]""")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for match in quoted.finditer(path.read_text("utf-8")):
            found.add((str(path.relative_to(ROOT)), match.group(1)))
    assert found - STATUS_WORD_EXCEPTIONS == set()


def test_the_import_fills_the_builders_own_json():
    """The CSV import writes claim_created and source_added as JSON templates for speed; they
    must stay what `canonical_json(builder(...))` gives for the same values."""
    from factcheck.workflow import import_writes as imports
    from factcheck.workflow.events import (
        claim_created_details,
        import_extra,
        source_added_details,
    )
    from factcheck.workflow.history import canonical_json

    fields = {"text": 'Said "{x}" ü', "priority": 3, "due_date": None}
    made = imports.CLAIM_CREATED_JSON.format(
        fields=canonical_json(fields), file=canonical_json("a {b}.csv"), line=7
    )
    assert made == canonical_json(
        claim_created_details("import", fields, import_extra("a {b}.csv", 7))
    )
    made = imports.SOURCE_ADDED_JSON.format(fields=canonical_json(fields), source_id=12)
    assert made == canonical_json(source_added_details(12, fields))
