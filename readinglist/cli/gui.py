"""``readinglist gui``: the desktop window, and its scriptable checks."""

from __future__ import annotations

from pathlib import Path

import click

from readinglist.cli.app import LibraryContext, cli


@cli.command("gui")
@click.option("--self-test", is_flag=True, help="Open the window offscreen, load, search, close.")
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
@click.pass_obj
def gui(
    context: LibraryContext,
    self_test: bool,
    screenshot: Path | None,
    dark: bool,
    select: str | None,
    query: str | None,
    preview: Path | None,
) -> None:
    """Open the desktop window (what 'readinglist' alone does)."""
    from readinglist.gui import app

    if self_test:
        raise SystemExit(app.self_test(context.path))
    if screenshot is not None:
        raise SystemExit(app.screenshot(context.path, screenshot, dark, select, query, preview))
    raise SystemExit(app.run(context.path))
