"""``honours category …``: the tree of awards, groups and lists."""


from typing import Annotated

import typer

from .common import console, escape, store

app = typer.Typer(
    help="Create, list, edit, move and remove award categories (a tree: award → group → list).",
    no_args_is_help=True,
)

KindOption = Annotated[
    str | None,
    typer.Option("--kind", "-k", help="What the list holds: person, unit or work."),
]
SortOption = Annotated[
    str | None,
    typer.Option(
        "--sort", "-s", help="Ordering rule: stroke (姓氏笔画), stroke-fullname, pinyin, manual."
    ),
]
MeasureOption = Annotated[
    str | None,
    typer.Option("--measure", "-m", help="Measure word of the count: 名, 家, 件, 个 …"),
]
ColumnsOption = Annotated[
    int | None, typer.Option("--columns", "-c", help="Names per row in printed grids.")
]
DescriptionOption = Annotated[
    str | None, typer.Option("--description", "-d", help="A free note about the category.")
]
HonourOption = Annotated[
    str | None,
    typer.Option(
        "--honour",
        help="The honour in words for registers and certificates (inherited by "
        "subcategories); default: the path of titles.",
    ),
]
CategoryArg = Annotated[
    str, typer.Argument(metavar="CATEGORY", help="Id, unique title, or path of titles joined by /.")
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


@app.command("add")
def add(
    title: Annotated[str, typer.Argument(help="The category's title as printed.")],
    parent: Annotated[
        str | None, typer.Option("--parent", "-p", metavar="CATEGORY", help="Parent category.")
    ] = None,
    kind: KindOption = None,
    sort: SortOption = None,
    measure: MeasureOption = None,
    columns: ColumnsOption = None,
    description: DescriptionOption = None,
    honour: HonourOption = None,
) -> None:
    """Add a category. Defaults by kind: people 名, 5 columns, stroke order;
    units 家, 3 columns, manual order; works 件, manual order."""
    from .. import roll

    with store().transaction() as db:
        category = roll.add_category(
            db, title, parent=parent, kind=kind or "person", sort=sort, measure=measure,
            columns=columns, description=description or "", honour=honour or "",
        )
        path = roll.path_of(db, category)
    console().print(f"added category {category.id}: {escape(path)}")


@app.command("list")
def list_categories() -> None:
    """Show the category tree with ids, counts and ordering rules."""
    from rich.tree import Tree

    from .. import roll

    db = store().snapshot()
    counts = roll.count_winners(db)
    roots = roll.category_tree(db)
    if not roots:
        console().print("no categories yet: `honours category add TITLE` creates one")
        return

    def label(category: roll.Category) -> str:
        shown = describe(
            category, roll.total_count(category, counts), with_rule=not category.children
        )
        return (
            f"[dim]{category.id}[/] {escape(shown)} "
            f"[dim]{category.kind}[/]"
        )

    tree = Tree(f"[bold]{escape(str(store().path))}[/]")

    def grow(branch, categories):
        for category in categories:
            grow(branch.add(label(category)), category.children)

    grow(tree, roots)
    console().print(tree)


@app.command("show")
def show(category: CategoryArg) -> None:
    """Show one category's attributes."""
    from rich.table import Table

    from .. import roll

    db = store().snapshot()
    found = roll.resolve_category(db, category)
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    subcategories = [c for c in roll.all_categories(db) if c.parent == found.id]
    rows = {
        "id": str(found.id),
        "path": roll.path_of(db, found),
        "kind": found.kind,
        "ordering rule": found.sort,
        "measure word": found.measure,
        "grid columns": str(found.columns),
        "winners": str(roll.count_winners(db).get(found.id, 0)),
        "subcategories": ", ".join(c.title for c in subcategories) or "none",
        "description": found.description or "",
        "honour": found.honour or "(the path of titles)",
    }
    for key, value in rows.items():
        table.add_row(key, escape(value))
    console().print(table)


@app.command("edit")
def edit(
    category: CategoryArg,
    title: Annotated[str | None, typer.Option("--title", "-t", help="New title.")] = None,
    kind: KindOption = None,
    sort: SortOption = None,
    measure: MeasureOption = None,
    columns: ColumnsOption = None,
    description: DescriptionOption = None,
    honour: HonourOption = None,
) -> None:
    """Change a category's title, kind, ordering rule, measure word, columns,
    description or honour."""
    from .. import roll

    with store().transaction() as db:
        changed = roll.edit_category(
            db, category, title=title, kind=kind, sort=sort, measure=measure,
            columns=columns, description=description, honour=honour,
        )
        path = roll.path_of(db, changed)
    console().print(f"updated category {changed.id}: {escape(path)}")


@app.command("move")
def move(
    category: CategoryArg,
    parent: Annotated[
        str | None,
        typer.Option("--parent", "-p", metavar="CATEGORY", help="Move under this category."),
    ] = None,
    top: Annotated[bool, typer.Option("--top", help="Move to the top level.")] = False,
    position: Annotated[
        int | None,
        typer.Option("--position", min=1, help="Place among its siblings, 1 = first."),
    ] = None,
) -> None:
    """Re-parent a category and/or reorder it among its siblings."""
    from .. import roll

    if parent and top:
        raise typer.BadParameter("give --parent or --top, not both")
    with store().transaction() as db:
        moved = roll.move_category(db, category, parent=parent, to_top=top, position=position)
        path = roll.path_of(db, moved)
    console().print(f"moved category {moved.id}: {escape(path)} (position {moved.position + 1})")


@app.command("remove")
def remove(
    category: CategoryArg,
    force: Annotated[
        bool, typer.Option("--force", help="Also remove its subcategories and winners.")
    ] = False,
) -> None:
    """Remove a category; a non-empty one only with --force. A backup is kept first."""
    from .. import roll

    with store().transaction(backup="category-remove") as db:
        removed, below, winners = roll.remove_category(db, category, force=force)
    console().print(
        f"removed {escape(removed.title)} with {below} subcategories and {winners} winners "
        "(`honours backup list` shows the backup)"
    )
