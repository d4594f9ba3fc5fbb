"""The core never imports Qt, and the schema migrations build exactly the models' schema."""

import ast
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import readinglist
from readinglist.storage.database import HEAD_REVISION, Database

PACKAGE = Path(readinglist.__file__).parent
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6")


def core_modules() -> list[str]:
    names = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = relative.parts
        if "gui" in parts or "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts))
    return sorted(names)


def test_no_core_module_names_qt_in_its_imports():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "gui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in QT_MODULES]
    assert offenders == []


def test_importing_the_whole_core_loads_no_qt(tmp_path):
    """Stand-in Qt packages that fail on import: any core module reaching Qt fails here, even
    on a machine where the real Qt is not installed."""
    for name in QT_MODULES:
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(
            f"raise ImportError('the core imported {name}')\n"
        )
    modules = core_modules()
    assert "readinglist.services.library" in modules and "readinglist.cli.main" in modules
    script = (
        "import importlib, sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_migrations_build_the_same_schema_as_the_models(tmp_path):
    database = Database.open(tmp_path)
    assert database.schema_revision() == HEAD_REVISION
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    database.close()
    assert differences == []


def test_opening_an_up_to_date_library_does_not_run_alembic(tmp_path):
    Database.open(tmp_path).close()
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from readinglist.storage.database import Database\n"
        f"Database.open(Path({str(tmp_path)!r})).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_foreign_keys_and_wal_are_on(tmp_path):
    database = Database.open(tmp_path)
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    database.close()
