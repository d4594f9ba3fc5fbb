"""The core never imports Qt, and the schema migrations build exactly the models' schema."""

import ast
import subprocess
import sys
import warnings
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex
from sqlmodel import SQLModel

import readinglist
from readinglist.domain.models import SORT_INDEXES, Paper
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
    with database.engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot reflect an index on an expression (lower(title)): Alembic skips those
        # and says so; they are compared by name and definition below instead.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        stored = dict(
            connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).fetchall()
        )
    database.close()
    differences = [d for d in differences if not _expression_index(d)]
    assert differences == []
    for index in SORT_INDEXES:  # the migration made each as the model declares it
        declared = str(CreateIndex(index).compile(dialect=sqlite.dialect()))
        assert _plain(stored[index.name]) == _plain(declared)


def _plain(sql: str) -> str:
    return " ".join(sql.replace('"', "").replace("paper.", "").split()).lower()


def _expression_index(difference) -> bool:
    """Alembic reports the model's expression indexes as missing from the database, which it
    cannot read back on SQLite."""
    return (
        isinstance(difference, tuple)
        and difference[0] == "add_index"
        and difference[1].name in {i.name for i in SORT_INDEXES}
    )


def test_sorting_the_table_reads_an_index_not_the_papers(tmp_path):
    """The sort of each column walks a covering index (no temporary B-tree, no table scan)."""
    from readinglist.domain.filters import PaperFilter, Sort
    from readinglist.storage.papers import _filtered, _order_columns

    database = Database.open(tmp_path)
    with database.read() as session:
        for key in ("added", "title", "author", "year", "venue", "rating", "status"):
            for descending in (False, True):
                statement = _filtered(select(Paper.__table__.c.id), PaperFilter(), session)
                statement = statement.order_by(*_order_columns(Sort(key, descending), False))
                compiled = statement.compile(
                    dialect=session.bind.dialect, compile_kwargs={"literal_binds": True}
                )
                plan = " ".join(
                    row[3]
                    for row in session.connection().exec_driver_sql(
                        f"EXPLAIN QUERY PLAN {compiled}"
                    )
                )
                assert "TEMP B-TREE" not in plan, (key, descending, plan)
                assert "ix_paper_live_" in plan, (key, plan)
    database.close()


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


def test_foreign_keys_wal_and_a_busy_timeout_are_on(tmp_path):
    database = Database.open(tmp_path)
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    # and once a schema upgrade is done, foreign keys are back on for the writer too
    with database.write() as session:
        assert session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.close()


def test_a_library_of_the_first_schema_upgrades_with_its_papers_sortable(tmp_path):
    from alembic import command
    from alembic.config import Config

    from readinglist.storage.database import MIGRATIONS
    from readinglist.storage.sqlite import create_sqlite_engine

    engine = create_sqlite_engine(tmp_path / "library.sqlite3")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001_initial")
        connection.exec_driver_sql(
            "INSERT INTO paper (key, entry_type, title, title_norm, abstract, venue, volume, "
            "number, pages, publisher, doi, arxiv_id, isbn, url, code_url, extra, rating, "
            "status, added_at, updated_at, version) VALUES ('odegaard2020', 'article', 'T', "
            "'t', '', '', '', '', '', '', '', '', '', '', '', '{}', 0, 'unread', "
            "'2020-01-01 00:00:00', '2020-01-01 00:00:00', 1)"
        )
        connection.exec_driver_sql(
            "INSERT INTO paper_author (paper_id, position, family, given, particle, suffix, "
            "literal) VALUES (1, 0, 'Ødegaard', 'Ida', '', '', '')"
        )
    engine.dispose()
    database = Database.open(tmp_path)
    assert database.schema_revision() == HEAD_REVISION
    with database.read() as session:
        assert session.execute(select(Paper.sort_author)).scalar_one() == "odegaard"
    database.close()


def test_migrations_build_the_same_schema_on_postgresql(postgres_address):
    """A shared library's schema comes from the same migrations and matches the same models,
    expression indexes included (PostgreSQL reflects them)."""
    database = Database.open_shared(postgres_address)
    assert database.schema_revision() == HEAD_REVISION
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        lengths = connection.exec_driver_sql(
            "SELECT table_name, column_name FROM information_schema.columns WHERE "
            "table_schema = 'public' AND character_maximum_length IS NOT NULL "
            "AND table_name <> 'alembic_version'"
        ).fetchall()
    database.close()
    assert differences == []
    assert lengths == []  # no text a SQLite file holds is too long for the server
