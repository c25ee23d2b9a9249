"""The layout of issue 16 (ARCHITECTURE.md): the import direction between apps, helpers out of
conftest modules, and the lint and type checks CI runs."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
MAX_MODULE_LINES = 400
# Modules still over the limit, to be split by their owners (issue 16): they may only shrink.
OVER_THE_LIMIT: dict[str, int] = {}
SKIPPED_DIRS = {".venv", "migrations", "node_modules", "static", "var", "__pycache__"}


def _layers_contract() -> dict:
    (contract,) = [c for c in PYPROJECT["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    return contract


def _layered_apps() -> set[str]:
    names = set()
    for layer in _layers_contract()["layers"]:
        names.update(name.strip(" ()") for name in re.split(r"[|:]", layer))
    return names


def _project_apps() -> set[str]:
    """The INSTALLED_APPS that live in this repository, and the project package (settings, URLconf)."""
    installed = {
        c.name.split(".")[0]
        for c in apps.get_app_configs()
        # The venv lives inside the clone (make venv): its packages are not the project's apps.
        if Path(c.path).is_relative_to(ROOT) and ".venv" not in Path(c.path).relative_to(ROOT).parts
    }
    return installed | {"baiyin_eval"}


def _modules() -> list[Path]:
    return sorted(
        path for path in ROOT.rglob("*.py") if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts[:-1])
    )


def test_apps_import_only_their_own_and_lower_apps():
    # lint-imports reads the layers contract from pyproject.toml; it names every import that breaks it.
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_app_of_the_project_has_its_place_in_the_layers():
    contract = _layers_contract()
    assert _project_apps() == _layered_apps()
    assert set(PYPROJECT["tool"]["importlinter"]["root_packages"]) == _layered_apps()
    # No layer is optional: an app that disappears must leave the contract too.
    assert not any("(" in layer for layer in contract["layers"])


def test_the_layers_are_those_of_the_architecture():
    assert _layers_contract()["layers"] == [
        "demo",
        "reports",
        "rollup",
        "dashboards",
        "ratings | fairness | interviews",
        "boards",
        "scoring",
        "members",
        "audit",
        "accounts",
        "branches",
        "baiyin_eval",
    ]


def test_no_module_outside_migrations_passes_400_lines():
    too_long = {}
    for path in _modules():
        name = str(path.relative_to(ROOT))
        with path.open(encoding="utf-8") as f:
            n = sum(1 for _ in f)
        if n > OVER_THE_LIMIT.get(name, MAX_MODULE_LINES):
            too_long[name] = n
    assert too_long == {}


def test_the_modules_over_the_limit_are_still_there_and_still_over_it():
    # Once split, a module leaves OVER_THE_LIMIT (so the list cannot hide a new long module).
    for name in OVER_THE_LIMIT:
        path = ROOT / name
        assert path.exists(), name
        assert len(path.read_text(encoding="utf-8").splitlines()) > MAX_MODULE_LINES, name


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
    # Findings are fixed, not silenced module by module.
    assert not [o for o in mypy.get("overrides", []) if o.get("ignore_errors")]


def test_the_services_and_selectors_pass_the_type_checker():
    # The same run as `make lint` (pyproject.toml's [tool.mypy]); here so that the suite fails too.
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_and_function_architecture_md_names_exists():
    import importlib

    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = []
    for name in sorted(set(re.findall(r"`([a-z_]+(?:\.[A-Za-z_]+)+)(?:\(|`)", text))):
        if name.split(".")[0] not in _layered_apps() or name.endswith((".py", ".md")):
            continue
        parts = name.split(".")
        for i in range(len(parts), 0, -1):
            try:
                found = importlib.import_module(".".join(parts[:i]))
            except ImportError:
                continue
            for attribute in parts[i:]:
                found = getattr(found, attribute, None)
            break
        else:
            found = None
        if found is None:
            missing.append(name)
    assert missing == []


def test_the_precision_of_numbers_is_defined_once():
    """A tenth and a cent are baiyin_eval.numbers' (re-exported by scoring.numbers): no other module
    writes its own constant for them."""
    constant = re.compile(r'^[A-Z_]+\s*(?::\s*\w+\s*)?=\s*Decimal\("0\.0?1"\)', re.M)
    home = ROOT / "baiyin_eval" / "numbers.py"
    copies = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if path != home
        and not {".venv", "tests", "migrations", "node_modules"} & set(path.relative_to(ROOT).parts)
        and constant.search(path.read_text(encoding="utf-8"))
    ]
    assert copies == []
