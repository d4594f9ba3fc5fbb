"""A throw-away PostgreSQL cluster for the test suite, from the distribution's packages.

``python -m tests.pg_cluster start`` makes a cluster in a new temporary folder (owned by an
unprivileged user when started as root: PostgreSQL refuses to run as root), starts it on a
free local port and prints the shell lines that export its address (READINGLIST_TEST_POSTGRES)
and its folder; ``stop DIR`` stops it and removes the folder. The tests create their own
databases in it.

The server offers TLS with a self-signed certificate (when openssl is there), so the tests
see what a lab's server does. Durability is turned off (fsync, full-page writes): the cluster
lives for one test run, and what the tests measure is our code, not the disk. Two roles
beside the superuser let the tests check credentials: ``lab_password`` must give a password
(scram-sha-256), everyone else is trusted on the loopback address only.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

SUPERUSER = "postgres"
PASSWORD_ROLE = "lab_password"
PASSWORD = "correct horse battery staple"
ENVIRONMENT = "READINGLIST_TEST_POSTGRES"
FOLDER_ENVIRONMENT = "READINGLIST_TEST_POSTGRES_DIR"


def server_binaries() -> Path:
    """The newest installed server's bin folder (Debian keeps each major version apart)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise SystemExit(
            "PostgreSQL's server is not installed (Debian: apt-get install postgresql)"
        )
    return Path(initdb).resolve().parent


def _as_owner(command: list[str]) -> list[str]:
    """Run as the unprivileged 'postgres' user when we are root, as ourselves otherwise."""
    if os.geteuid() == 0:
        return ["runuser", "-u", SUPERUSER, "--", *command]
    return command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(folder: Path) -> str:
    """Start a cluster in ``folder`` (made here; its parent must let the server's user in)."""
    binaries = server_binaries()
    data, sockets = folder / "data", folder / "sockets"
    folder.mkdir(mode=0o700)
    sockets.mkdir(mode=0o700)
    if os.geteuid() == 0:
        for path in (folder, sockets):
            shutil.chown(path, SUPERUSER, SUPERUSER)
    subprocess.run(
        _as_owner([str(binaries / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust",
                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    rules = (
        f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n"
        "host all all 127.0.0.1/32 trust\n"
        "local all all trust\n"
    )
    subprocess.run(
        _as_owner(["sh", "-c", f"printf '%s' '{rules}' > {data / 'pg_hba.conf'}"]), check=True
    )
    port = _free_port()
    options = (
        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
    )
    if shutil.which("openssl"):  # the server offers TLS, as a lab's should
        _self_signed_certificate(folder)
        options += (
            f" -c ssl=on -c ssl_cert_file={folder / 'server.crt'}"
            f" -c ssl_key_file={folder / 'server.key'}"
        )
    subprocess.run(
        _as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-o", options,
                   "-l", str(folder / "server.log"), "-w", "-t", "60", "start"]),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
    subprocess.run(
        _as_owner([str(binaries / "psql"), "-q", "-d", url, "-c",
                   f"CREATE ROLE {PASSWORD_ROLE} LOGIN CREATEDB PASSWORD '{PASSWORD}'"]),
        check=True,
    )  # fmt: skip
    return url


def _self_signed_certificate(folder: Path) -> None:
    key, certificate = folder / "server.key", folder / "server.crt"
    subprocess.run(
        ["openssl", "req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=localhost",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    key.chmod(0o600)
    if os.geteuid() == 0:
        for path in (key, certificate):
            shutil.chown(path, SUPERUSER, SUPERUSER)


def stop(folder: Path) -> None:
    data = folder / "data"
    if (data / "postmaster.pid").exists():
        subprocess.run(
            _as_owner([str(server_binaries() / "pg_ctl"), "-D", str(data), "-m", "immediate",
                       "-w", "stop"]),
            check=False, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv == ["start"]:
        import tempfile

        parent = Path(tempfile.mkdtemp(prefix="readinglist-pg-"))
        parent.chmod(0o711)  # the server's user must reach the cluster inside
        folder = parent / "cluster"
        print(f"export {ENVIRONMENT}={start(folder)}")
        print(f"export {FOLDER_ENVIRONMENT}={folder}")
        return 0
    if len(argv) == 2 and argv[0] == "stop":
        stop(Path(argv[1]))
        shutil.rmtree(Path(argv[1]).parent, ignore_errors=True)
        return 0
    print("usage: python -m tests.pg_cluster start | stop DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
