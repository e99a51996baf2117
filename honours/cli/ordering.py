"""``honours sort / check / explain``: the ordering core on plain lists, no database needed."""


from typing import Annotated

import typer

from .. import vocabulary
from ..i18n import _, ngettext
from .choices import completed, format_parsed, parsed
from .common import (
    EncodingOption,
    activate_overrides,
    console,
    escape,
    examples,
    fail,
    read_input,
    warn,
)
from .reading import reading_help, report_documents, where_words

RULES = ("stroke", "stroke-fullname", "pinyin")


def register(app: typer.Typer) -> None:
    app.command(
        "sort",
        help=_(
            "Print entries sorted, keeping the input's shape: a list stays a list, a grid "
            "a grid of as many columns (or --columns N), and a roll keeps its headings, "
            "each list sorted by the order its heading declares (or --by).\n\n"
            "Names are read as pasted from Word, Excel or a PDF: cells split at tabs, "
            "wide gaps and 、，; \"马 罡\" is one name; list numbers are dropped "
            "(docs/pasted-text.md)."
        ) + reading_help() + examples(
            "honours sort 名单.txt",
            "honours sort --by 姓名笔画 名单.txt",
            "honours sort --units 单位.txt --columns 3",
        ),
    )(sort)
    app.command(
        "check",
        help=_(
            "Proof-read a list or a whole draft roll (.txt, .docx, .xlsx, .csv): every list "
            "whose heading declares an order (按姓氏笔画排序, 按姓名笔画排序, 按姓氏拼音排序 …) "
            "is checked by that rule, with the count of names read; lists that declare no "
            "order are named as not checked, and a heading's count is compared with what "
            "was read.\n\n"
            "Exit 0 when every checked list is in order, 1 when any entry is out of place "
            "or a count differs (each named with its line or cell and where it belongs), "
            "2 when the file cannot be read."
        ) + reading_help() + examples(
            "honours check 光荣榜初稿.docx", "honours check 名单.xlsx --sheet 先进个人"),
    )(check)
    app.command(
        "explain",
        help=_(
            "Show each character's stroke count, stroke sequence (横竖撇点折), reading and "
            "data source; given two entries, the position that decides their order and why."
        ) + examples("honours explain 欧阳", "honours explain 王五 丁一"),
    )(explain)


FileArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[FILE]",
        help=_(
            "A list or a whole roll: .txt (UTF-8, GB18030 or UTF-16), .docx, .xlsx or .csv; "
            "omitted or '-': standard input."
        ),
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        "-b",
        callback=parsed(vocabulary.RULES, RULES),
        autocompletion=completed(vocabulary.RULES, RULES),
        help=_(
            "stroke (姓氏笔画), stroke-fullname (姓名笔画) or pinyin; overrides the order a "
            "heading declares. A list without headings defaults to stroke."
        ),
    ),
]
UnitsOption = Annotated[
    bool,
    typer.Option(
        "--units", "-u",
        help=_("Entries are units or titles: 、 and ， belong to them, no two-character blank."),
    ),
]
SheetOption = Annotated[
    str | None, typer.Option("--sheet", help=_("Only this sheet of an .xlsx (default: all)."))
]
def _read_parts(
    source: str | None, units: bool, sheet: str | None = None, encoding: str | None = None
):
    """The input as (label, document) parts, read by the one reader of names;
    the names kept in doubt and what was skipped are reported (standard error)."""
    from pathlib import Path

    from ..readers.documents import read_parts

    origin, data = read_input(source)
    path = Path(source) if source not in (None, "-") else Path(origin)
    kind = "unit" if units else None
    parts = read_parts(path, data, sheet, encoding)
    for part in parts:
        if part.damage:
            warn(part.damage)
    documents = [(part.label, part.read(kind)) for part in parts]
    report_documents(document for _label, document in documents)
    return documents


def _warn_unplaced(names: list[list[str]]) -> None:
    from ..collation import default_tables

    text = "".join("".join(part) for part in names)
    for char, reason in default_tables().unplaced(text).items():
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


def _where(entry) -> str:
    """Where an entry was read: line 12, or line 12, entry 3 in a line of several."""
    return where_words(entry.where, entry.place)


def _count_words(count: int, kind: str) -> str:
    if kind == "unit":
        return ngettext("{count} unit", "{count} units", count).format(count=count)
    if kind == "work":
        return ngettext("{count} title", "{count} titles", count).format(count=count)
    return ngettext("{count} name", "{count} names", count).format(count=count)


# ------------------------------------------------------------------ sort


def sort(
    file: FileArg = None,
    by: ByOption = None,
    units: UnitsOption = False,
    columns: Annotated[
        int | None,
        typer.Option(
            "--columns", "-c", min=1,
            help=_("Entries per output row (default: as the input's widest row)."),
        ),
    ] = None,
    output: Annotated[
        str, typer.Option(
            "--format", "-f", callback=format_parsed(("text", "json")),
            autocompletion=completed(vocabulary.FORMATS, ("text", "json")),
            help=_("text (文本, the default) or json."))
    ] = "text",
    sheet: SheetOption = None,
    encoding: EncodingOption = None,
) -> None:
    from ..collation import sort_entries

    rule = by
    parts = _read_parts(file, units, sheet, encoding)
    activate_overrides()
    if rule != "pinyin":
        _warn_unplaced([section.names for _label, doc in parts for section in doc.sections])
    sorted_parts = []
    for label, document in parts:
        headed = bool(document.headings)
        sections = []
        for section in document.sections:
            if headed and section.heading is None:
                continue
            applied = rule or section.rule or (None if headed else "stroke")
            names = section.names
            if applied and applied != "manual":
                names = sort_entries(names, applied, section.kind)
            elif names:
                warn(
                    _("{where}: {title} declares no order; left as it is").format(
                        where=section.where, title=section.title
                    )
                )
            sections.append((section, applied, names))
        sorted_parts.append((label, sections))
    if output == "json":
        _print_sorted_json(sorted_parts)
    else:
        _print_sorted_text(sorted_parts, columns)


def _print_sorted_text(sorted_parts, columns: int | None) -> None:
    """Headings as read, each list in rows as wide as the input's (or
    ``columns``), tabs between cells and 马 罡 padded in grids, as rolls print."""
    from ..render.text import proposer_line
    from ..render.view import pad_name

    lines: list[str] = []
    for label, sections in sorted_parts:
        if label:
            lines.append(f"[{label}]")
        for section, _applied, names in sections:
            if section.heading:
                lines.append(section.heading.display)
            if section.kind == "work":  # numbered titles, each with its proposer line
                proposers = {entry.name: entry.proposer for entry in section.entries}
                for number, name in enumerate(names, start=1):
                    lines.append(f"{number}. {name}")
                    if proposers.get(name):
                        lines.append(proposer_line(proposers[name]))
                continue
            width = columns or max(1, section.columns)
            if width == 1:
                lines += names
                continue
            joiner = section.joiner
            cells = [pad_name(name) for name in names] if joiner == "\t" else names
            lines += [joiner.join(cells[i:i + width]) for i in range(0, len(cells), width)]
    if lines:
        typer.echo("\n".join(lines))


def _print_sorted_json(sorted_parts) -> None:
    import json

    listing = [
        {
            "sheet": label or None,
            "heading": section.heading.display if section.heading else None,
            "kind": section.kind,
            "rule": applied,
            "entries": names,
        }
        for label, sections in sorted_parts
        for section, applied, names in sections
    ]
    typer.echo(json.dumps({"lists": listing}, ensure_ascii=False, indent=2))


# ------------------------------------------------------------------ check


def check(
    file: FileArg = None, by: ByOption = None, units: UnitsOption = False,
    sheet: SheetOption = None, encoding: EncodingOption = None,
) -> None:
    from ..proofread import proofread

    rule = by
    parts = _read_parts(file, units, sheet, encoding)
    if not any(section.entries for _label, document in parts for section in document.sections):
        raise fail(
            _("no names were read from {file}: there is nothing to check (an empty file or "
              "sheet?)").format(file=file if file not in (None, "-") else _("standard input"))
        )
    activate_overrides()
    checks = proofread(parts, by=rule)
    out = console()
    headed = any(document.headings for _label, document in parts)
    # A bare list gets a one-line answer; a list whose note declares its order or
    # count (（共16名，按姓氏笔画排序）) is reported like a roll's list.
    bare = not checks or (checks[0].rule_source != "declared" and checks[0].expected is None)
    if not headed and len(checks) <= 1 and bare:
        failed = _report_plain_list(out, checks, units)
    else:
        failed = _report_document(out, checks)
    if failed:
        raise typer.Exit(1)


def _report_plain_list(out, checks, units: bool) -> bool:
    """A list without headings: one line when in order, else each misplaced entry."""
    entries = checks[0].section.entries if checks else []
    rule = checks[0].rule if checks else "stroke"
    words = _rule_words(rule, units)
    misplaced = checks[0].misplaced if checks else []
    if not misplaced:
        out.print(
            ngettext(
                "in order: {count} entry read, {rule}", "in order: {count} entries read, {rule}",
                len(entries),
            ).format(count=len(entries), rule=words)
        )
        return False
    heading = ngettext(
        "{count} of {total} entry out of place ({rule}):",
        "{count} of {total} entries out of place ({rule}):",
        len(entries),
    ).format(count=len(misplaced), total=len(entries), rule=words)
    out.print(f"[bold]{escape(heading)}[/]")
    for problem in misplaced:
        _print_misplaced(out, problem)
    return True


def _print_misplaced(out, problem) -> None:
    if problem.after is None:
        where = _("first, before {entry}").format(entry=problem.before)
    else:
        where = _("after {entry}").format(entry=problem.after)
    out.print(
        "  " + escape(
            _("{where}: {entry} belongs at {place}, {position}").format(
                where=_where(problem.entry), entry=problem.entry.name,
                place=problem.belongs_at, position=where,
            )
        )
    )


def _report_document(out, checks) -> bool:
    """A roll or a document of several lists: every section with what was read
    and checked, then a summary."""
    failed = False
    checked = not_checked = out_of_order = 0

    def say(mark: str, check, text: str) -> None:
        section = check.section
        title = section.title or _("(the list)")
        if check.part:
            title = f"{check.part} › {title}"
        template = _("{title} ({where}): {text}") if section.where else _("{title}: {text}")
        out.print(
            mark + " " + escape(template).format(
                title=f"[bold]{escape(title)}[/]", where=escape(section.where), text=escape(text)
            )
        )

    for check in checks:
        section = check.section
        count = _count_words(len(section.entries), section.kind)
        if check.expected is not None and not check.count_differs:
            read = _("{count} read, as the heading says").format(count=count)
        else:
            read = _("{count} read").format(count=count)
        if not section.entries and section.children and check.expected is not None:
            if not check.count_differs:  # a group: its count is the sum of its lists
                below = _count_words(check.found, section.children[0].kind)
                say("[green]✓[/]", check,
                    _("{count} read below it, as the heading says").format(count=below))
        if check.checked:
            checked += 1
            rule = _rule_words(check.rule, section.kind != "person")
            if check.rule_source == "given":
                rule = _("{rule}, as given by --by").format(rule=rule)
            if check.misplaced:
                out_of_order += 1
                failed = True
                state = ngettext(
                    "{count} out of place", "{count} out of place", len(check.misplaced)
                ).format(count=len(check.misplaced))
                say("[bold red]✗[/]", check,
                    _("{read}; {rule}: {state}").format(read=read, rule=rule, state=state))
                for problem in check.misplaced:
                    _print_misplaced(out, problem)
            else:
                say("[green]✓[/]", check,
                    _("{read}; {rule}: in order").format(read=read, rule=rule))
        elif section.entries:
            not_checked += 1
            why = (
                _("排名不分先后 (no order) declared: not checked")
                if check.rule == "manual"
                else _("no order declared: not checked")
            )
            say("[dim]–[/]", check, _("{read}; {why}").format(read=read, why=why))
        if check.count_differs:
            failed = True
            say("[bold red]![/]", check,
                _("the heading says {count}{measure} but {found} were read").format(
                    count=check.expected, measure=section.measure or "",
                    found=check.found,
                ))
    summary = _("{checked} checked, {bad} out of order, {skipped} not checked").format(
        checked=ngettext("{count} list", "{count} lists", checked).format(count=checked),
        bad=out_of_order, skipped=not_checked,
    )
    out.print(summary)
    if not checked:
        warn(
            _(
                "no list declares its order (按姓氏笔画排序 …): nothing was checked; "
                "give --by to check every list by one rule"
            )
        )
    return failed


def explain(
    texts: Annotated[list[str], typer.Argument(metavar="TEXT...", help=_("One or two entries."))],
    by: ByOption = "stroke",
    units: UnitsOption = False,
) -> None:
    from rich.table import Table

    from ..collation import default_tables
    from ..collation.explain import character_facts, explain_pair
    from ..readers.pasted import read_pasted

    rule = by or "stroke"
    texts = [
        entry.name for text in texts
        for entry in read_pasted(text, "unit" if units else "person").entries
    ]
    if not texts:
        raise fail(_("explain takes one or two entries"))
    if len(texts) > 2:
        raise fail(_("explain takes one or two entries, not {count}: {entries}").format(
            count=len(texts), entries="、".join(texts)))
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
