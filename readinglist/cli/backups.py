"""Commands for the library's backups: make one, list them, restore one."""

from __future__ import annotations

from pathlib import Path

import click

from readinglist.cli.app import LibraryContext, cli, echo_json, pass_library


@cli.command()
@pass_library
def backup(ctx: LibraryContext):
    """Back up the library now (kept until you delete it)."""
    made = ctx.library().backup()
    click.echo(f"backed up to {made.path} ({_size(made.size)})")


@cli.command()
@click.option("--keep", type=click.IntRange(min=1), help="How many automatic backups to keep.")
@click.option(
    "--every",
    "every_hours",
    type=click.FloatRange(min=0, min_open=True),
    help="Hours between periodic backups of a changed library.",
)
@click.option("--verify", is_flag=True, help="Run an integrity check on each backup.")
@click.option("--json", "as_json", is_flag=True)
@pass_library
def backups(
    ctx: LibraryContext, keep: int | None, every_hours: float | None, verify: bool, as_json: bool
):
    """List the backups, newest first; --keep and --every change how they are made."""
    from readinglist.services.backups import Backups

    store = Backups(ctx.folder())
    policy = store.policy()
    if keep is not None or every_hours is not None:
        policy = store.set_policy(keep, every_hours)
    found = store.all()
    if as_json:
        rows = []
        for number, made in enumerate(found, start=1):
            row = {"number": number, **made.to_json(), "papers": made.papers()}
            if verify:
                row["problems"] = made.problems()
            rows.append(row)
        summary = {"folder": str(store.folder), "keep": policy.keep}
        echo_json({**summary, "every_hours": policy.every_hours, "backups": rows})
        return
    click.echo(
        f"{store.folder}: keeping {policy.keep} automatic backups, "
        f"one every {policy.every_hours:g} h when the library changed"
    )
    if not found:
        click.echo("no backups yet ('readinglist backup' makes one)")
    for number, made in enumerate(found, start=1):
        papers = made.papers()
        line = (
            f"{number:>3}  {made.local_time:%Y-%m-%d %H:%M:%S}  {made.reason:<24} "
            f"{_size(made.size):>9}  {'?' if papers is None else papers} papers"
        )
        if verify:
            problems = made.problems()
            line += "  ok" if not problems else f"  DAMAGED: {problems[0]}"
        click.echo(line)


def looks_like_backup(text: str) -> bool:
    """A backup's name or path, rather than a paper's id or citation key."""
    return text.endswith(".sqlite3") or Path(text).expanduser().is_file()


def restore_backup(ctx: LibraryContext, which: str) -> None:
    """Put back a backup (its number in 'readinglist backups', its name or a path); what the
    library holds now is backed up first, a damaged database kept aside."""
    from readinglist.cli.maintenance import reindex_with_progress
    from readinglist.services.backups import restore as restore_backup
    from readinglist.services.library import Library

    ctx.close()  # never hold the database open while it is replaced
    report = restore_backup(ctx.folder(), which)
    if report.safety_copy is not None:
        click.echo(f"the library as it was is backed up in {report.safety_copy.path}")
    if report.set_aside is not None:
        click.echo(f"the damaged database was kept as {report.set_aside}")
    with Library.open(ctx.folder(), catch_up=False) as library:
        count = reindex_with_progress(library)
    made = report.restored
    click.echo(f"restored {made.name} ({made.local_time:%Y-%m-%d %H:%M}): {count} papers")


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return str(size)
