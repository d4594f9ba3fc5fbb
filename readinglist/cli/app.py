"""The command-line frame: the group, its options, the error handling, the shared context."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from readinglist._version import __version__
from readinglist.domain.values import DamagedLibrary, LibraryError


class LibraryContext:
    """Opens the library on first use, so that --help and --version stay instant."""

    def __init__(self, path: Path | str | None) -> None:
        self.path = path  # a folder, or a shared library's postgresql:// address
        self._library = None

    def library(self):
        if self._library is None:
            from readinglist.services.library import Library

            self._library = Library.open(self.path)
        return self._library

    def folder(self) -> Path:
        """The library's folder, without opening it (it may be damaged)."""
        from readinglist.services.location import default_library_folder

        if isinstance(self.path, str):
            raise LibraryError(
                "a shared library's backups are its server's (pg_dump); 'readinglist clone' "
                "makes a local copy of it"
            )
        return self.path.expanduser() if self.path is not None else default_library_folder()

    def close(self) -> None:
        if self._library is not None:
            _say_what_waits(self._library)
            self._library.close()
            self._library = None


def _say_what_waits(library) -> None:
    """A shared library's news for the person at the terminal: changes kept while its
    server was out of reach, and what became of those sent now."""
    if not library.shared:
        return
    sent = library.last_sent
    if sent.sent or sent.refused:
        click.echo(f"sent {sent.sent} changes kept while offline", err=True)
    for refused in sent.refused:
        click.echo(f"refused by the server, kept in {library.journal.refused_path}: {refused}",
                   err=True)  # fmt: skip
    waiting = len(library.journal)
    if waiting and not library.online:
        click.echo(
            f"the shared library's server cannot be reached: {waiting} change(s) kept on this "
            "computer; they are sent the next time readinglist reaches it (readinglist sync)",
            err=True,
        )
    if sent.conflicts:
        click.echo(f"{len(sent.conflicts)} of them met someone else's change: "
                   "see readinglist conflicts", err=True)  # fmt: skip


class LibraryLocation(click.ParamType):
    """A library folder, or a shared library's ``postgresql://`` address (kept as given: a
    path would fold its '//')."""

    name = "FOLDER|ADDRESS"

    def convert(self, value, param, ctx):
        if isinstance(value, Path) or value is None:
            return value
        from readinglist.storage.postgresql import is_server_address

        text = str(value)
        if is_server_address(text):
            return text
        return click.Path(file_okay=False, path_type=Path).convert(text, param, ctx)


LIBRARY_OPTION = click.option(
    "--library",
    "library_path",
    type=LibraryLocation(),
    envvar="READINGLIST_LIBRARY",
    help="Library folder, or a shared library's postgresql:// address (default: "
    "$READINGLIST_LIBRARY, else your user data folder).",
)


class _Group(click.Group):
    """Turns a user's mistake into a one-line message and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        from sqlalchemy.exc import OperationalError

        try:
            return super().invoke(ctx)
        except DamagedLibrary as error:
            hint = (
                f"\nrestore it with: readinglist restore {error.backup.name}"
                if error.backup is not None
                else ""
            )
            raise click.ClickException(f"{error}{hint}") from None
        except LibraryError as error:
            raise click.ClickException(str(error)) from None
        except OperationalError as error:
            if "locked" in str(error):
                raise click.ClickException(
                    "the library is busy (another readinglist is writing); try again"
                ) from None
            raise


@click.group(
    cls=_Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@LIBRARY_OPTION
@click.version_option(__version__, "--version", prog_name="readinglist")
@click.pass_context
def cli(ctx: click.Context, library_path: Path | str | None) -> None:
    """readinglist: import, tag, annotate, search and export the papers you read."""
    logging.basicConfig(level=logging.WARNING, format="warning: %(message)s", stream=sys.stderr)
    context = LibraryContext(library_path)
    ctx.obj = context
    ctx.call_on_close(context.close)
    if ctx.invoked_subcommand is None:
        from readinglist.gui.app import run

        ctx.exit(run(library_path))


pass_library = click.make_pass_decorator(LibraryContext)


def echo_json(value) -> None:
    from readinglist.cli.render import dump_json

    click.echo(dump_json(value))
