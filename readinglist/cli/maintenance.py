"""Commands that look after the library: stats, check, reindex."""

from __future__ import annotations

import sys

import click

from readinglist.cli.app import LibraryContext, cli, echo_json, pass_library


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@pass_library
def stats(ctx: LibraryContext, as_json: bool):
    """Counts of papers, statuses, tags, lists and notes."""
    numbers = ctx.library().stats()
    if as_json:
        echo_json(numbers)
        return
    click.echo(f"library: {ctx.library().folder}")
    for name, value in numbers.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in sorted(value.items())) or "—"
        click.echo(f"{name.replace('_', ' ')}: {value}")


@cli.command()
@click.option("--repair", is_flag=True, help="Fix what can be fixed (index drift).")
@click.option("--json", "as_json", is_flag=True)
@pass_library
def check(ctx: LibraryContext, repair: bool, as_json: bool):
    """Check the database's integrity and that the search index matches it."""
    report = ctx.library().check(repair=repair)
    if as_json:
        echo_json(report.to_json())
    else:
        db = "ok" if not report.integrity else "; ".join(report.integrity)
        click.echo(f"database: {db}")
        drift = report.drift
        if drift.clean:
            click.echo("search index: ok")
        else:
            click.echo(
                f"search index: {len(drift.missing)} missing, {len(drift.stale)} out of date, "
                f"{len(drift.extra)} left over, {drift.queued} queued"
                + ("" if repair else " (run 'readinglist check --repair')")
            )
        if report.repaired:
            click.echo("repaired")
    if not report.healthy:
        sys.exit(1)


@cli.command()
@pass_library
def reindex(ctx: LibraryContext):
    """Rebuild the search index from the database."""
    from readinglist.cli.papers import _progress_bar

    library = ctx.library()
    bar = _progress_bar(True)
    if bar is None:
        count = library.reindex()
    else:
        with bar:
            task = bar.add_task("indexing", total=None)
            count = library.reindex(lambda d, t: bar.update(task, completed=d, total=t))
    click.echo(f"indexed {count} papers")
