"""The house imports one way (config → creators → campaigns → the newer apps), read from the source with ``ast``:
creators never imports the apps above it, and tasks are queued by name (config.queue), never by importing them."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCT = ["config", "creators", "campaigns", "platforms", "workspace", "portal", "outreach", "audit", "bench"]


def modules(package: str) -> dict[str, Path]:
    """Every module of ``package`` by dotted name (``creators.views``, ``creators.management.commands.x``)."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path) -> set[str]:
    """The modules ``name`` imports anywhere in its source (functions too), relative imports made absolute; for
    ``from x import y`` both ``x`` and ``x.y`` (y may be a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return found


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_creators_never_imports_the_apps_above_it():
    above = ["campaigns", "platforms", "workspace", "portal", "outreach"]
    offenders = {
        name: sorted(m for m in imports(name, path) if any(within(m, app) for app in above))
        for name, path in modules("creators").items()
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_product_module_imports_the_creators_tasks():
    allowed = {"creators.tasks", "config.celery_app"}
    offenders = [
        name
        for package in PRODUCT
        for name, path in modules(package).items()
        if name not in allowed and "creators.tasks" in imports(name, path)
    ]
    assert offenders == []


def test_the_rules_see_imports_inside_functions_and_relative_ones(tmp_path):
    source = tmp_path / "views.py"
    source.write_text("def f():\n    from .tasks import x\n    from campaigns.access import y\n")
    assert {"creators.tasks", "campaigns.access"} <= imports("creators.views", source)


def test_every_task_queued_by_name_exists():
    from config.celery_app import app

    app.autodiscover_tasks(force=True)
    queued = {
        node.args[0].value
        for package in PRODUCT
        for path in modules(package).values()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", None)) == "enqueue"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and ".tasks." in node.args[0].value  # config.queue's, not another function of that name
    }
    assert "creators.tasks.import_file" in queued
    assert queued - set(app.tasks) == set()


def test_campaigns_never_imports_the_apps_above_it():
    offenders = {
        name: sorted(
            m for m in imports(name, path) if any(within(m, app) for app in ("workspace", "portal", "outreach"))
        )
        for name, path in modules("campaigns").items()
    }
    assert {name: found for name, found in offenders.items() if found} == {}
