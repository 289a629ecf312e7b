"""The shape of the code, checked: imports flow one way through the layers (ARCHITECTURE.md),
Flask stays in the web layer and the CLI, the benchmark uses no test code, and no application
module grows past what one person reads in a sitting.

The import graph is read with `ast` from the source (every import, those inside functions
included), so nothing is imported to check it."""

from __future__ import annotations

import ast
import shutil
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
    (1, "helpers", ("factcheck.csv_io", "factcheck.charts", "factcheck.claimreview")),
    (1, "database", ("factcheck.db", "factcheck.data_version", "factcheck.backup")),
    (1, "fetching", ("factcheck.intake",)),  # fetch.py and page.py: no database, no Flask
    (2, "models", ("factcheck.models",)),
    (3, "workflow", ("factcheck.workflow",)),
    (4, "queries", ("factcheck.queries",)),
    (5, "data", ("factcheck.seeding", "factcheck.demo")),
    (5, "units", ("factcheck.intake.runs",)),  # the units of work background jobs run
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
