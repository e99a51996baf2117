"""``honours sort / check / explain``: the ordering core on plain lists, no database needed."""


from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import activate_overrides, console, escape, fail, read_lines, warn

RULES = ("stroke", "stroke-fullname", "pinyin")


def register(app: typer.Typer) -> None:
    app.command(
        "sort",
        help=_(
            "Print entries sorted, one per line, in normalised display form.\n\n"
            "Blank lines are ignored and tabs split a pasted grid."
        ),
    )(sort)
    app.command(
        "check",
        help=_(
            "Exit 0 when the list is in order; otherwise name each entry out of place "
            "and where it belongs, and exit 1."
        ),
    )(check)
    app.command(
        "explain",
        help=_(
            "Show each character's stroke count, stroke sequence (横竖撇点折), reading and "
            "data source; given two entries, the position that decides their order and why."
        ),
    )(explain)


FileArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[FILE]", help=_("One entry per line; omitted or '-': standard input.")
    ),
]
ByOption = Annotated[
    str,
    typer.Option(
        "--by",
        "-b",
        help=_("stroke (姓氏笔画, default), stroke-fullname (姓名笔画) or pinyin."),
    ),
]
UnitsOption = Annotated[
    bool,
    typer.Option(
        "--units", "-u", help=_("Entries are units or titles: no two-character blank.")
    ),
]


def _entries(source: str | None) -> list[str]:
    from ..collation import display_form, split_grid_line

    return [display_form(cell) for line in read_lines(source) for cell in split_grid_line(line)]


def _checked_rule(rule: str) -> str:
    if rule not in RULES:
        raise fail(
            _("unknown rule {rule!r}; choose one of {choices}").format(
                rule=rule, choices=", ".join(RULES)
            )
        )
    return rule


def _warn_unplaced(entries: list[str]) -> None:
    from ..collation import default_tables

    for char, reason in default_tables().unplaced("".join(entries)).items():
        warn(_("{char} (U+{code:04X}): {reason}").format(char=char, code=ord(char), reason=reason))


def _rule_words(rule: str, units: bool = False) -> str:
    """The rule as a clerk names it, in the interface language."""
    if units:  # no surname in a unit's name: 笔画 or 拼音
        return _("pinyin order (拼音)") if rule == "pinyin" else _("stroke order (笔画)")
    return {
        "stroke": _("stroke order, surname first (姓氏笔画)"),
        "stroke-fullname": _("stroke order, full name (姓名笔画)"),
        "pinyin": _("pinyin order (姓氏拼音)"),
    }[rule]


def sort(file: FileArg = None, by: ByOption = "stroke", units: UnitsOption = False) -> None:
    from ..collation import sort_entries

    rule = _checked_rule(by)
    entries = _entries(file)
    activate_overrides()
    if rule != "pinyin":
        _warn_unplaced(entries)
    result = sort_entries(entries, rule, "unit" if units else "person")
    typer.echo("\n".join(result)) if result else None


def check(file: FileArg = None, by: ByOption = "stroke", units: UnitsOption = False) -> None:
    from ..collation import check_order

    rule = _checked_rule(by)
    entries = _entries(file)
    activate_overrides()
    problems = check_order(entries, rule, "unit" if units else "person")
    out = console()
    if not problems:
        out.print(
            ngettext(
                "in order: {count} entry, {rule}", "in order: {count} entries, {rule}",
                len(entries),
            ).format(count=len(entries), rule=_rule_words(rule, units))
        )
        return
    heading = ngettext(
        "{count} of {total} entry out of place ({rule}):",
        "{count} of {total} entries out of place ({rule}):",
        len(entries),
    ).format(count=len(problems), total=len(entries), rule=_rule_words(rule, units))
    out.print(f"[bold]{heading}[/]")
    for problem in problems:
        if problem.after is None:
            where = _("first, before {entry}").format(entry=problem.before)
        else:
            where = _("after {entry}").format(entry=problem.after)
        out.print(
            _("  entry {line} {entry}: belongs at {place}, {where}").format(
                line=problem.line, entry=escape(problem.entry), place=problem.belongs_at,
                where=escape(where),
            )
        )
    raise typer.Exit(1)


def explain(
    texts: Annotated[list[str], typer.Argument(metavar="TEXT...", help=_("One or two entries."))],
    by: ByOption = "stroke",
    units: UnitsOption = False,
) -> None:
    from rich.table import Table

    from ..collation import default_tables
    from ..collation.explain import character_facts, explain_pair

    if len(texts) > 2:  # refused before anything is printed
        raise fail(_("explain takes one or two entries"))
    rule = _checked_rule(by)
    activate_overrides()
    tables = default_tables()
    out = console()
    for text in texts:
        table = Table(title=escape(text), title_justify="left")
        for column in (_("char"), _("strokes"), _("sequence"), _("reading"), _("source")):
            table.add_column(column)
        for fact in character_facts(text, tables, as_name=not units):
            reading = fact.reading or "?"
            if fact.surname_reading:
                reading += _(" (surname)")
            table.add_row(
                escape(fact.char),
                str(fact.strokes) if fact.strokes else "?",
                fact.sequence or ("?" if fact.source else ""),
                reading if fact.source else "",
                fact.source,
            )
        out.print(table)
    if len(texts) == 2:
        decision = explain_pair(texts[0], texts[1], rule, "unit" if units else "person", tables)
        where = (
            _(" (position {position})").format(position=decision.position)
            if decision.position
            else ""
        )
        out.print(
            _("{rule}: {first} before {second}{where}: {reason}").format(
                rule=_rule_words(rule, units), first=f"[bold]{escape(decision.first)}[/]",
                second=f"[bold]{escape(decision.second)}[/]", where=where,
                reason=escape(decision.reason),
            )
        )
