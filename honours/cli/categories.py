"""``honours category …``: the tree of awards, groups and lists."""


from typing import Annotated

import typer

from .. import vocabulary
from ..i18n import _, ngettext
from .choices import complete_category, completed, parsed
from .common import change, console, escape, examples, fail, store, warn
from .recipients import report_renumbering, revoke_certificates

app = typer.Typer(
    help=_(
        "Create, list, edit, move and remove award categories (a tree: award → group → list)."
    ),
    no_args_is_help=True,
)

KindOption = Annotated[
    str | None,
    typer.Option(
        "--kind", "-k", callback=parsed(vocabulary.KINDS),
        autocompletion=completed(vocabulary.KINDS),
        help=_("What the list holds: person (个人), unit (单位) or work (作品)."),
    ),
]
SortOption = Annotated[
    str | None,
    typer.Option(
        "--sort",
        "-s",
        callback=parsed(vocabulary.RULES),
        autocompletion=completed(vocabulary.RULES),
        help=_(
            "Ordering rule: stroke (姓氏笔画, 笔画), stroke-fullname (姓名笔画), "
            "pinyin (拼音) or manual (手工)."
        ),
    ),
]
MeasureOption = Annotated[
    str | None,
    typer.Option("--measure", "-m", help=_("Measure word of the count: 名, 家, 件, 个 …")),
]
ColumnsOption = Annotated[
    int | None, typer.Option("--columns", "-c", help=_("Names per row in printed grids."))
]
DescriptionOption = Annotated[
    str | None, typer.Option("--description", "-d", help=_("A free note about the category."))
]
HonourOption = Annotated[
    str | None,
    typer.Option(
        "--honour",
        help=_(
            "The honour in words for registers and certificates (inherited by "
            "subcategories); default: one phrase made from the titles "
            "(docs/certificates.md)."
        ),
    ),
]
AuthorLabelOption = Annotated[
    str | None,
    typer.Option(
        "--author-label",
        help=_(
            "What a work's author is called in the roll and on certificates "
            "(提案者, 作者, 申报单位 …; inherited by subcategories); default: 提案者 "
            "for proposals, else 作者."
        ),
    ),
]
CertificatesOption = Annotated[
    str | None,
    typer.Option(
        "--certificates", metavar="per-proposer|per-work",
        callback=parsed(vocabulary.CERTIFICATE_MODES),
        autocompletion=completed(vocabulary.CERTIFICATE_MODES),
        help=_("A work's certificates: per-proposer (每位提案者一份, the default: each of "
               "its joint proposers gets one, with its own number) or per-work (每件作品一份: "
               "one for the proposers together); inherited by subcategories."),
    ),
]
VerbOption = Annotated[
    str | None,
    typer.Option(
        "--verb",
        help=_("The verb before the honour on certificates (荣获, 被评为, 被授予 …; "
               "inherited by subcategories); default: 荣获 for an award ending in 奖, "
               "被授予 for a 称号, else 被评为. An empty value goes back to the default."),
    ),
]
QuotaOption = Annotated[
    int | None,
    typer.Option(
        "--quota", min=0, metavar="N",
        help=_("At most N winners in this category and the ones below it; adding past "
               "it is refused. 0 removes the quota."),
    ),
]
ExclusiveOption = Annotated[
    bool | None,
    typer.Option(
        "--exclusive/--no-exclusive",
        help=_("Exclusive: a winner may not be in this category and in another exclusive "
               "category of the same award (the same top category)."),
        show_default=False,
    ),
]
CategoryArg = Annotated[
    str,
    typer.Argument(
        metavar="CATEGORY", autocompletion=complete_category,
        help=_(
            "The category: its id (as in `honours category list`), its title when no "
            "other category has it, or its path of titles joined by / "
            "(e.g. 先进个人/教师)."
        ),
    ),
]


def describe(category, count: int | None = None, with_rule: bool = True) -> str:
    """The heading as printed in a roll: 市、区政协委员（37名，按姓氏笔画排序）."""
    from ..collation import RULE_LABELS

    parts = []
    if count is not None:
        parts.append(f"{count}{category.measure}")
    if with_rule and RULE_LABELS.get(category.sort):
        parts.append(RULE_LABELS[category.sort])
    suffix = f"（{'，'.join(parts)}）" if parts else ""
    return f"{category.title}{suffix}"


@app.command(
    "add",
    help=_(
        "Add a category. Defaults by kind: people 名, 5 columns, stroke order; "
        "units 家, 3 columns, manual order; works 件, manual order."
    ) + examples(
        "honours category add 先进个人",
        "honours category add 教师 --parent 先进个人 --sort 姓名笔画",
        "honours category add 先进单位 --kind 单位",
        "honours category add 优秀提案 --kind 作品",
    ),
)
def add(
    title: Annotated[str, typer.Argument(help=_("The category's title as printed."))],
    parent: Annotated[
        str | None, typer.Option("--parent", "-p", metavar="CATEGORY",
                                   autocompletion=complete_category, help=_("Parent category."))
    ] = None,
    kind: KindOption = None,
    sort: SortOption = None,
    measure: MeasureOption = None,
    columns: ColumnsOption = None,
    description: DescriptionOption = None,
    honour: HonourOption = None,
    author_label: AuthorLabelOption = None,
    quota: QuotaOption = None,
    exclusive: ExclusiveOption = None,
    certificates: CertificatesOption = None,
    verb: VerbOption = None,
) -> None:
    from .. import roll
    from ..eligibility import set_rules

    with change("category-add", create=True) as recorded:
        db = recorded.db
        category = roll.add_category(
            db, title, parent=parent, kind=kind or "person", sort=sort, measure=measure,
            columns=columns, description=description or "", honour=honour or "",
            author_label=author_label or "", certificate_mode=certificates or "",
            verb=verb or "",
        )
        category = set_rules(db, category, quota=quota or None, exclusive=exclusive or None)
        path = roll.path_of(db, category)
        recorded.describe(_("created category {path}").format(path=path))
    console().print(_("added category {id}: {path}").format(id=category.id, path=escape(path)))


@app.command("list", help=_("Show the category tree with ids, counts, ordering rules and "
                            "quotas."))
def list_categories() -> None:
    from rich.tree import Tree

    from .. import roll

    db = store().snapshot()
    counts = roll.count_winners(db)
    roots = roll.category_tree(db)
    if not roots:
        console().print(_("no categories yet: `honours category add TITLE` creates one"))
        return

    from ..eligibility import quota_report

    # Counts only what has a quota: a roll without one reads no winner for this.
    quotas = {status.category.id: status for status in quota_report(db)}

    def label(category: roll.Category) -> str:
        shown = describe(
            category, roll.total_count(category, counts), with_rule=not category.children
        )
        quota = quotas.get(category.id)
        marked = "" if quota is None else " [{style}]{text}[/]".format(
            style="bold red" if quota.over else "dim", text=escape(quota.describe()))
        return (
            f"[dim]{category.id}[/] {escape(shown)} "
            f"[dim]{escape(vocabulary.KINDS.label(category.kind))}[/]{marked}"
        )

    tree = Tree(f"[bold]{escape(str(store().path))}[/]")

    def grow(branch, categories):
        for category in categories:
            grow(branch.add(label(category)), category.children)

    grow(tree, roots)
    console().print(tree)


@app.command("show", help=_("Show one category's attributes."))
def show(category: CategoryArg) -> None:
    from rich.table import Table

    from .. import roll

    db = store().snapshot()
    found = roll.resolve_category(db, category)
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    subcategories = [c for c in roll.all_categories(db) if c.parent == found.id]
    rows = {
        _("id"): str(found.id),
        _("path"): roll.path_of(db, found),
        _("kind"): vocabulary.KINDS.label(found.kind),
        _("ordering rule"): vocabulary.RULES.label(found.sort),
        _("measure word"): found.measure,
        _("grid columns"): str(found.columns),
        _("winners"): str(roll.count_winners(db).get(found.id, 0)),
        _("subcategories"): _(", ").join(c.title for c in subcategories) or _("none"),
        _("description"): found.description or "",
        _("honour"): found.honour or (
            _("{honour} (inherited)")
            if any(c.honour for c in roll.lineage(db, found))
            else _("{honour} (made from the titles)")
        ).format(honour=roll.honour_of(roll.lineage(db, found))),
    }
    rows[_("quota")] = _quota_text(db, found)
    rows[_("exclusive")] = _("yes") if found.exclusive else _("no")
    chain = roll.lineage(db, found)
    if found.kind == "work" or found.author_label:
        rows[_("author label")] = found.author_label or _("{label} (inherited or default)").format(
            label=roll.author_label_of(chain))
    if found.kind == "work" or found.certificate_mode:
        rows[_("certificates")] = vocabulary.CERTIFICATE_MODES.label(
            roll.certificate_mode_of(chain)) + (
            "" if found.certificate_mode else " " + _("(inherited or default)"))
    honour = roll.honour_of(chain)
    verb = roll.honour_verb_of(chain)
    rows[_("verb")] = found.verb or _("{verb} (inherited or chosen by the honour)").format(
        verb=honour_verb(honour, verb))
    for key, value in rows.items():
        table.add_row(key, escape(value))
    console().print(table)


def honour_verb(honour: str, verb: str) -> str:
    from ..certificates.wording import honour_verb as chosen

    return chosen(honour, verb)


def _quota_text(db, category) -> str:
    """The quota and how the category stands against it: 20 (21: 1 over)."""
    if category.quota is None:
        return _("none")
    from ..eligibility import QuotaStatus, RollIndex

    index = RollIndex(db, names=())  # counts only
    return QuotaStatus(category, index.paths[category.id][0], index.count(category)).describe()


@app.command(
    "edit",
    help=_(
        "Change a category's title, kind, ordering rule, measure word, columns, "
        "description, honour, author label, quota or whether it is exclusive."
    ),
)
def edit(
    category: CategoryArg,
    title: Annotated[str | None, typer.Option("--title", "-t", help=_("New title."))] = None,
    kind: KindOption = None,
    sort: SortOption = None,
    measure: MeasureOption = None,
    columns: ColumnsOption = None,
    description: DescriptionOption = None,
    honour: HonourOption = None,
    author_label: AuthorLabelOption = None,
    quota: QuotaOption = None,
    exclusive: ExclusiveOption = None,
    certificates: CertificatesOption = None,
    verb: VerbOption = None,
) -> None:
    from .. import roll
    from ..eligibility import set_rules

    given = {
        "title": title, "kind": kind, "sort": sort, "measure": measure, "columns": columns,
        "description": description, "honour": honour, "author_label": author_label,
        "certificate_mode": certificates, "verb": verb,
    }
    if all(value is None for value in given.values()) and quota is None and exclusive is None:
        raise fail(
            _("nothing to change: give --title, --kind, --sort, --measure, --columns, "
              "--description, --honour, --author-label, --certificates, --verb, --quota or "
              "--exclusive")
        )
    with change("category-edit") as recorded:
        db = recorded.db
        before = roll.resolve_category(db, category)
        old_path = roll.path_of(db, before)
        numbers = roll.numbers_before(db) if certificates or kind else {}
        changed = roll.edit_category(db, category, **given)
        report_renumbering(recorded, roll.renumber(db, numbers))
        changed = set_rules(db, changed, quota=quota, exclusive=exclusive)
        path = roll.path_of(db, changed)
        if quota:  # counted here, in the change, rather than by reading the file again
            from ..eligibility import QuotaStatus, RollIndex

            status = QuotaStatus(changed, path, RollIndex(db, names=()).count(changed))
        given.update(quota=quota, exclusive=exclusive)
        differences = [
            _("{field} {old!r} → {new!r}").format(
                field=_field_name(key), old=_shown(key, getattr(before, key)),
                new=_shown(key, getattr(changed, key)))
            for key in given
            if getattr(before, key) != getattr(changed, key)
        ]
        if differences:
            recorded.describe(_("changed category {path}: {changes}").format(
                path=old_path, changes=_("; ").join(differences)))
    if not differences:
        console().print(_("category {id} {path} already had these values: nothing changed")
                        .format(id=changed.id, path=escape(path)))
        return
    console().print(_("updated category {id}: {path} ({changes})").format(
        id=changed.id, path=escape(path), changes=escape(_("; ").join(differences))))
    if quota and status.over:
        warn(_("{path} holds more winners than its quota: {status}").format(
            path=path, status=status.describe()))


def _field_name(key: str) -> str:
    """A category attribute as `category show` names it."""
    return {
        "title": _("title"), "kind": _("kind"), "sort": _("ordering rule"),
        "measure": _("measure word"), "columns": _("grid columns"),
        "description": _("description"), "honour": _("honour"),
        "author_label": _("author label"), "quota": _("quota"),
        "exclusive": _("exclusive"), "certificate_mode": _("certificates"), "verb": _("verb"),
    }[key]


def _shown(key: str, value):
    """A kind or a rule in the interface language (个人, 姓氏笔画); other values as they are."""
    if key == "kind":
        return vocabulary.KINDS.label(value)
    if key == "sort":
        return vocabulary.RULES.label(value)
    if key == "certificate_mode":
        return vocabulary.CERTIFICATE_MODES.label(value) if value else _("inherited or default")
    if key == "exclusive":
        return _("yes") if value else _("no")
    if key == "quota" and value is None:
        return _("none")
    return value


@app.command(
    "move", help=_("Re-parent a category and/or reorder it among its siblings.")
)
def move(
    category: CategoryArg,
    parent: Annotated[
        str | None,
        typer.Option("--parent", "-p", metavar="CATEGORY", autocompletion=complete_category,
                     help=_("Move under this category.")),
    ] = None,
    top: Annotated[bool, typer.Option("--top", help=_("Move to the top level."))] = False,
    position: Annotated[
        int | None,
        typer.Option("--position", min=1, help=_("Place among its siblings, 1 = first.")),
    ] = None,
) -> None:
    from .. import roll

    if parent and top:
        raise typer.BadParameter(_("give --parent or --top, not both"))
    with change("category-move") as recorded:
        db = recorded.db
        moving = roll.resolve_category(db, category)
        old_path = roll.path_of(db, moving)
        _vet_category_move(db, moving, parent, top)
        numbers = roll.numbers_before(db)
        moved = roll.move_category(db, category, parent=parent, to_top=top, position=position)
        report_renumbering(recorded, roll.renumber(db, numbers))
        path = roll.path_of(db, moved)
        recorded.describe(_("moved category {old} to {path}, position {position}").format(
            old=old_path, path=path, position=moved.position + 1))
    console().print(
        _("moved category {id}: {path} (position {position})").format(
            id=moved.id, path=escape(path), position=moved.position + 1
        )
    )


def _vet_category_move(db, moving, parent: str | None, top: bool) -> None:
    """A category moving under another parent takes its winners there: the quotas
    above it and the exclusive lists of the award it joins hold as for `add`."""
    from .. import roll
    from ..eligibility import RollIndex

    if not (parent or top):
        return  # another place among the same siblings: nothing changes hands
    target = roll.resolve_category(db, parent) if parent else None
    if (target.id if target else None) == moving.parent:
        return
    problems = RollIndex(db, names=()).vet_category_move(moving, target)
    if problems:
        listing = "\n".join(f"  {p}" for p in problems[:20])
        raise fail(ngettext(
            "{path} was not moved; {count} problem:\n{listing}",
            "{path} was not moved; {count} problems:\n{listing}",
            len(problems)).format(path=roll.path_of(db, moving), count=len(problems),
                                  listing=listing))


@app.command(
    "remove",
    help=_("Remove a category; a non-empty one only with --force. A backup is kept first."),
)
def remove(
    category: CategoryArg,
    force: Annotated[
        bool, typer.Option("--force", help=_("Also remove its subcategories and winners."))
    ] = False,
) -> None:
    from .. import roll

    with change("category-remove") as recorded:
        db = recorded.db
        path = roll.path_of(db, roll.resolve_category(db, category))
        removed, below, winners = roll.remove_category(db, category, force=force)
        recorded.describe(
            _("removed category {path} with {below} subcategories and {winners} winners")
            .format(path=path, below=below, winners=len(winners))
        )
        revoked = revoke_certificates(recorded, winners, path)
    console().print(
        _(
            "removed {title} with {below} subcategories and {winners} winners "
            "(`honours undo` brings them back)"
        ).format(title=escape(removed.title), below=below,
                 winners=vocabulary.counted(len(winners), removed.measure))
    )
    if revoked:
        console(stderr=True).print(
            _("certificate numbers revoked (never issued again): {numbers}").format(
                numbers="、".join(revoked)), markup=False)
