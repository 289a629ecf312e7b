"""`make bench` keeps working: the benchmark runs end to end on tiny databases and writes every
figure (the figures themselves are checked by reading them, not by tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_the_benchmark_runs_and_writes_its_figures(tmp_path):
    out = tmp_path / "results.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--small",
            "20",
            "--large",
            "60",
            "--seconds",
            "0.5",
            "--only",
            "sqlite",
            "--text-sizes",
            "20000",
            "--import-rows",
            "200",
            "--mixed-seconds",
            "0.5",
            "--users",
            "2",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,  # the mixed workload added two gunicorn runs
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(out.read_text())["backends"]["sqlite"]
    for name in (
        "list_scaling_page1",
        "list_scaling_deep",
        "max_statements_per_page",
        "report_overhead",
        "export_vs_native",
        "export_peak_mb",
        "throughput_ratio",
        "import_lock_s",
        "max_page_scaling",
        "mixed_ratio",
        "mixed_ratio_uncached",
    ):
        assert figures[name] > 0, name
    assert {"list search broad", "reports", "public list", "queue"} <= set(figures["page_scaling"])
    assert figures["statements_same"] is True
    assert "extraction_s_per_10k_words" in json.loads(out.read_text())["extraction"]
    text = json.loads(out.read_text())["text"]
    assert {"real @1500 KB extract", "(... @20 KB html", "<p>x @20 KB quote"} <= set(text)
