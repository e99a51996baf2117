"""``honours duplicates / stats``: people on two lists, and counts, within the roll in use."""


from typing import Annotated

import typer

from .. import vocabulary
from ..i18n import _, ngettext
from .common import console, escape, examples, store, warn


def register(app: typer.Typer) -> None:
    app.command(
        "duplicates",
        help=_(
            "Every person on more than one list of the roll (重复表彰), with the lists; "
            "a person on two exclusive lists of one award is marked. People of the same "
            "name with different affiliations are listed apart, as two people."
        ) + examples("honours duplicates"),
    )(duplicates)
    app.command(
        "stats",
        help=_(
            "Counts: winners per category (with quotas) and per affiliation, the units "
            "with most winners first."
        ) + examples("honours stats", "honours stats --top 5"),
    )(stats)


def duplicates() -> None:
    from rich.table import Table

    from ..eligibility import duplicates as find_duplicates

    db = store().snapshot()
    found, differing = find_duplicates(db)
    out = console()
    if found:
        table = Table()
        table.add_column(_("full name"), no_wrap=True)
        table.add_column(_("affiliation"), overflow="fold")
        table.add_column(_("lists"), overflow="fold")
        table.add_column(_("exclusive"), no_wrap=True)
        for duplicate in found:
            lists = "\n".join(dict.fromkeys(o.path for o in duplicate.entries))
            table.add_row(
                escape(duplicate.name), escape(duplicate.affiliation), escape(lists),
                _("broken") if duplicate.exclusive_conflict else "",
            )
        out.print(table)
        out.print(ngettext("{count} person is on more than one list",
                           "{count} people are on more than one list", len(found)).format(
            count=len(found)))
    else:
        out.print(_("nobody is on more than one list"))
    for name, affiliations in differing.items():
        warn(_("{name} is listed with different affiliations ({affiliations}): "
               "they may be different people").format(
                   name=name, affiliations="、".join(affiliations)))
    broken = sum(1 for d in found if d.exclusive_conflict)
    if broken:
        warn(ngettext(
            "{count} person is on two exclusive lists of one award: remove one of them",
            "{count} people are on two exclusive lists of one award: remove one of each",
            broken).format(count=broken))


def stats(
    top: Annotated[int, typer.Option(
        "--top", min=0, help=_("Show this many affiliations (0: all)."))] = 10,
) -> None:
    from rich.table import Table

    from ..eligibility import affiliation_counts, category_counts

    db = store().snapshot()
    out = console()
    rows = category_counts(db)
    if not rows:
        out.print(_("no categories yet: `honours category add TITLE` creates one"))
        return
    table = Table(title=_("Winners per category"), title_justify="left")
    table.add_column(_("category"), overflow="fold")
    table.add_column(_("winners"), justify="right", no_wrap=True)
    table.add_column(_("quota"), justify="right", no_wrap=True)
    for row in rows:
        quota = ""
        if row.category.quota is not None:
            quota = str(row.category.quota)
            if row.total > row.category.quota:
                quota += " " + _("(over)")
        indent = "  " * row.depth
        table.add_row(indent + escape(row.category.title),
                      escape(vocabulary.counted(row.total, row.category.measure)), quota)
    out.print(table)
    total = sum(row.own for row in rows)
    ranked, without = affiliation_counts(db)
    if ranked:
        shown = ranked if top == 0 else ranked[:top]
        table = Table(title=_("Winners per affiliation"), title_justify="left")
        table.add_column("#", justify="right", style="dim")
        table.add_column(_("affiliation"), overflow="fold")
        table.add_column(_("winners"), justify="right", no_wrap=True)
        for place, (affiliation, count) in enumerate(shown, start=1):
            table.add_row(str(place), escape(affiliation), str(count))
        out.print(table)
        if len(ranked) > len(shown):
            out.print(_("… and {count} more affiliations (--top 0 shows all)").format(
                count=len(ranked) - len(shown)))
    out.print(_("{total} winners in all; {without} without an affiliation; "
                "{affiliations} affiliations").format(
        total=total, without=without, affiliations=len(ranked)))
