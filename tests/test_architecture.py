"""The layers of DESIGN.md §2 are kept apart: an AST walk over every module of maison_app/.

    views ──> ui ──> services ──> db ──> domain
      │        │        └──────> documents ──> domain
      └────────┴──> domain, i18n

Every import is checked, including those inside functions and under TYPE_CHECKING, relative
imports and `importlib.import_module("…")` / `__import__("…")` with a literal name.
`maison_app.i18n` is a leaf anyone may import; it imports nothing from maison_app. The
composition root (app.py, cli.py, __main__.py) may import anything.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import maison_app

PACKAGE = "maison_app"
PACKAGE_DIR = Path(maison_app.__file__).resolve().parent

QT = ("PySide6", "shiboken6")
SQL = ("sqlalchemy", "alembic", "maison_app.db")


def _pkg(*names: str) -> tuple[str, ...]:
    return tuple(f"{PACKAGE}.{n}" for n in names)


# layer (first package under maison_app) -> module prefixes it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": QT + _pkg("db", "services", "documents", "ui", "views"),
    "db": QT + _pkg("services", "documents", "ui", "views"),
    "documents": QT + _pkg("db", "services", "ui", "views"),
    "services": QT + _pkg("ui", "views"),
    "ui": SQL + _pkg("views"),  # the shell never reaches into a screen
    "views": SQL,
    # the leaf: nothing from the package at all
    "i18n": (PACKAGE,),
}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    imported: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.imported!r} ({self.rule})"


def _matches(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_of(module: str) -> str | None:
    """'maison_app.services.people' -> 'services'; 'maison_app.i18n' -> 'i18n'."""
    parts = module.split(".")
    if parts[0] != PACKAGE or len(parts) < 2:
        return None
    return parts[1] if parts[1] in FORBIDDEN else None


def _resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of `from <level dots><target> import …` written in `module`."""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def imported_modules(source: str, module: str, *, is_package: bool = False):
    """Yield (line, imported module name) for every import in `source`.

    `from X import a, b` yields X and also X.a and X.b (a name may be a submodule)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = (
                _resolve_relative(module, is_package, node.level, node.module)
                if node.level
                else node.module or ""
            )
            yield node.lineno, base
            for alias in node.names:
                if alias.name != "*":
                    yield node.lineno, f"{base}.{alias.name}"
        elif isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr if isinstance(func, ast.Attribute)
                else func.id if isinstance(func, ast.Name) else None
            )
            if (
                name in ("import_module", "__import__")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield node.lineno, node.args[0].value


def check_source(source: str, module: str, path: str, *, is_package: bool = False) -> list[Violation]:
    layer = layer_of(module)
    if layer is None:
        return []
    found: list[Violation] = []
    seen: set[tuple[int, str]] = set()
    for line, name in imported_modules(source, module, is_package=is_package):
        for prefix in FORBIDDEN[layer]:
            if _matches(name, prefix) and (line, prefix) not in seen:
                # `from maison_app import i18n` is how the leaf is reached: only the
                # module itself is judged for the bare package name.
                if layer != "i18n" and name == PACKAGE:
                    continue
                seen.add((line, prefix))
                found.append(Violation(path, line, name, f"{layer} must not import {prefix}"))
    return found


def module_name(path: Path) -> tuple[str, bool]:
    rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = list(rel.parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def package_sources() -> list[Path]:
    return sorted(
        p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts
    )


def test_the_walk_sees_the_package():
    names = {module_name(p)[0] for p in package_sources()}
    # the layers that exist from the foundation on
    for expected in ("maison_app.i18n", "maison_app.domain.records", "maison_app.db.models",
                     "maison_app.services.reception"):
        assert expected in names


def test_layers_are_respected():
    violations: list[Violation] = []
    for path in package_sources():
        module, is_package = module_name(path)
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(PACKAGE_DIR.parent).as_posix()
        violations += check_source(source, module, rel, is_package=is_package)
    assert not violations, "Layer violations:\n" + "\n".join(str(v) for v in violations)


# --- the checker checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "source", "imported"),
    [
        ("maison_app.domain.records", "import PySide6\n", "PySide6"),
        ("maison_app.services.x", "from PySide6.QtCore import QObject\n", "PySide6.QtCore"),
        ("maison_app.documents.x", "import shiboken6\n", "shiboken6"),
        ("maison_app.db.models", "def f():\n    from PySide6 import QtGui\n", "PySide6"),
        ("maison_app.ui.main_window", "import sqlalchemy as sa\n", "sqlalchemy"),
        ("maison_app.views.reception.screen", "from sqlalchemy.orm import Session\n",
         "sqlalchemy.orm"),
        ("maison_app.views.reception.screen", "from maison_app.db.models import Visit\n",
         "maison_app.db.models"),
        ("maison_app.ui.x", "from maison_app import db\n", "maison_app.db"),
        ("maison_app.ui.x", "import alembic.command\n", "alembic.command"),
        ("maison_app.domain.text", "from maison_app.db.base import Base\n", "maison_app.db.base"),
        ("maison_app.domain.text", "from ..services import people\n", "maison_app.services"),
        ("maison_app.db.models", "from maison_app.services.context import Database\n",
         "maison_app.services.context"),
        ("maison_app.db.models", "from maison_app.documents import presence_list\n",
         "maison_app.documents"),
        ("maison_app.documents.presence_list", "from maison_app.db import models\n",
         "maison_app.db"),
        ("maison_app.documents.presence_list", "from ..services.settings import X\n",
         "maison_app.services.settings"),
        ("maison_app.services.reception", "from maison_app.ui.messages import show\n",
         "maison_app.ui.messages"),
        ("maison_app.ui.main_window", "from maison_app.views.reception import ReceptionScreen\n",
         "maison_app.views.reception"),
        ("maison_app.services.reception", "import importlib\nimportlib.import_module('PySide6.QtWidgets')\n",
         "PySide6.QtWidgets"),
        ("maison_app.i18n", "from maison_app.domain import enums\n", "maison_app.domain"),
        ("maison_app.i18n", "from maison_app import __version__\n", "maison_app"),
    ],
)
def test_checker_catches_a_bad_import(module, source, imported):
    violations = check_source(source, module, "synthetic.py")
    assert violations, f"{module} importing {imported} was not caught"
    assert violations[0].imported == imported
    assert violations[0].path == "synthetic.py"
    assert str(violations[0]).startswith(f"synthetic.py:{violations[0].line}: imports ")


def test_checker_reports_file_line_and_import():
    source = "import datetime\n\nfrom sqlalchemy import select\n"
    (violation,) = check_source(source, "maison_app.views.reception.screen", "views/x.py")
    assert (violation.path, violation.line, violation.imported) == ("views/x.py", 3, "sqlalchemy")
    assert str(violation).startswith("views/x.py:3: imports 'sqlalchemy'")


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("maison_app.services.reception", "from maison_app.db.models import Visit\n"),
        ("maison_app.services.reception", "from maison_app.documents import presence_list\n"),
        ("maison_app.services.reception", "from maison_app.i18n import _\n"),
        ("maison_app.db.engine", "from maison_app.domain.errors import DatabaseUnavailable\n"),
        ("maison_app.documents.x", "from maison_app.domain.records import VisitRecord\n"),
        ("maison_app.documents.x", "from maison_app import i18n\n"),
        ("maison_app.ui.x", "from PySide6.QtWidgets import QWidget\n"),
        ("maison_app.ui.x", "from maison_app.services.registry import Services\n"),
        ("maison_app.views.reception.screen", "from maison_app.ui.table import TableModel\n"),
        ("maison_app.views.reception.screen", "from . import widgets\n"),
        ("maison_app.domain.enums", "from maison_app.i18n import N_, _\n"),
        ("maison_app.i18n", "import gettext\nfrom babel.dates import format_date\n"),
        ("maison_app.app", "from maison_app.ui.application import run\n"),
        ("maison_app.cli", "from maison_app.db import migrate\n"),
    ],
)
def test_checker_allows_a_good_import(module, source):
    assert check_source(source, module, "synthetic.py") == []


def test_relative_imports_are_resolved():
    pairs = list(imported_modules("from ..db import models\n", "maison_app.services.people"))
    assert (1, "maison_app.db") in pairs and (1, "maison_app.db.models") in pairs
    pairs = list(imported_modules("from . import text\n", "maison_app.domain", is_package=True))
    assert (1, "maison_app.domain.text") in pairs
