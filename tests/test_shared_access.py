"""Who may do what in a shared library is PostgreSQL's to decide, with the roles the README
gives; and a password never leaves memory."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from readinglist.cli.main import cli
from readinglist.domain.values import LibraryError, ReadOnlyLibrary
from readinglist.services.library import Library
from tests.factories import draft
from tests.pg_cluster import PASSWORD, PASSWORD_ROLE

README = Path(__file__).parent.parent / "README.md"


def readme_roles_sql() -> str:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- roles-sql -->\s*```sql\n(.*?)```\s*<!-- /roles-sql -->", text, re.S)
    assert block, "the README has lost its roles SQL"
    return block.group(1)


def as_user(address: str, user: str, password: str | None = None) -> str:
    server, database = address.rsplit("/", 1)
    host = server.split("@", 1)[1]
    login = f"{user}:{password}" if password else user
    return f"postgresql://{login}@{host}/{database}"


@pytest.fixture
def lab(postgres_address, tmp_path):
    """A shared library with one paper, and the README's roles made for it; the logins'
    names are made unique (roles belong to the whole cluster, which the tests share)."""
    with Library.open_shared(postgres_address, cache=tmp_path / "owner") as owner:
        paper = owner.add_paper(draft("Attention Is All You Need", year=2017)).created
    suffix = uuid.uuid4().hex[:8]
    names = {name: f"{name}_{suffix}" for name in ("lab_readers", "lab_editors", "alice", "bob")}
    sql = readme_roles_sql().replace(
        "DATABASE papers", f"DATABASE {postgres_address.rsplit('/', 1)[1]}"
    )
    for name, unique in names.items():
        sql = re.sub(rf"\b{name}\b", unique, sql)
    with psycopg.connect(postgres_address, autocommit=True) as admin:
        admin.execute(sql)
    return {
        "paper": paper,
        "alice": as_user(postgres_address, names["alice"]),
        "bob": as_user(postgres_address, names["bob"]),
    }


def test_a_reader_sees_everything_and_cannot_change_anything(lab, tmp_path):
    with Library.open_shared(lab["bob"], cache=tmp_path / "bob") as bob:
        assert bob.search_ids("attention") == [lab["paper"]]
        attempts = [
            lambda: bob.edit(lab["paper"], title="Changed"),
            lambda: bob.rate(lab["paper"], 5),
            lambda: bob.tag(lab["paper"], add=["mine"]),
            lambda: bob.add_note(lab["paper"], "a note"),
            lambda: bob.create_list("Mine"),
            lambda: bob.add_paper(draft("A Paper of Bob's")),
            lambda: bob.import_text("@article{b1, title={Imported by Bob}}"),
        ]
        for attempt in attempts:
            with pytest.raises(ReadOnlyLibrary, match="read-only library"):
                attempt()
        bob.pull()
        assert bob.get(lab["paper"]).title == "Attention Is All You Need"
        assert bob.count() == 1


def test_a_reader_is_told_so_on_the_command_line(lab):
    done = CliRunner().invoke(cli, ["--library", lab["bob"], "rate", str(lab["paper"]), "5"])
    assert done.exit_code == 1
    assert "read-only library" in done.output


def test_an_editor_changes_the_library_but_not_its_change_feed(lab, tmp_path):
    with psycopg.connect(lab["alice"], autocommit=True) as connection:
        for statement in ("DELETE FROM change_log", "UPDATE library_identity SET library_id = 'x'",
                          "DROP TABLE note"):  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
    with Library.open_shared(lab["alice"], cache=tmp_path / "alice") as alice:
        alice.import_text("@article{a1, title={Imported by Alice}}")
        alice.save_search("classics", "year:<1950")
        alice.edit(lab["paper"], title="Attention")
        new = alice.add_paper(draft("Deep Residual Learning")).created
        alice.add_note(new, "residuals")
        alice.create_list("Week 1")
        alice.add_to_list("Week 1", [new, lab["paper"]])
        assert alice.list_members("Week 1") == [new, lab["paper"]]
        assert alice.search_ids("residuals") == [new]


def test_a_password_comes_from_pgpassword_and_is_never_written_down(
    postgres_address, tmp_path, monkeypatch
):
    with psycopg.connect(postgres_address, autocommit=True) as admin:
        database = postgres_address.rsplit("/", 1)[1]
        admin.execute(f"GRANT ALL ON DATABASE {database} TO {PASSWORD_ROLE}")
        admin.execute(f"ALTER DATABASE {database} OWNER TO {PASSWORD_ROLE}")
    address = as_user(postgres_address, PASSWORD_ROLE)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    with pytest.raises(LibraryError, match="refused the login"):
        Library.open_shared(address, cache=tmp_path / "cache")
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    with Library.open_shared(address, cache=tmp_path / "cache") as library:
        library.add_paper(draft("Attention Is All You Need"))
    monkeypatch.delenv("PGPASSWORD")
    with_password = as_user(postgres_address, PASSWORD_ROLE, PASSWORD.replace(" ", "%20"))
    with Library.open_shared(with_password, cache=tmp_path / "cache") as library:
        assert PASSWORD not in library.address and "%20" not in library.address
        assert library.count() == 1
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PASSWORD.encode() not in data and b"horse%20battery" not in data, path


def test_tls_is_used_when_the_server_offers_it(postgres_address, tmp_path):
    with Library.open_shared(postgres_address, cache=tmp_path / "cache") as library:
        listener = library.listen()
        for _ in range(300):  # its connection is made on its own thread
            if listener.online:
                break
            time.sleep(0.1)
        with library.server.engine.connect() as connection:
            own = connection.exec_driver_sql(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            ).scalar()
        assert own is True
        # autocommit: within one transaction the server's activity views would not change
        with psycopg.connect(postgres_address, autocommit=True) as admin:
            for _ in range(50):
                seen = admin.execute(
                    "SELECT s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) "
                    "WHERE a.application_name = 'readinglist-listener' "
                    "AND a.datname = current_database()"  # not another test's
                ).fetchall()
                if seen:
                    break
                time.sleep(0.1)
        assert seen == [(True,)]
