"""The house plan, checked: no project module over 400 lines, and import-linter's contracts
(app layers, no cycles, services never importing their app's tasks) hold.

These run without the database, so a broken plan fails fast in every test run, not only in
``make lint``.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400
# Not project modules, or exempt by the house rules (migrations, demo data files).
SKIPPED_DIRS = {".venv", "var", "node_modules", "migrations", "staticfiles", "__pycache__"}
SKIPPED_PATHS = [ROOT / "demo" / "data"]


def project_modules() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts[:-1])
        if parts & SKIPPED_DIRS or any(path.is_relative_to(p) for p in SKIPPED_PATHS):
            continue
        found.append(path)
    return found


def test_no_project_module_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in project_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split by stage (house rule: at most {MAX_LINES} lines): {long}"


def test_the_line_check_sees_the_project():
    names = {str(path.relative_to(ROOT)) for path in project_modules()}
    assert "partnerships/services.py" in names and "tests/test_house_plan.py" in names
    assert not any("/migrations/" in name for name in names)


def _import_linter_config() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["tool"]["importlinter"]


def _apps() -> set[str]:
    """Top-level project packages (each app, config, bench, core…), tests excepted."""
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in SKIPPED_DIRS | {"tests"}
    }


def test_every_project_package_is_in_the_import_contracts():
    config = _import_linter_config()
    layered = set()
    for contract in config["contracts"]:
        if contract["type"] == "layers":
            for layer in contract["layers"]:
                for item in layer.replace(":", "|").split("|"):
                    layered.add(item.strip().strip("()"))
    missing_roots = _apps() - set(config["root_packages"])
    assert missing_roots == set(), "add these to [tool.importlinter] root_packages"
    assert _apps() - layered == set(), "give these packages their place in the app layers"


def test_every_app_with_tasks_has_its_services_kept_from_them():
    forbidden = {
        tuple(contract["forbidden_modules"])
        for contract in _import_linter_config()["contracts"]
        if contract["type"] == "forbidden"
    }
    with_tasks = {path.parent.name for path in ROOT.glob("*/tasks.py")}
    missing = sorted(app for app in with_tasks if (f"{app}.tasks",) not in forbidden)
    assert missing == [], (
        f"add a forbidden contract '<app>.* must not import <app>.tasks': {missing}"
    )


def test_import_contracts_hold():
    linter = Path(sys.executable).with_name("lint-imports")
    command = [str(linter)] if linter.exists() else ["lint-imports"]
    result = subprocess.run(  # noqa: S603 (our own venv's tool, fixed arguments)
        [*command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    report = result.stdout[result.stdout.find("Contracts") :]
    assert result.returncode == 0, report[-8000:] + result.stderr[-2000:]
