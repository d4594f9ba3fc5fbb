"""Commands that look after the library: stats, check, reindex."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from readinglist.cli.app import LibraryContext, cli, echo_json, pass_library

if TYPE_CHECKING:
    from readinglist.services.health import CheckReport


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
@click.option(
    "--repair",
    is_flag=True,
    help="Fix what can be fixed (after a backup): damaged indexes, orphan rows, duplicate "
    "citation keys, search index drift.",
)
@click.option("--json", "as_json", is_flag=True)
@pass_library
def check(ctx: LibraryContext, repair: bool, as_json: bool):
    """Check the database's integrity, its rows and keys, and that the search index matches."""
    report = ctx.library().check(repair=repair)
    if as_json:
        echo_json(report.to_json())
    else:
        for line in report.repairs:
            click.echo(f"repaired: {line}")
        for line in _findings(report, repair):
            click.echo(line)
    if not report.healthy:
        sys.exit(1)


def _findings(report: CheckReport, repaired: bool) -> list[str]:
    advice = "" if repaired else " (run 'readinglist check --repair')"
    lines = [f"database: {'ok' if not report.integrity else '; '.join(report.integrity[:5])}"]
    if report.integrity:
        backup = report.good_backup
        lines.append(
            f"  the newest sound backup is {backup.name}: 'readinglist restore {backup.name}'"
            if backup
            else "  no backup passes an integrity check"
        )
    orphans = report.orphans_by_table()
    lines.append(
        "rows: ok"
        if not orphans
        else "rows pointing to nothing: "
        + ", ".join(f"{n} in {table}" for table, n in sorted(orphans.items()))
        + advice
    )
    lines.append(
        "citation keys: ok"
        if not report.duplicate_keys
        else "citation keys equal but for case: "
        + "; ".join(" = ".join(keys) for keys in report.duplicate_keys[:10])
        + advice
    )
    if report.copy is not None:
        copy = report.copy
        lines.append(
            "this computer's copy: same as the server"
            if copy.clean
            else f"this computer's copy differs from the server: {len(copy.papers)} papers, "
            f"{len(copy.lists)} lists, {len(copy.tags)} tags, {len(copy.searches)} saved "
            "searches" + advice
        )
    drift = report.drift
    lines.append(
        "search index: ok"
        if drift.clean
        else f"search index: {len(drift.missing)} missing, {len(drift.stale)} out of date, "
        f"{len(drift.extra)} left over, {drift.queued} queued" + advice
    )
    return lines


@cli.command()
@pass_library
def reindex(ctx: LibraryContext):
    """Rebuild the search index from the database."""
    click.echo(f"indexed {reindex_with_progress(ctx.library())} papers")


def reindex_with_progress(library) -> int:
    """Rebuild the index, with a progress bar on a terminal; returns the papers indexed."""
    from readinglist.cli.papers import _progress_bar

    bar = _progress_bar(True)
    if bar is None:
        return library.reindex()
    with bar:
        task = bar.add_task("indexing", total=None)
        return library.reindex(lambda d, t: bar.update(task, completed=d, total=t))
