"""Commands that annotate papers: tag, tags, rate, status, note."""

from __future__ import annotations

import sys

import click

from readinglist.cli.app import LibraryContext, cli, echo_json, pass_library
from readinglist.cli.papers import report_conflicts
from readinglist.cli.render import plural


@cli.command()
@click.argument("papers", nargs=-1, required=True)
@click.option("--add", "add", multiple=True, help="Tag to add (repeatable).")
@click.option("--remove", "remove", multiple=True, help="Tag to remove (repeatable).")
@pass_library
def tag(ctx: LibraryContext, papers: tuple[str, ...], add, remove):
    """Add or remove tags on papers."""
    if not add and not remove:
        raise click.UsageError("say which tags to --add or --remove")
    changes = ctx.library().tag(papers, add=add, remove=remove)
    click.echo(f"tagged {plural(len(changes.modified), 'paper')}")


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the tags as JSON.")
@click.pass_context
def tags(click_ctx: click.Context, as_json: bool):
    """List tags with their paper counts; rename, merge or delete them."""
    if click_ctx.invoked_subcommand is not None:
        return
    counts = click_ctx.find_object(LibraryContext).library().tags()
    if as_json:
        echo_json([{"name": t.name, "count": t.count} for t in counts])
        return
    for entry in counts:
        click.echo(f"{entry.count:>6}  {entry.name}")


@tags.command("rename")
@click.argument("old")
@click.argument("new")
@pass_library
def tags_rename(ctx: LibraryContext, old: str, new: str):
    """Rename a tag everywhere (merging into NEW if it exists)."""
    changes = ctx.library().rename_tag(old, new)
    click.echo(f"renamed {old!r} to {new!r} on {plural(len(changes.modified), 'paper')}")


@tags.command("merge")
@click.argument("sources", nargs=-1, required=True)
@click.option("--into", required=True, help="The tag that remains.")
@pass_library
def tags_merge(ctx: LibraryContext, sources: tuple[str, ...], into: str):
    """Merge several tags into one."""
    changes = ctx.library().merge_tags(sources, into)
    click.echo(f"merged into {into!r}; {plural(len(changes.modified), 'paper')} changed")


@tags.command("delete")
@click.argument("name")
@pass_library
def tags_delete(ctx: LibraryContext, name: str):
    """Remove a tag from every paper."""
    changes = ctx.library().delete_tag(name)
    click.echo(f"deleted {name!r} from {plural(len(changes.modified), 'paper')}")


@cli.command()
@click.argument("papers", nargs=-1, required=True)
@click.argument("rating", type=int)
@pass_library
def rate(ctx: LibraryContext, papers: tuple[str, ...], rating: int):
    """Rate papers from 0 (unrated) to 5 stars."""
    library = ctx.library()
    changes = library.rate(papers, rating, base=_found(library, papers, "rating"))
    if changes.conflicts:
        report_conflicts(changes.conflicts)
    click.echo(f"rated {plural(len(changes.modified), 'paper')} {rating}/5")


@cli.command()
@click.argument("papers", nargs=-1, required=True)
@click.argument("status")
@pass_library
def status(ctx: LibraryContext, papers: tuple[str, ...], status: str):
    """Set the reading status: unread, to-read, reading, read or abandoned."""
    library = ctx.library()
    changes = library.set_status(papers, status, base=_found(library, papers, "status"))
    if changes.conflicts:
        report_conflicts(changes.conflicts)
    click.echo(f"{plural(len(changes.modified), 'paper')} now {status}")


def _found(library, papers: tuple[str, ...], column: str) -> dict[int, object]:
    """Each paper's value as this command found it: the base of its change (see edit)."""
    views = [library.get(ref) for ref in papers]
    return {view.id: getattr(view, column) for view in views}


@cli.command()
@click.argument("paper")
@click.argument("text", required=False)
@click.option("--edit", "edit_id", type=int, metavar="NOTE_ID", help="Replace this note's text.")
@click.option("--delete", "delete_id", type=int, metavar="NOTE_ID", help="Delete this note.")
@click.option("--json", "as_json", is_flag=True, help="List the notes as JSON.")
@pass_library
def note(ctx: LibraryContext, paper: str, text: str | None, edit_id, delete_id, as_json):
    """Add a Markdown note to a paper ('-' reads it from standard input); with no text, list
    the paper's notes."""
    if edit_id is not None and delete_id is not None:
        raise click.UsageError("use either --edit or --delete, not both")
    if edit_id is not None and text is None:
        raise click.UsageError("--edit needs the note's new text (or '-' for standard input)")
    if delete_id is not None and text is not None:
        raise click.UsageError("--delete takes no text")
    library = ctx.library()
    view = library.get(paper)
    target = edit_id if edit_id is not None else delete_id
    if target is not None and target not in {n.id for n in view.notes}:
        raise click.ClickException(f"paper {paper} has no note {target}")
    if text == "-":
        text = sys.stdin.read()
    if delete_id is not None:
        library.delete_note(delete_id)
        click.echo(f"deleted note {delete_id}")
    elif text is None:
        if as_json:
            echo_json([n.to_json() for n in view.notes])
        for entry in [] if as_json else view.notes:
            click.echo(f"note {entry.id}, {entry.updated_at:%Y-%m-%d %H:%M}\n{entry.body}\n")
    elif edit_id is not None:
        library.edit_note(edit_id, text)
        click.echo(f"updated note {edit_id}")
    else:
        changes = library.add_note(paper, text)
        click.echo(f"added note {changes.created} to {view.key}")
