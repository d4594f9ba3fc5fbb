"""Entry point of the ``readinglist`` command."""

from __future__ import annotations

# Importing the command modules registers their commands on the group.
from readinglist.cli import annotate, backups, export, gui, lists, maintenance, papers  # noqa: F401
from readinglist.cli.app import cli


def main() -> None:
    cli(prog_name="readinglist")
