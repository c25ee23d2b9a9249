"""The layout of issue 16 (ARCHITECTURE.md): helpers out of conftest modules, and the lint and type
checks CI runs."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SKIPPED_DIRS = {".venv", "migrations", "node_modules", "static", "var", "__pycache__"}


def _modules() -> list[Path]:
    return sorted(
        path for path in ROOT.rglob("*.py") if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts[:-1])
    )


def test_no_module_imports_a_conftest():
    # Fixtures stay in conftest modules (pytest finds them by name); plain helpers live in helpers.py.
    offenders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(name.split(".")[-1] == "conftest" for name in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_ci_runs_the_linter_the_formatter_and_the_type_checker_before_the_suite():
    commands = [
        line.split()[:2] for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.startswith("make ")
    ]
    assert commands.index(["make", "lint"]) < commands.index(["make", "test"])
    makefile = (ROOT / "Makefile").read_text()
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "ruff check ." in lint
    assert "ruff format --check ." in lint
    assert "mypy" in lint


def test_the_type_checker_covers_every_services_and_selectors_module():
    mypy = PYPROJECT["tool"]["mypy"]
    assert "mypy_django_plugin.main" in mypy["plugins"]
    covered = {path for pattern in mypy["files"] for path in ROOT.glob(pattern)}
    wanted = {
        path
        for path in _modules()
        if path.name in {"services.py", "selectors.py"} or path.parent.name in {"services", "selectors"}
    }
    assert wanted - covered == set()
