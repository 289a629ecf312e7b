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
    _one_problem(layer_violations(_copy_with(tmp_path, module, line)), module, expected)


def _no_caches(_folder, names):
    return [n for n in names if n == "__pycache__"]


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the package whose `module` ends with a function running `line`."""
    shutil.copytree(ROOT / "factcheck", tmp_path / "factcheck", ignore=_no_caches)
    target = tmp_path / "factcheck" / module
    target.write_text(target.read_text("utf-8") + f"\n\ndef _bad():\n    {line}\n", "utf-8")
    return tmp_path


def _one_problem(problems: list[str], module: str, expected: str) -> None:
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"factcheck/{module}:")
    assert expected in problems[0]


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


# ------------------------------------------------- one source of truth (issue 15)
# Where the history's hash input is built and events are linked onto a chain: hashing.py, and
# history.py's `event_hash` (the verifier's). Everyone else (services, import, demo) calls
# `chain_links`; the demo fills the ids it draws late into `json_template` slots.
HASHING_MODULES = {"factcheck/workflow/hashing.py", "factcheck/workflow/history.py"}
# Columns the services' pure builders set (`accounts.new_user_columns`,
# `articles.article_columns`, `claims.comment_columns`, `review.drafted_verdict`): the demo
# takes them from the builders, never spells them as a dict literal's keys.
BUILT_COLUMNS = {
    "username", "display_name", "email", "session_generation", "must_change_password",  # users
    "slug", "author",  # articles
    "author_id", "body",  # comments
    "drafted_by_id", "decided_by_id", "decided_at", "return_reason", "rationale", "state",
}  # fmt: skip
# Where roles are grouped: the vocabulary (`is_editor`), the status machine (`ACTION_ROLES`)
# and the predicates over them. Anywhere else asks `workflow/permissions.py`.
ROLE_MODULES = {
    "factcheck/vocabulary.py",
    "factcheck/workflow/states.py",
    "factcheck/workflow/permissions.py",
}


def _trees(root: Path, folder: str = "factcheck") -> Iterator[tuple[str, ast.AST]]:
    for path in sorted((root / folder).rglob("*.py")):
        yield str(path.relative_to(root)), ast.parse(path.read_text("utf-8"), str(path))


def _is_role(node: ast.AST) -> bool:
    """`Role.X` or `Role.X.value`."""
    if isinstance(node, ast.Attribute) and node.attr == "value":
        node = node.value
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
    )


def restated_rules(root: Path) -> list[str]:
    """Places that restate what has one definition elsewhere (see the constants above)."""
    problems = []
    for where, tree in _trees(root):
        demo = where.startswith("factcheck/demo/")
        names: set[str] = set()
        for node in ast.walk(tree):
            line = f"{where}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            if isinstance(node, ast.Call) and where not in HASHING_MODULES:
                called = _called_name(node)
                if called in ("canonical_event", "hash_text") or (demo and called == "sha256"):
                    problems.append(f"{line}: hashes history itself ({called})")
            if demo and isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if {"hashlib", "hmac"} & set(modules):
                    problems.append(f"{line}: the demo imports {modules}")
            if demo and isinstance(node, ast.Constant) and '":null' in str(node.value):
                problems.append(f"{line}: the demo edits canonical JSON as text")
            if demo and isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if keys & BUILT_COLUMNS:
                    problems.append(f"{line}: the demo builds a row by hand {sorted(keys)}")
            if where not in ROLE_MODULES:
                children = (
                    node.elts
                    if isinstance(node, ast.List | ast.Tuple | ast.Set)
                    else node.args
                    if isinstance(node, ast.Call)
                    else []
                )
                if sum(map(_is_role, children)) >= 2:
                    problems.append(f"{line}: a list of roles (ask workflow/permissions.py)")
                if isinstance(node, ast.Compare) and any(
                    isinstance(side, ast.Attribute) and side.attr == "drafted_by_id"
                    for side in (node.left, *node.comparators)
                ):
                    problems.append(f"{line}: the two-person rule restated (is_own_draft)")
        if where == "factcheck/demo/planning.py":
            for needed in ("role_may", "may_decide"):
                if needed not in names:
                    problems.append(f"{where}: picks people without permissions.{needed}")
        if where == "factcheck/demo/writing.py" and "chain_links" not in names:
            problems.append(f"{where}: links events without history.chain_links")
    return problems


def test_each_rule_is_defined_once():
    """The demo hashes and links its events with the services' functions, builds users,
    articles, comments and verdicts with their builders, and picks who decides through the
    permissions; nothing outside the permissions lists roles or compares a drafter."""
    assert restated_rules(ROOT) == []


@pytest.mark.parametrize(
    ("module", "code", "expected"),
    [
        ("demo/writing.py", "hash_text(text)", "hashes history itself"),
        ("demo/writing.py", "import hashlib", "the demo imports"),
        ("demo/writing.py", "'\"%s\":null' % key", "edits canonical JSON as text"),
        ("demo/planning.py", "{'username': u, 'email': e}", "builds a row by hand"),
        ("demo/simulation.py", "{'author_id': a, 'body': b}", "builds a row by hand"),
        ("demo/planning.py", "[Role.EDITOR, Role.ADMIN]", "a list of roles"),
        ("web/auth.py", "role_required(Role.EDITOR, Role.ADMIN)", "a list of roles"),
        ("demo/planning.py", "verdict.drafted_by_id != person.id", "two-person rule"),
        ("queries/queue.py", "Verdict.drafted_by_id != user.id", "two-person rule"),
    ],
)
def test_a_restated_rule_is_caught(tmp_path, module, code, expected):
    """The check itself: a copy of the package with one restatement added fails it."""
    _one_problem(restated_rules(_copy_with(tmp_path, module, code)), module, expected)


@pytest.mark.parametrize(
    ("module", "old", "new", "expected"),
    [
        ("demo/planning.py", "can.may_decide(", "(lambda *a: True)(", "permissions.may_decide"),
        ("demo/writing.py", "chain_links", "our_links", "history.chain_links"),
    ],
)
def test_a_demo_that_stops_asking_the_workflow_is_caught(tmp_path, module, old, new, expected):
    shutil.copytree(ROOT / "factcheck", tmp_path / "factcheck", ignore=_no_caches)
    target = tmp_path / "factcheck" / module
    text = target.read_text("utf-8")
    assert old in text
    target.write_text(text.replace(old, new), "utf-8")
    problems = restated_rules(tmp_path)
    assert any(expected in problem for problem in problems), problems


def test_origins_and_scopes_come_from_the_vocabulary():
    """A claim's origin and a token's scope are `vocabulary.ClaimOrigin`/`TokenScope` members:
    never a quoted value passed as `origin=`/`scope=`, given as a parameter's default, or
    compared with."""
    from factcheck.vocabulary import ClaimOrigin, TokenScope

    words = {str(v) for enum in (ClaimOrigin, TokenScope) for v in enum}
    bad = []
    for where, tree in _trees(ROOT):
        for node in ast.walk(tree):
            quoted: list[ast.AST] = []
            if isinstance(node, ast.keyword) and node.arg in ("origin", "scope"):
                quoted = [node.value]
            elif isinstance(node, ast.FunctionDef):
                arguments = node.args
                named = [*arguments.posonlyargs, *arguments.args]
                with_default = named[len(named) - len(arguments.defaults) :]
                pairs = list(zip(with_default, arguments.defaults, strict=True))
                pairs += list(zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True))
                quoted = [d for a, d in pairs if d is not None and a.arg in ("origin", "scope")]
            elif isinstance(node, ast.Compare):
                quoted = [node.left, *node.comparators]
            bad += [
                f"{where}:{q.lineno} {q.value!r}"
                for q in quoted
                if isinstance(q, ast.Constant) and q.value in words
            ]  # fmt: skip
    assert bad == []
