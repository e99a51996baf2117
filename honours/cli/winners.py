"""``honours add / remove / edit / move / list``: the winners of a category."""


from typing import TYPE_CHECKING, Annotated

import typer

from .. import vocabulary
from ..i18n import _, ngettext
from .categories import CategoryArg
from .choices import complete_category, completed, format_parsed
from .common import (
    activate_overrides,
    change,
    console,
    escape,
    examples,
    fail,
    note,
    read_text,
    store,
    warn,
)
from .recipients import report_renumbering, revoke_certificates, warn_inferred_kinds

if TYPE_CHECKING:
    from .. import roll

FORMATS = ("table", "text", "json", "csv")
#: ``--proposer-kind`` of add and edit: person or unit, once for all proposers or one each.
ProposerKindOption = typer.Option(
    "--proposer-kind", metavar="person|unit",
    help=_("Whether a work's proposer is a person (…同志：你提交的) or a unit (…：你单位提交的); "
           "for joint proposers one kind for all, or one each in order (person,unit). "
           "Not given: taken from the name, with a warning."),
)
#: ``--strict`` of add and import: a person already on another list is refused, not warned of.
StrictOption = typer.Option(
    "--strict",
    help=_("Refuse a person who is already on another list of the roll (by default a "
           "warning names that list)."),
)


def register(app: typer.Typer) -> None:
    app.command(
        "add",
        help=_(
            "Add winners to CATEGORY: names as arguments, '-' for standard input "
            "(one per line; tabs split a pasted grid; \"马 罡\" is 马罡), or none to be "
            "prompted.\n\n"
            "Every entry is checked first; if any is refused nothing is added."
        ) + examples(
            "honours add 先进个人 张三 李四 欧阳明",
            'honours add 优秀提案 "关于加强社区养老服务的建议" --proposer 王芳',
            "honours add 先进个人 - < 名单.txt",
            "honours add 先进个人",
        ),
    )(add)
    app.command("remove", help=_("Remove winners from CATEGORY (a backup is kept first)."))(
        remove
    )
    app.command(
        "edit", help=_("Rename a winner or change its affiliation, note or proposer.")
    )(edit)
    app.command(
        "move",
        help=_("Move a winner to another category and/or to a place in a manual list."),
    )(move)
    app.command(
        "list",
        help=_(
            "List a category's winners in display order (its ordering rule, or manual order)."
        ) + examples(
            "honours list 先进个人",
            "honours list 3 --format text",
            "honours list 先进个人/教师 --format csv > 名单.csv",
        ),
    )(list_winners)


def _pasted_entries(text: str, kind: str, extras: dict) -> "list[roll.NewWinner]":
    """Entries of pasted text, read by the one reader of names; headings are
    skipped with a note, and a "■ 提案者：…" line gives a work its proposer; the
    names kept in doubt are warned about and what was skipped is counted."""
    from .. import roll
    from ..readers.pasted import read_pasted
    from .reading import report_reading

    document = read_pasted(text, kind)
    for section in document.headings:
        note(
            _("{where}: heading skipped: {title}").format(where=section.where, title=section.title)
        )
    report_reading(document.doubts, document.skipped)
    entries = []
    for entry in document.entries:
        fields = dict(extras)
        if entry.proposer:
            fields["proposer"] = entry.proposer
        if entry.affiliation and not fields.get("affiliation"):
            fields["affiliation"] = entry.affiliation  # 张三  福州一中: read, never dropped
        entries.append(roll.NewWinner(entry.name, origin=entry.where, **fields))
    return entries


def _save(
    category_ref: str, entries: "list[roll.NewWinner]", allow_duplicate: bool,
    strict: bool = False,
) -> "tuple[list[str], roll.Category]":
    """Validate and add entries in one transaction; all or nothing.
    Returns the names added and their category."""
    from .. import roll
    from ..eligibility import RollIndex

    with change("add") as recorded:
        db = recorded.db
        category = roll.resolve_category(db, category_ref)
        existing, position = roll.roster(db, category)
        inferred: list[roll.InferredKind] = []
        documents, problems = roll.prepare_winners(db, category, entries, allow_duplicate,
                                                   existing, inferred)
        names = [document["name"] for document in documents]
        verdict = RollIndex(db, names).vet(category, documents, strict)
        problems += verdict.problems
        if problems:
            listing = "\n".join(f"  {p}" for p in problems)
            raise fail(
                ngettext(
                    "nothing was added; {count} problem:\n{listing}",
                    "nothing was added; {count} problems:\n{listing}",
                    len(problems),
                ).format(count=len(problems), listing=listing)
            )
        for warning in verdict.warnings:
            warn(warning)
        warn_inferred_kinds(inferred)
        roll.insert_winners(db, category, documents, position)
        recorded.describe(
            _("added {names} to {category}").format(
                names=vocabulary.listed([d["name"] for d in documents]),
                category=roll.path_of(db, category),
            )
        )
    return [d["name"] for d in documents], category


def _prompt_loop(category_ref: str, extras: dict, allow_duplicate: bool, strict: bool) -> None:
    """One entry per line, saved as soon as it is confirmed; an empty line ends."""
    from .. import roll

    db = store().snapshot()
    category = roll.resolve_category(db, category_ref)
    out = console()
    out.print(
        _(
            "Adding to {path}: one entry per line, "
            "an empty line ends (Ctrl-C keeps what was added)."
        ).format(path=escape(roll.path_of(db, category)))
    )
    added = 0
    try:
        while True:
            line = typer.prompt(_entry_word(category.kind), default="", show_default=False)
            if not line.strip():
                break
            pasted = _pasted_entries(line, category.kind, extras)
            if not pasted:
                continue
            try:
                names, _category = _save(str(category.id), pasted, allow_duplicate, strict)
            except typer.Exit:
                continue  # the message is printed; the clerk retypes the line
            added += len(names)
            out.print(_("  added {names}").format(names=escape("、".join(names))))
    except (KeyboardInterrupt, EOFError, typer.Abort):
        out.print("\n" + _("stopped"))
    out.print(_("{count} added to {title}").format(
        count=vocabulary.counted(added, category.measure), title=escape(category.title)))


def _entry_word(kind: str) -> str:
    """What one entry of a list is called: 姓名 for a person, 名称 for a unit, 题目 for a work."""
    return {"unit": _("unit name"), "work": _("title of the work")}.get(kind, _("full name"))


def add(
    category: CategoryArg,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME]...",
            help=_("Names (or titles of works). '-' reads standard input; none prompts."),
        ),
    ] = None,
    affiliation: Annotated[
        str | None, typer.Option("--affiliation", "-a", help=_("Unit or title of the winner."))
    ] = None,
    note_text: Annotated[str | None, typer.Option("--note", "-n", help=_("A note."))] = None,
    proposer: Annotated[
        str | None, typer.Option(
            "--proposer",
            help=_("Proposer of a work (required for works); joint proposers separated by "
                   "、 or commas each get a certificate."))
    ] = None,
    proposer_kind: Annotated[
        str | None, ProposerKindOption
    ] = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help=_("Accept a name already in the category."))
    ] = False,
    strict: Annotated[bool, StrictOption] = False,
) -> None:
    from .. import roll

    extras = {"affiliation": affiliation or "", "note": note_text or "", "proposer": proposer or "",
              "proposer_kind": proposer_kind or ""}
    if not names:
        _prompt_loop(category, extras, allow_duplicate, strict)
        return
    entries: list[roll.NewWinner] = []
    for index, name in enumerate(names, start=1):
        if name == "-":
            kind = roll.resolve_category(store().snapshot(), category).kind
            entries += _pasted_entries(read_text("-"), kind, extras)
        else:
            entries.append(roll.NewWinner(
                    name, origin=_("argument {index}").format(index=index), **extras
                ))
    if not entries:
        raise fail(_("no entries given: standard input was empty"))
    added, found = _save(category, entries, allow_duplicate, strict)
    console().print(
        _("added {count}: {names}").format(
            count=vocabulary.counted(len(added), found.measure),
            names=escape(vocabulary.listed(added)))
    )


WinnerArg = Annotated[str, typer.Argument(metavar="WINNER", help=_("Name as listed, or #ID."))]


def remove(
    category: CategoryArg,
    winners: Annotated[list[str], typer.Argument(metavar="WINNER...", help=_("Names or #IDs."))],
) -> None:
    from .. import roll

    with change("remove") as recorded:
        db = recorded.db
        found = roll.resolve_category(db, category)
        gone = [roll.remove_winner(db, found, reference) for reference in winners]
        where = roll.path_of(db, found)
        recorded.describe(
            _("removed {names} from {category}").format(
                names=vocabulary.listed([w.name for w in gone]), category=where
            )
        )
        revoked = revoke_certificates(recorded, gone, where)
    console().print(_("removed {names}").format(names=escape("、".join(w.name for w in gone))))
    if revoked:
        note(_("certificate numbers revoked (never issued again): {numbers}").format(
            numbers="、".join(revoked)))


def edit(
    category: CategoryArg,
    winner: WinnerArg,
    name: Annotated[str | None, typer.Option("--name", help=_("New name (rename)."))] = None,
    affiliation: Annotated[
        str | None, typer.Option("--affiliation", "-a", help=_("New affiliation."))
    ] = None,
    note_text: Annotated[str | None, typer.Option("--note", "-n", help=_("New note."))] = None,
    proposer: Annotated[
        str | None, typer.Option(
            "--proposer",
            help=_("New proposer (of a work). A proposer kept keeps their certificate "
                   "number; a new name in the place of one that is gone takes its number "
                   "(a corrected spelling); a proposer left out has their number revoked."))
    ] = None,
    proposer_kind: Annotated[str | None, ProposerKindOption] = None,
) -> None:
    from .. import roll

    if (name is None and affiliation is None and note_text is None and proposer is None
            and proposer_kind is None):
        raise fail(_("nothing to change: give --name, --affiliation, --note, --proposer or "
                     "--proposer-kind"))
    with change("edit") as recorded:
        db = recorded.db
        found = roll.resolve_category(db, category)
        before = roll.resolve_winner(db, found, winner)
        numbers = roll.numbers_before(db, (), winners=[before.id])
        inferred: list[roll.InferredKind] = []
        changed = roll.edit_winner(
            db, found, winner, inferred, name=name, affiliation=affiliation, note=note_text,
            proposer=proposer, proposer_kind=proposer_kind,
        )
        if (changed.name, changed.affiliation) != (before.name, before.affiliation):
            _vet_edit(db, found, changed)
        warn_inferred_kinds(inferred)
        differences = _differences(before, changed)
        settled = roll.renumber(db, numbers)
        report_renumbering(recorded, settled, renamed=(changed.id, before.name, changed.name))
        if differences:
            recorded.describe(
                _("edited {name} in {category}: {changes}").format(
                    name=before.name, category=roll.path_of(db, found),
                    changes=_("; ").join(differences),
                )
            )
    if not differences:
        console().print(
            _("#{id} {name} already had these values: nothing changed").format(
                id=changed.id, name=escape(changed.name)
            )
        )
        return
    console().print(
        _("updated #{id}: {changes}").format(
            id=changed.id, changes=escape(_("; ").join(differences))
        )
    )


def _differences(before: "roll.Winner", after: "roll.Winner") -> list[str]:
    labels = {
        "name": _("name"), "affiliation": _("affiliation"), "note": _("note"),
        "proposer": _("proposer"), "proposer_kind": _("proposer kind"),
    }
    return [
        _("{field} {old!r} → {new!r}").format(
            field=label, old=getattr(before, key), new=getattr(after, key)
        )
        for key, label in labels.items()
        if getattr(before, key) != getattr(after, key)
    ]


def move(
    category: CategoryArg,
    winner: WinnerArg,
    to: Annotated[
        str | None, typer.Option(
            "--to", metavar="CATEGORY", autocompletion=complete_category,
            help=_("Move to this category."))
    ] = None,
    position: Annotated[
        int | None,
        typer.Option("--position", min=1, help=_("Place in the manual order, 1 = first.")),
    ] = None,
) -> None:
    from .. import roll

    if to is None and position is None:
        raise fail(_("say where to: --to CATEGORY and/or --position N"))
    with change("move") as recorded:
        db = recorded.db
        found = roll.resolve_category(db, category)
        target = roll.resolve_category(db, to) if to else None
        destination = target or found
        if position is not None and destination.sort != "manual":
            warn(
                _(
                    "{title} is ordered by {rule}: "
                    "the position only matters if its rule becomes manual"
                ).format(title=destination.title, rule=vocabulary.RULES.label(destination.sort))
            )
        if target is not None and target.id != found.id:
            _vet_move(db, found, winner, target)
        numbers = roll.numbers_before(
            db, (), winners=[roll.resolve_winner(db, found, winner).id])
        moved = roll.move_winner(db, found, winner, to=target, position=position)
        # The place a reader sees: in the list's display order, not the manual one.
        shown = [w.id for w in roll.winners_of(db, destination)]
        place = shown.index(moved.id) + 1
        recorded.describe(
            _("moved {name} from {source} to {target}, place {place}").format(
                name=moved.name, source=roll.path_of(db, found),
                target=roll.path_of(db, destination), place=place,
            )
        )
        report_renumbering(recorded, roll.renumber(db, numbers))
    console().print(
        _("moved {name} to {category}, place {place}").format(
            name=escape(moved.name), category=escape(destination.title), place=place
        )
        if destination.sort == "manual"
        else _("moved {name} to {category}; {rule} order puts it at place {place}").format(
            name=escape(moved.name), category=escape(destination.title),
            rule=vocabulary.RULES.label(destination.sort), place=place,
        )
    )


def _vet_edit(db, category: "roll.Category", changed: "roll.Winner") -> None:
    """A renamed winner (or one given another affiliation) meets the rules of people
    as an added one does: never on two exclusive lists of one award."""
    from ..eligibility import RollIndex

    verdict = RollIndex(db, [changed.name]).vet_change(
        category, {"name": changed.name, "affiliation": changed.affiliation})
    if verdict.problems:
        raise fail(_("nothing was changed: {problems}").format(
            problems=_("; ").join(verdict.problems)))
    for warning in verdict.warnings:
        warn(warning)


def _vet_move(db, source: "roll.Category", reference: str, target: "roll.Category") -> None:
    """A move into another category is an addition there: its quota and the rule of
    exclusive lists apply, and a person on another list is pointed out."""
    from .. import roll
    from ..eligibility import RollIndex

    moving = roll.resolve_winner(db, source, reference)
    index = RollIndex(db, [moving.name])
    index.forget(source.id, moving.id)
    verdict = index.vet(target, [{"name": moving.name, "affiliation": moving.affiliation}])
    if verdict.problems:
        raise fail(_("{name} was not moved: {problems}").format(
            name=moving.name, problems=_("; ").join(verdict.problems)))
    for warning in verdict.warnings:
        warn(warning)


def list_winners(
    category: CategoryArg,
    output: Annotated[
        str, typer.Option(
            "--format", "-f", callback=format_parsed(FORMATS),
            autocompletion=completed(vocabulary.FORMATS, FORMATS),
            help=_("table (表格), text (文本, one name a line), json or csv; json and csv "
                   "keep English keys for programs."))
    ] = "table",
) -> None:
    from .. import roll

    activate_overrides()
    db = store().snapshot()
    found = roll.resolve_category(db, category)
    winners = roll.winners_of(db, found)
    _warn_unplaced(found, [w.name for w in winners])
    if output == "json":
        import json

        # "place" is the display place, as in the csv; "position" the manual order's.
        typer.echo(json.dumps(
            [{"place": place, **w.as_dict()} for place, w in enumerate(winners, start=1)],
            ensure_ascii=False, indent=2,
        ))
    elif output == "text":
        for winner in winners:
            typer.echo(winner.name)
    elif output == "csv":
        import csv
        import sys

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["place", "name", "affiliation", "note", "proposer", "id", "position"])
        for place, w in enumerate(winners, start=1):
            writer.writerow([place, w.name, w.affiliation, w.note, w.proposer, w.id, w.position])
    else:
        _print_table(db, found, winners)


def _warn_unplaced(category: "roll.Category", names: list[str]) -> None:
    if category.sort == "manual" or category.sort == "pinyin":
        return
    from ..collation import default_tables

    unplaced = default_tables().unplaced("".join(names))
    for char, reason in unplaced.items():
        warn(
            _("{char} (U+{code:04X}): {reason}; see `honours explain {char}`").format(
                char=char, code=ord(char), reason=reason
            )
        )


def _print_table(db, category: "roll.Category", winners: "list[roll.Winner]") -> None:
    from rich.table import Table
    from rich.text import Text

    from ..render.terminal import LongTable
    from .categories import describe

    console().print(f"[bold]{escape(describe(category, len(winners)))}[/]")
    heading = {"person": _("full name"), "unit": _("unit name"), "work": _("title of the work")}[
        category.kind]
    extras = [f for f in ("proposer", "affiliation", "note") if any(getattr(w, f) for w in winners)]
    headers = {"proposer": _("proposer"), "affiliation": _("affiliation"), "note": _("note")}

    def make_table() -> Table:
        table = Table()
        table.add_column("#", justify="right", style="dim")
        table.add_column(heading, overflow="fold")
        for extra in extras:
            table.add_column(headers[extra], overflow="fold")
        table.add_column(_("id"), justify="right", style="dim")
        return table

    columns = [[Text(str(place), style="dim") for place in range(1, len(winners) + 1)],
               [winner.name for winner in winners],
               *([getattr(winner, extra) for winner in winners] for extra in extras),
               [Text(f"#{winner.id}", style="dim") for winner in winners]]
    console().print(LongTable(make_table, columns) if winners else make_table())
    if not winners:
        note(_("no winners yet: `honours add {id} NAME…`").format(id=category.id))
