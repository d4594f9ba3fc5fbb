"""The 'export' command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from readinglist.cli.app import LibraryContext, cli, pass_library
from readinglist.cli.render import plural

FORMATS = ["bibtex", "biblatex", "markdown", "obsidian", "csl-json", "ris"]


@cli.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("--list", "list_name", help="A reading list, in its own order.")
@click.option("--query", help="The papers a search finds, best first.")
@click.option("--tag", help="The papers with this tag.")
@click.option("--ids", multiple=True, help="These papers: ids or keys, comma-separated.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (a folder for obsidian); standard output if absent.",
)
@click.option(
    "--ascii/--utf8",
    "ascii_",
    default=None,
    help="BibTeX: non-ASCII as LaTeX escapes (default for bibtex) or as UTF-8 "
    "(default for biblatex).",
)
@click.option(
    "--with-notes", is_flag=True, help="BibTeX: tags, notes, rating and status too; RIS: notes too."
)
@click.option("--abstracts", is_flag=True, help="Markdown: include the abstracts.")
@click.option("--group-by", type=click.Choice(["status", "tag"]), help="Markdown: sections.")
@click.option("--title", help="Markdown: the document's title.")
@pass_library
def export(
    ctx: LibraryContext,
    fmt,
    list_name,
    query,
    tag,
    ids,
    output,
    ascii_,
    with_notes,
    abstracts,
    group_by,
    title,
):
    """Export the library, a reading list, a search, a tag or chosen papers."""
    from readinglist.services.exporting import ExportOptions, ExportScope

    chosen = tuple(ref.strip() for group in ids for ref in group.split(",") if ref.strip())
    if ids and not chosen:
        raise click.UsageError("--ids needs at least one paper id or key")
    scope = ExportScope(list_name=list_name, query=query, tag=tag, ids=chosen or None)
    options = ExportOptions(
        ascii=ascii_, with_notes=with_notes, abstracts=abstracts, group_by=group_by, title=title
    )
    library = ctx.library()
    if fmt == "obsidian":
        if output is None:
            raise click.UsageError("obsidian writes a folder of notes: give it with -o DIR")
        count = library.export(fmt, scope=scope, options=options, folder=output)
        click.echo(f"wrote {plural(count, 'note')} to {output}", err=True)
        return
    if output is None:
        count = library.export(fmt, sys.stdout, scope, options)
    else:
        if not output.parent.is_dir():
            raise click.UsageError(f"there is no folder {output.parent} to write {output.name} in")
        partial = output.with_name(output.name + ".part")
        try:
            with open(partial, "w", encoding="utf-8", newline="\n") as stream:
                count = library.export(fmt, stream, scope, options)
            partial.replace(output)  # a half-written file never takes the place of a good one
        finally:
            partial.unlink(missing_ok=True)
        click.echo(f"wrote {plural(count, 'paper')} to {output}", err=True)
