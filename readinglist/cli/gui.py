"""``readinglist gui`` and ``readinglist-gui``: the desktop window, and its scriptable checks.

``readinglist-gui`` is what the application menu, "Open with" and a bundle start: the window
alone, with the files it was given shown in the import preview. It is a GUI script, so on
Windows it opens no console window."""

from __future__ import annotations

from pathlib import Path

import click

from readinglist._version import __version__
from readinglist.cli.app import LIBRARY_OPTION, LibraryContext, cli

FILES = click.argument(
    "files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path), metavar="[FILE]..."
)
SELF_TEST = click.option(
    "--self-test",
    is_flag=True,
    help="Open the window offscreen (on a temporary library holding the sample library "
    "unless --library is given), load, search, import FILEs through the preview, close.",
)


@cli.command("gui")
@SELF_TEST
@click.option(
    "--screenshot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save a PNG of the window and exit.",
)
@click.option("--dark", is_flag=True, help="With --screenshot: the dark colour scheme.")
@click.option("--select", "select", metavar="ID", help="With --screenshot: select this paper.")
@click.option("--query", metavar="Q", help="With --screenshot: type this search.")
@click.option(
    "--preview",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --screenshot: show the import preview of this file.",
)
@FILES
@click.pass_obj
def gui(
    context: LibraryContext,
    self_test: bool,
    screenshot: Path | None,
    dark: bool,
    select: str | None,
    query: str | None,
    preview: Path | None,
    files: tuple[Path, ...],
) -> None:
    """Open the desktop window (what 'readinglist' alone does); FILEs open in the import
    preview."""
    from readinglist.gui import app

    if self_test:
        raise SystemExit(app.self_test(context.path, files))
    if screenshot is not None:
        raise SystemExit(app.screenshot(context.path, screenshot, dark, select, query, preview))
    raise SystemExit(app.run(context.path, [str(f) for f in files]))


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@LIBRARY_OPTION
@SELF_TEST
@click.version_option(__version__, "--version", prog_name="readinglist")
@FILES
def gui_command(library_path: Path | None, self_test: bool, files: tuple[Path, ...]) -> None:
    """readinglist's window; FILEs (.bib, .ris, ...) open in its import preview."""
    from readinglist.gui import app

    if self_test:
        raise SystemExit(app.self_test(library_path, files))
    raise SystemExit(app.run(library_path, [str(f) for f in files]))


def gui_main() -> None:
    """The readinglist-gui script (and the bundle's program): its messages name it so."""
    gui_command(prog_name="readinglist-gui")
