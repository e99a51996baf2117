"""``honours sort / check / explain``: the ordering core on plain lists, no database needed."""


from typing import Annotated

import typer

from .common import activate_overrides, console, escape, fail, read_lines, warn

RULES = ("stroke", "stroke-fullname", "pinyin")


def register(app: typer.Typer) -> None:
    app.command("sort")(sort)
    app.command("check")(check)
    app.command("explain")(explain)


FileArg = Annotated[
    str | None,
    typer.Argument(metavar="[FILE]", help="One entry per line; omitted or '-': standard input."),
]
ByOption = Annotated[
    str,
    typer.Option(
        "--by", "-b", help="stroke (姓氏笔画, default), stroke-fullname (姓名笔画) or pinyin."
    ),
]
UnitsOption = Annotated[
    bool,
    typer.Option("--units", "-u", help="Entries are units or titles: no two-character blank."),
]


def _entries(source: str | None) -> list[str]:
    from ..collation import display_form, split_grid_line

    return [display_form(cell) for line in read_lines(source) for cell in split_grid_line(line)]


def _checked_rule(rule: str) -> str:
    if rule not in RULES:
        raise fail(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    return rule


def _warn_unplaced(entries: list[str]) -> None:
    from ..collation import default_tables

    for char, reason in default_tables().unplaced("".join(entries)).items():
        warn(f"{char} (U+{ord(char):04X}): {reason}")


def sort(file: FileArg = None, by: ByOption = "stroke", units: UnitsOption = False) -> None:
    """Print entries sorted, one per line, in normalised display form.

    Blank lines are ignored and tabs split a pasted grid."""
    from ..collation import sort_entries

    rule = _checked_rule(by)
    entries = _entries(file)
    activate_overrides()
    if rule != "pinyin":
        _warn_unplaced(entries)
    result = sort_entries(entries, rule, "unit" if units else "person")
    typer.echo("\n".join(result)) if result else None


def check(file: FileArg = None, by: ByOption = "stroke", units: UnitsOption = False) -> None:
    """Exit 0 when the list is in order; otherwise name each entry out of place
    and where it belongs, and exit 1."""
    from ..collation import check_order

    rule = _checked_rule(by)
    entries = _entries(file)
    activate_overrides()
    problems = check_order(entries, rule, "unit" if units else "person")
    out = console()
    if not problems:
        out.print(f"in order: {len(entries)} entries, {rule}")
        return
    out.print(f"[bold]{len(problems)} of {len(entries)} entries out of place ({rule}):[/]")
    for problem in problems:
        if problem.after is None:
            where = f"first, before {problem.before}"
        else:
            where = f"after {problem.after}"
        out.print(
            f"  entry {problem.line} {escape(problem.entry)}: belongs at {problem.belongs_at}, "
            f"{escape(where)}"
        )
    raise typer.Exit(1)


def explain(
    texts: Annotated[list[str], typer.Argument(metavar="TEXT...", help="One or two entries.")],
    by: ByOption = "stroke",
    units: UnitsOption = False,
) -> None:
    """Show each character's stroke count, stroke sequence (横竖撇点折), reading and
    data source; given two entries, the position that decides their order and why."""
    from rich.table import Table

    from ..collation import default_tables
    from ..collation.explain import character_facts, explain_pair

    rule = _checked_rule(by)
    activate_overrides()
    tables = default_tables()
    out = console()
    for text in texts:
        table = Table(title=escape(text), title_justify="left")
        for column in ("char", "strokes", "sequence", "reading", "source"):
            table.add_column(column)
        for fact in character_facts(text, tables, as_name=not units):
            reading = fact.reading or "?"
            if fact.surname_reading:
                reading += " (surname)"
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
        where = f" (position {decision.position})" if decision.position else ""
        out.print(
            f"{rule}: [bold]{escape(decision.first)}[/] before [bold]{escape(decision.second)}"
            f"[/]{where}: {escape(decision.reason)}"
        )
    elif len(texts) > 2:
        raise fail("explain takes one or two entries")
