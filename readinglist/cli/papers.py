"""Commands that bring papers in and look at them: import, search, ls, show, edit, rm, restore."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from readinglist.cli.app import LibraryContext, cli, echo_json, pass_library
from readinglist.cli.render import paper_details, paper_table, plural
from readinglist.domain.drafts import Problem
from readinglist.domain.values import LibraryError

OWN_COMMANDS = {
    "rating": "use 'readinglist rate'",
    "status": "use 'readinglist status'",
    "tags": "use 'readinglist tag'",
    "keywords": "use 'readinglist tag'",
    "notes": "use 'readinglist note'",
    "key": "use --key",
    "author": "use --author",
    "authors": "use --author",
    "id": "a paper's number never changes",
}
SORTS = [
    "added",
    "updated",
    "title",
    "year",
    "rating",
    "status",
    "key",
    "venue",
    "author",
    "position",
]


def _progress_bar(enabled: bool):
    """A rich progress bar on stderr for long work, only when a person is watching."""
    if not enabled or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    return Progress(console=Console(stderr=True), transient=True)


@cli.command("import")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--format",
    "format_",
    type=click.Choice(["bibtex", "ris", "wos", "csl-json", "text"]),
    help="Read as this format instead of detecting it.",
)
@click.option("--encoding", help="Read the files in this encoding instead of detecting it.")
@click.option("--dry-run", is_flag=True, help="Show what would happen; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
@pass_library
def import_(
    ctx: LibraryContext,
    sources: tuple[str, ...],
    format_: str | None,
    encoding: str | None,
    dry_run: bool,
    as_json: bool,
):
    """Import papers from BibTeX/BibLaTeX, RIS, Web of Science, CSL-JSON or pasted text
    (a file, or '-' for standard input). Every entry is accounted for in the report."""
    library = ctx.library()
    reports = []
    failures: list[Problem] = []
    bar = _progress_bar(not as_json)
    for source in sources:
        try:
            reports.append(_import_one(library, source, bar, format_, encoding, dry_run))
        except LibraryError as error:  # one unreadable file does not hide the others' reports
            failures.append(Problem(source, None, str(error)))
    problems = [p for r in reports for p in r.problems] + failures
    if as_json:
        summary = {
            "added": sum(len(r.added) for r in reports),
            "duplicates": sum(len(r.duplicates) for r in reports),
            "errors": [p.to_json() for r in reports for p in r.errors]
            + [p.to_json() for p in failures],
            "warnings": [p.to_json() for r in reports for p in r.warnings],
            "files": [r.to_json() for r in reports],
        }
        echo_json(summary)
    else:
        for report in reports:
            click.echo(
                ("dry run, nothing changed: " if dry_run else "")
                + f"{report.source}: {len(report.added)} {'to add' if dry_run else 'added'}, "
                f"{plural(len(report.duplicates), 'duplicate')}, "
                f"{plural(len(report.errors), 'error')}"
                + (f" (read as {report.encoding})" if report.encoding != "utf-8" else "")
                + (
                    f"; undo with 'readinglist undo-import {report.import_id}'"
                    if report.added and not dry_run
                    else ""
                )
            )
        for report in reports:
            for duplicate in report.duplicates:
                where = f"{report.source}:{duplicate.line}" if duplicate.line else report.source
                filled = f"; filled {', '.join(duplicate.filled)}" if duplicate.filled else ""
                target = f"paper {duplicate.paper_id}" if duplicate.paper_id > 0 else "an entry"
                click.echo(
                    f"duplicate: {where}: same {duplicate.reason} as {target}{filled}", err=True
                )
        for problem in problems:
            where = f"{problem.source}:{problem.line}" if problem.line else problem.source
            message = problem.message
            if not message.startswith(f"{problem.source}:"):  # the file's name is said once
                message = f"{where}: {message}"
            click.echo(f"{problem.severity}: {message}", err=True)
    if failures or any(r.errors for r in reports):
        sys.exit(1)


def _import_one(library, source: str, bar, format_, encoding, dry_run):
    options = {"format": format_, "encoding": encoding, "dry_run": dry_run}
    if source == "-":
        from readinglist.importers.registry import read_at_most

        data = read_at_most(sys.stdin.buffer, "<stdin>")  # a pipe has no size to check first
        return library.import_bytes(data, "<stdin>", **options)
    if bar is None:
        return library.import_file(Path(source), **options)
    with bar:
        task = bar.add_task(f"importing {Path(source).name}", total=None)
        indexing = bar.add_task("making it searchable", total=None, visible=False)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        def index(done: int, total: int) -> None:
            bar.update(indexing, completed=done, total=total, visible=True)

        return library.import_file(Path(source), progress=advance, index_progress=index, **options)


@cli.command()
@click.argument("identifiers", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Show what would happen; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_library
def add(ctx: LibraryContext, identifiers: tuple[str, ...], dry_run: bool, as_json: bool):
    """Add papers by arXiv id or DOI (2401.00001, arXiv:…, arxiv.org links, 10.…, doi.org
    links), with their metadata fetched from arXiv, Crossref or DataCite."""
    library = ctx.library()
    report = library.add_identifiers(identifiers, dry_run=dry_run)
    if as_json:
        echo_json(report.to_json())
    else:
        for paper in [] if dry_run else [library.get(i) for i in report.added]:
            click.echo(f"added {paper.key}: {paper.title}")
        for duplicate in report.duplicates:
            known = library.get(duplicate.paper_id) if duplicate.paper_id > 0 else None
            click.echo(f"already in the library: {known.key if known else 'another entry'}")
        for problem in report.problems:
            click.echo(f"{problem.severity}: {problem.source}: {problem.message}", err=True)
    if report.errors:
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@pass_library
def imports(ctx: LibraryContext, as_json: bool):
    """The imports so far, newest first."""
    history = ctx.library().imports()
    if as_json:
        echo_json([entry.to_json() for entry in history])
        return
    for entry in history:
        click.echo(
            f"{entry.id:>5}  {entry.started_at:%Y-%m-%d %H:%M}  {entry.added:>6} added "
            f"({entry.still_in_library} still in the library)  {entry.source}"
        )


@cli.command("undo-import")
@click.argument("which", default="last")
@pass_library
def undo_import(ctx: LibraryContext, which: str):
    """Move the papers an import added (LAST, or its number from 'imports') to the trash."""
    changes = ctx.library().undo_import(which)
    click.echo(
        f"moved {plural(len(changes.removed), 'paper')} to the trash "
        "(bring them back with 'restore')"
    )


@cli.command()
@click.argument("query", nargs=-1)
@click.option("--limit", type=click.IntRange(1, 10**9), default=50, show_default=True)
@click.option("--status", help="Only papers with this reading status.")
@click.option("--json", "as_json", is_flag=True, help="Print the papers as JSON.")
@pass_library
def search(
    ctx: LibraryContext, query: tuple[str, ...], limit: int, status: str | None, as_json: bool
):
    """Search titles, authors, abstracts, venues, tags and notes, best matches first.

    Words must all match; also "a phrase", a OR b, -word, prefix*, fuzzy~, and fields such as
    title:, author:, tag:, note:, year:2018..2021, rating:>=4, status:read, list:"Name".
    """
    result = ctx.library().search(" ".join(query), limit=limit, status=status)
    if as_json:
        echo_json([p.to_json() for p in result.papers])
        return
    if result.papers:
        click.echo(paper_table(result.papers, sys.stdout.isatty()))
    shown = len(result.papers)
    more = f" (showing {shown}; use --limit for more)" if shown < result.total else ""
    click.echo(f"{plural(result.total, 'matching paper')}{more}", err=not sys.stdout.isatty())


@cli.command("ls")
@click.option("--list", "list_name", help="Only papers in this reading list, in its order.")
@click.option("--tag", "tags", multiple=True, help="Only papers with this tag (repeatable).")
@click.option("--status", help="Only papers with this reading status.")
@click.option("--trash", is_flag=True, help="Show the trash instead.")
@click.option("--sort", type=click.Choice(SORTS), help="Order (default: date added).")
@click.option("--desc", is_flag=True, help="Reverse the order.")
@click.option("--limit", type=click.IntRange(1, 10**9), help="Show at most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print the papers as JSON.")
@pass_library
def ls(ctx: LibraryContext, list_name, tags, status, trash, sort, desc, limit, as_json):
    """List papers (every matching paper unless --limit is given)."""
    from readinglist.domain.filters import PaperFilter, Sort
    from readinglist.domain.values import ReadingStatus

    paper_filter = PaperFilter(
        tags=tags,
        list_name=list_name,
        status=ReadingStatus.parse(status).value if status else None,
        trashed=trash,
    )
    default = "position" if list_name is not None else "added"
    order = Sort(sort, desc) if sort else (Sort(default, True) if desc else None)
    papers = ctx.library().papers(paper_filter, order, limit=limit)
    if as_json:
        echo_json([p.to_json() for p in papers])
    elif papers:
        click.echo(paper_table(papers, sys.stdout.isatty()))


@cli.command()
@click.argument("papers", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the paper as JSON.")
@pass_library
def show(ctx: LibraryContext, papers: tuple[str, ...], as_json: bool):
    """Everything about a paper (by id or citation key)."""
    views = [ctx.library().get(ref) for ref in papers]
    if as_json:
        echo_json(views[0].to_json() if len(views) == 1 else [v.to_json() for v in views])
        return
    click.echo("\n\n".join(paper_details(v) for v in views))


@cli.command()
@click.argument("paper")
@click.option("--title")
@click.option(
    "--author",
    "authors",
    multiple=True,
    help="Replaces the authors; repeat in order ('Family, Given' or '{Corporate}').",
)
@click.option("--year")
@click.option("--month")
@click.option("--venue")
@click.option("--type", "entry_type")
@click.option("--doi")
@click.option("--arxiv", "arxiv_id")
@click.option("--url")
@click.option("--code-url")
@click.option("--key", help="A new citation key.")
@click.option("--abstract", help="The abstract ('-' reads it from standard input).")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Any other field (volume, pages, publisher, isbn, note fields…).",
)
@pass_library
def edit(ctx: LibraryContext, paper: str, authors, assignments, **fields):
    """Change a paper's bibliographic fields."""
    from readinglist.domain.drafts import NUMBER_FIELDS, TEXT_FIELDS
    from readinglist.domain.names import parse_name

    patch = {k: v for k, v in fields.items() if v is not None}
    if patch.get("abstract") == "-":
        patch["abstract"] = sys.stdin.read().strip()
    if authors:
        patch["authors"] = [parse_name(a) for a in authors]
    extra = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"--set takes FIELD=VALUE, not {assignment!r}")
        name = name.strip().lower()
        if name in OWN_COMMANDS:
            raise click.UsageError(f"{name} is not set with --set: {OWN_COMMANDS[name]}")
        if name in TEXT_FIELDS or name in NUMBER_FIELDS:
            patch[name] = value
        else:
            extra[name] = value
    if extra:
        patch["extra"] = extra
    if not patch:
        raise click.UsageError("nothing to change; see 'readinglist edit --help'")
    library = ctx.library()
    changes = library.edit(paper, base=_as_found(library.get(paper), patch), **patch)
    if changes.conflicts:
        report_conflicts(changes.conflicts)
    click.echo(f"updated {paper}")


def _as_found(view, patch: dict) -> dict:
    """What the fields about to change hold now: the base of the edit, so that a change
    someone else commits between this read and the write is reported, not overwritten."""
    base = {name: getattr(view, name) for name in patch if name != "extra"}
    if "extra" in patch:
        base["extra"] = {key: view.extra.get(key, "") for key in patch["extra"]}
    return base


CONFLICT_EXIT = 3


def report_conflicts(conflicts) -> None:
    """Both values of every conflict, then exit status 3: the edit did not all go in."""
    for conflict in conflicts:
        click.echo(f"conflict: {conflict.describe()}", err=True)
    click.echo("nothing was overwritten; run the command again to put your value in", err=True)
    raise SystemExit(CONFLICT_EXIT)


@cli.command()
@click.argument("papers", nargs=-1, required=True)
@pass_library
def rm(ctx: LibraryContext, papers: tuple[str, ...]):
    """Move papers to the trash (undo with 'restore')."""
    changes = ctx.library().trash(papers)
    click.echo(f"moved {plural(len(changes.removed), 'paper')} to the trash")


@cli.command()
@click.argument("papers", nargs=-1)
@click.option(
    "--backup",
    "backup",
    metavar="WHICH",
    help="Restore the library from a backup: its number in 'readinglist backups', its name "
    "or a path.",
)
@pass_library
def restore(ctx: LibraryContext, papers: tuple[str, ...], backup: str | None):
    """Bring papers back from the trash, or the whole library from a backup.

    PAPERS are ids or citation keys; a backup's file name (library-….sqlite3) or path restores
    that backup, as --backup does. Restoring a backup first backs up what the library holds
    now, keeps a damaged database aside, and works when the library can no longer be opened."""
    from readinglist.cli.backups import looks_like_backup, restore_backup

    if backup is None and len(papers) == 1 and looks_like_backup(papers[0]):
        backup = papers[0]
    if backup is not None:
        if papers and backup != papers[0]:
            raise click.UsageError("give papers or --backup, not both")
        restore_backup(ctx, backup)
        return
    if not papers:
        raise click.UsageError("name the papers to bring back, or a backup")
    changes = ctx.library().restore(papers)
    click.echo(f"restored {plural(len(changes.added), 'paper')}")


@cli.command("empty-trash")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_library
def empty_trash(ctx: LibraryContext, yes: bool):
    """Delete the papers in the trash for good, with their notes."""
    library = ctx.library()
    from readinglist.domain.filters import PaperFilter

    waiting = library.count(PaperFilter(trashed=True))
    if not waiting:
        click.echo("the trash is empty")
        return
    if not yes:
        click.confirm(f"Delete {waiting} papers and their notes for good?", abort=True)
    changes = library.empty_trash()
    click.echo(f"deleted {plural(len(changes.removed), 'paper')}")
