"""The 'list' commands: reading lists and their hand-made order."""

from __future__ import annotations

import sys

import click

from readinglist.cli.app import LibraryContext, cli, echo_json, pass_library
from readinglist.cli.render import paper_table, plural


@cli.group("list")
def list_group():
    """Create reading lists, fill them, and put them in order."""


@list_group.command("create")
@click.argument("name")
@pass_library
def list_create(ctx: LibraryContext, name: str):
    ctx.library().create_list(name)
    click.echo(f"created reading list {name!r}")


@list_group.command("rename")
@click.argument("old")
@click.argument("new")
@pass_library
def list_rename(ctx: LibraryContext, old: str, new: str):
    ctx.library().rename_list(old, new)
    click.echo(f"renamed {old!r} to {new!r}")


@list_group.command("delete")
@click.argument("name")
@pass_library
def list_delete(ctx: LibraryContext, name: str):
    """Delete a reading list (its papers stay in the library)."""
    ctx.library().delete_list(name)
    click.echo(f"deleted reading list {name!r}")


@list_group.command("add")
@click.argument("name")
@click.argument("papers", nargs=-1, required=True)
@click.option("--at", type=click.IntRange(min=1), help="Insert at this position (1 = first).")
@pass_library
def list_add(ctx: LibraryContext, name: str, papers: tuple[str, ...], at: int | None):
    """Add papers to a reading list (at the end unless --at)."""
    changes = ctx.library().add_to_list(name, papers, None if at is None else at - 1)
    click.echo(f"added {plural(len(changes.modified), 'paper')} to {name!r}")


@list_group.command("remove")
@click.argument("name")
@click.argument("papers", nargs=-1, required=True)
@pass_library
def list_remove(ctx: LibraryContext, name: str, papers: tuple[str, ...]):
    changes = ctx.library().remove_from_list(name, papers)
    click.echo(f"removed {plural(len(changes.modified), 'paper')} from {name!r}")


@list_group.command("move")
@click.argument("name")
@click.argument("paper")
@click.argument("position", type=click.IntRange(min=1))
@pass_library
def list_move(ctx: LibraryContext, name: str, paper: str, position: int):
    """Move a paper to POSITION in the list (1 = first)."""
    ctx.library().move_in_list(name, paper, position - 1)
    click.echo(f"moved {paper} to position {position} in {name!r}")


@list_group.command("ls")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True)
@pass_library
def list_ls(ctx: LibraryContext, name: str | None, as_json: bool):
    """Show the reading lists, or the papers of one list in its order."""
    library = ctx.library()
    if name is None:
        summaries = library.lists()
        if as_json:
            echo_json([{"id": s.id, "name": s.name, "count": s.count} for s in summaries])
        for summary in [] if as_json else summaries:
            click.echo(f"{summary.count:>6}  {summary.name}")
        return
    from readinglist.domain.filters import PaperFilter

    papers = library.papers(PaperFilter(list_name=name))
    if as_json:
        echo_json([p.to_json() for p in papers])
    elif papers:
        click.echo(paper_table(papers, sys.stdout.isatty()))
