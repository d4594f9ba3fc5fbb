"""``readinglist share`` and ``readinglist clone``: a library file into a new shared library
on a PostgreSQL server, and a shared library into a new library file."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import click

from readinglist.cli.app import LibraryContext, cli, pass_library
from readinglist.cli.papers import _progress_bar


def _copying(bar, what: str):
    """A progress callback for a copy, shown on ``bar`` (none without a bar)."""
    if bar is None:
        return None
    task = bar.add_task(what, total=None)
    return lambda done, total: bar.update(task, completed=done, total=total)


@cli.command()
@click.option(
    "--to",
    "address",
    required=True,
    metavar="ADDRESS",
    help="An empty PostgreSQL database: postgresql://user@host/database.",
)
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@pass_library
def share(ctx: LibraryContext, address: str, no_progress: bool) -> None:
    """Copy this library into a new shared library on a PostgreSQL server.

    Credentials come from libpq's usual places (~/.pgpass, PGPASSWORD, a service file);
    TLS is used when the server offers it."""  # fmt: skip
    from readinglist.services.sharing import share as share_library
    from readinglist.storage.postgresql import redacted

    library = ctx.library()
    if library.shared:
        raise click.UsageError("this library is shared already; 'clone' copies it to a file")
    bar = _progress_bar(not no_progress)
    with bar or nullcontext():
        copied = share_library(library.database, address, _copying(bar, "sharing"))
    click.echo(f"shared {library.count()} papers ({copied} rows) to {redacted(address)}")
    click.echo(f"open it with: readinglist --library {redacted(address)}")


@cli.command()
@click.argument("address")
@click.option(
    "--to",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A new folder for the library file.",
)
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def clone(address: str, folder: Path, no_progress: bool) -> None:
    """Copy the shared library at ADDRESS into a new library folder."""  # fmt: skip
    from readinglist.services.library import Library
    from readinglist.services.sharing import clone as clone_library
    from readinglist.storage.postgresql import redacted

    bar = _progress_bar(not no_progress)
    with bar or nullcontext():
        copied = clone_library(address, folder.expanduser(), _copying(bar, "cloning"))
    with Library.open(folder.expanduser()) as library:  # builds its search index
        papers = library.count()
    click.echo(f"cloned {papers} papers ({copied} rows) from {redacted(address)} to {folder}")


@cli.command()
@pass_library
def sync(ctx: LibraryContext) -> None:
    """Send the changes kept while a shared library's server was out of reach, and take
    everyone else's. Exit status 3 when one met someone else's change of the same field."""
    from readinglist.cli.papers import report_conflicts

    library = ctx.library()
    if not library.shared:
        raise click.UsageError("sync is for a shared library (--library postgresql://…)")
    library.pull()
    if not library.online:
        raise click.ClickException(
            f"cannot reach {library.address}; {len(library.journal)} change(s) still kept"
        )
    conflicts = library.last_sent.conflicts
    click.echo(f"in step with {library.address}")
    if conflicts:
        report_conflicts(conflicts)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print them as JSON.")
@pass_library
def conflicts(ctx: LibraryContext, as_json: bool) -> None:
    """Edits that met someone else's edit of the same field, waiting for your choice."""
    from readinglist.cli.app import echo_json

    waiting = ctx.library().conflicts()
    if as_json:
        echo_json([{"id": c.id, **c.conflict.to_json()} for c in waiting])
        return
    for item in waiting:
        click.echo(f"{item.id}: {item.conflict.describe()}")
    if not waiting:
        click.echo("no conflicts wait")


@cli.command()
@click.argument("conflict_id", type=int)
@click.option("--keep", type=click.Choice(["mine", "theirs"]), required=True)
@pass_library
def resolve(ctx: LibraryContext, conflict_id: int, keep: str) -> None:
    """Settle a conflict: keep theirs (as the library has it) or put yours in."""
    from readinglist.cli.papers import report_conflicts

    changes = ctx.library().resolve(conflict_id, keep)
    if changes.conflicts:
        report_conflicts(changes.conflicts)
    click.echo(f"conflict {conflict_id}: kept {keep}")
