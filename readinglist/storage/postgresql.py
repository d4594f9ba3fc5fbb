"""Everything PostgreSQL-specific lives here, beside its sibling ``sqlite.py``.

A shared library is a PostgreSQL database reached by a libpq address
(``postgresql://alice@labserver/papers``). Credentials come from where libpq looks for them
(``~/.pgpass``, ``PGPASSWORD``, a service file); an address given with a password keeps it
only in memory, and every address we show or store is redacted first. libpq's default
``sslmode=prefer`` uses TLS whenever the server offers it.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
# libpq parameters that are secrets: never shown, never written down.
SECRET_PARAMETERS = {"password", "sslpassword"}
# Every change-log insert takes this transaction lock first, so sequence numbers are handed
# out in commit order: a client that has seen number N has seen every change before it.
CHANGE_LOG_LOCK = 0x7265_6164_6C69  # "readli", a fixed number no other program should use
NOTIFY_CHANNEL = "readinglist_changes"
CONNECT_TIMEOUT_S = 5
# A server gone silent (a cut network, a sleeping laptop) is noticed in seconds, not after the
# system's TCP timeout: the window then says it works offline.
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,
}

# SQLSTATE codes (PostgreSQL's appendix A) that decide what a failure means to a user.
INSUFFICIENT_PRIVILEGE = "42501"
READ_ONLY_TRANSACTION = "25006"
# serialization, deadlock, a unique name taken meanwhile, a row pointed to deleted meanwhile:
# run again, the unit of work reads afresh (and says "no such list" if that is what it finds)
RETRYABLE = {"40001", "40P01", "23505", "23503"}


def is_server_address(location: object) -> bool:
    return isinstance(location, str) and location.startswith(SCHEMES)


def libpq_address(address: str) -> str:
    """The address as libpq itself reads it (``postgresql://``, whichever spelling was given;
    the password kept: this goes to a connection, never to a screen)."""
    for scheme in ("postgresql+psycopg://", "postgres://"):
        if address.startswith(scheme):
            return "postgresql://" + address[len(scheme) :]
    return address


def driver_url(address: str) -> URL:
    """The SQLAlchemy URL for a libpq address, through psycopg (version 3)."""
    return make_url(libpq_address(address)).set(drivername="postgresql+psycopg")


def redacted(address: str | URL) -> str:
    """The address without its password: what messages, titles and settings may hold."""
    url = (
        address
        if isinstance(address, URL)
        else make_url(address.replace("postgres://", "postgresql://", 1))
    )
    query = {k: v for k, v in url.query.items() if k not in SECRET_PARAMETERS}
    shown = URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, query
    )  # (URL.set leaves a password it is given None for)
    return shown.render_as_string(hide_password=False)


def password_of(address: str) -> str | None:
    """The password an address carries (in its user part or as ?password=), if any."""
    url = make_url(address.replace("postgres://", "postgresql://", 1))
    if url.password:
        return str(url.password)
    value = url.query.get("password")
    return value if isinstance(value, str) else None


def create_postgres_engine(address: str) -> Engine:
    from sqlalchemy import event

    engine = create_engine(
        driver_url(address),
        pool_size=2,
        max_overflow=4,
        pool_pre_ping=True,  # a server restarted under an open window is reconnected to
        connect_args={
            "application_name": "readinglist",
            "connect_timeout": CONNECT_TIMEOUT_S,
            # Times are UTC on the wire, whatever the server's own zone is.
            "options": "-c timezone=UTC",
            **KEEPALIVES,
        },
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.adapters.register_dumper(str, _nul_safe_dumper())

    return engine


def _nul_safe_dumper():
    """Text is sent through ``without_nul``: a library file holding a NUL character (SQLite
    keeps it) can still be shared."""
    from psycopg.types.string import StrDumperUnknown

    from readinglist.domain.values import without_nul

    class NulSafeStrDumper(StrDumperUnknown):
        def dump(self, obj: str):
            return super().dump(without_nul(obj))

    return NulSafeStrDumper


def reader_engine(engine: Engine) -> Engine:
    """Reads see one snapshot, so a paper and its tags never come from two different commits."""
    return engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)


def order_change_log(connection) -> None:
    _transaction_lock(connection, CHANGE_LOG_LOCK)


def _transaction_lock(connection, key: int) -> None:
    """Wait for, then hold until commit or rollback, the server-wide lock ``key``."""
    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (key,))


def notify(connection, payload: str) -> None:
    """Delivered at commit, and only if the transaction commits."""
    connection.exec_driver_sql("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, payload))


def sqlstate(error: BaseException) -> str | None:
    original = getattr(error, "orig", error)
    return getattr(original, "sqlstate", None)


def is_read_only_refusal(error: BaseException) -> bool:
    return sqlstate(error) in (INSUFFICIENT_PRIVILEGE, READ_ONLY_TRANSACTION)


def is_retryable(error: BaseException) -> bool:
    return sqlstate(error) in RETRYABLE


_LOGIN_REFUSED = ("password authentication failed", "no password supplied", "role \"",
                  "authentication failed")  # fmt: skip


def is_login_refused(error: BaseException) -> bool:
    """True when the server was reached but did not let this user in."""
    text = str(getattr(error, "orig", error))
    return any(marker in text for marker in _LOGIN_REFUSED)


def is_unreachable(error: BaseException) -> bool:
    """True when the server could not be reached (or the connection broke), as opposed to a
    refusal by the server."""
    import psycopg

    original = getattr(error, "orig", error)
    return isinstance(original, psycopg.OperationalError) and sqlstate(error) is None


def migration_lock(connection) -> None:
    """Two clients opening an old library at once upgrade it one after the other."""
    _transaction_lock(connection, CHANGE_LOG_LOCK + 1)


def reset_sequences(connection, tables: dict[str, str]) -> None:
    """After rows were copied in with their own ids, each table's id sequence must continue
    after the largest of them."""
    for table, column in tables.items():
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
        )
