"""``honours new-year / find / history / streaks``: one roll a year, and people across years."""


from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import (
    confirm,
    console,
    db_path,
    escape,
    examples,
    fail,
    lock_wait,
    note,
    state,
    store,
    warn,
)

InOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--in", metavar="PATH",
        help=_("A roll file, or a folder whose rolls are all read; repeat for more."),
    ),
]


def register(app: typer.Typer) -> None:
    app.command(
        "new-year",
        help=_(
            "Start next year's roll from the one in use: the same categories, ordering "
            "rules, measure words, columns, honours, quotas and settings, the year advanced "
            "(also in titles: 2024年度 becomes 2025年度), and no winners. It is written "
            "beside the current roll, named by its year (2024.json → 2025.json, "
            "roll2024.json → roll2025.json, else NAME-2025.json), and never over an "
            "existing file; the current roll is not changed. Certificate numbers restart "
            "when the pattern contains {year}, else continue as one series with the "
            "current roll (the series record honours-series.json beside the rolls: the "
            "two rolls never issue the same number). Shows what changes and asks first."
        ) + examples("honours --db 2024.json new-year", "honours new-year --yes"),
    )(new_year)
    app.command(
        "find",
        help=_(
            "Find people: in the roll in use, with --all in every roll of its folder, with "
            "--in in the rolls given. Prints year, category, affiliation and certificate "
            "number of each honour; \"马 罡\" and 马罡（女） are 马罡. Exit 1 when nobody "
            "is found."
        ) + examples(
            "honours find 张伟 李娜",
            "honours find 张伟 --all",
            "honours find 张伟 --in 2022.json --in 2023.json --in 2024.json",
        ),
    )(find)
    app.command(
        "history",
        help=_(
            "A person's honours year by year, from every roll in the folder of the roll "
            "in use (or the rolls given with --in)."
        ) + examples("honours history 张伟", "honours history \"马 罡\" --in 历年光荣榜/"),
    )(history)
    app.command(
        "streaks",
        help=_(
            "Who was honoured in a category in N consecutive years, from every roll in "
            "the folder of the roll in use (or the rolls given with --in)."
        ) + examples(
            "honours streaks --category 优秀教师 --years 3",
            "honours streaks --category '*班主任' --years 2 --in 历年光荣榜/",
        ),
    )(streaks)


# --------------------------------------------------------------------------- new-year


def new_year(
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help=_("Create it without asking."))
    ] = False,
) -> None:
    from contextlib import ExitStack

    from .. import files
    from ..integrity import check
    from ..journal import recorded_change
    from ..ledger import Ledger
    from ..paths import OVERRIDES_SUFFIX
    from ..roll import all_categories
    from ..series import issuing, series_of
    from ..storage import Store, StoreError, write_file_atomically
    from ..years import YearsError, fill_next_roll, plan_next_roll

    current = store()
    db = current.snapshot()
    serial = Ledger.load(current).serial_after(db)
    plan = plan_next_roll(db, current.path, serial)
    if plan.continue_serial is not None:  # one series with this roll: as far as it went
        plan.continue_serial = max(serial, series_of(current, db).highest)
    if plan.target.exists() or plan.target.is_symlink():
        raise fail(_("{path} exists already; next year's roll is never written over a file "
                     "(move that file away, or use it with --db {path})").format(
                         path=plan.target))
    _preview(plan, len(all_categories(db)))
    confirm(_("Create {path}?").format(path=plan.target), yes)

    target = Store(plan.target, announce=None, missing_ok=False, validate=check,
                   waiting=lock_wait, warn=warn)
    with ExitStack() as series_lock, recorded_change(
            target, "new-year", state.argv, create=True) as recorded:
        if target.exists():  # made by another command since we looked, under its lock
            raise YearsError(_("{path} exists already; nothing was written").format(
                path=plan.target))
        if plan.continue_serial is not None:
            # One series across the years: the record holds the old roll's serial,
            # and the new roll as one of its rolls, before the new roll exists.
            series = series_lock.enter_context(issuing(current, db))
            series.issued(plan.continue_serial)
            series.issued(0, target.file.name)
            plan.continue_serial = series.highest
            recorded.before.append(series.save)
        fill_next_roll(recorded.db, plan)
        if plan.continue_serial:
            ledger = Ledger.load(target)  # numbers once issued beside this name stay used
            ledger.highest = max(ledger.highest, plan.continue_serial)
            recorded.before.append(ledger.save)
        recorded.describe(_("started the {year} roll from {source} ({count} categories, "
                            "no winners)").format(year=plan.new_year, source=plan.source.name,
                                                  count=len(plan.categories)))
    overrides = current.beside(OVERRIDES_SUFFIX)
    copied = target.beside(OVERRIDES_SUFFIX)
    if not copied.exists():
        try:  # read as every companion file is: never through a link, bounded
            raw = files.read_regular_file(overrides, files.OVERRIDES_BYTES,
                                          _("the override file"))
            write_file_atomically(copied, raw, replace=False)
        except FileNotFoundError:
            pass
        except (OSError, StoreError) as error:
            warn(_("the override file {path} was not copied: {error}").format(
                path=overrides, error=error))
    out = console()
    out.print(_("created {path}: the {year} roll").format(path=escape(str(plan.target)),
                                                          year=plan.new_year))
    out.print(_("Use it with --db {path} or HONOURS_DB={path}; {source} is unchanged.").format(
        path=escape(str(plan.target)), source=escape(str(plan.source))))


def _preview(plan, categories: int) -> None:
    from rich.table import Table

    out = console()
    out.print(_("Next year's roll: {year}, in {path} (from {source}, {old}).").format(
        year=plan.new_year, path=escape(str(plan.target)), source=escape(str(plan.source)),
        old=plan.year))
    out.print(ngettext(
        "It gets the {count} category with its settings and the roll's settings; no winners.",
        "It gets the {count} categories with their settings and the roll's settings; "
        "no winners.", categories).format(count=categories))
    if plan.advanced:
        table = Table(title=_("The year advanced"), title_justify="left")
        table.add_column(_("where"), overflow="fold")
        table.add_column(_("now"), overflow="fold")
        table.add_column(_("next year"), overflow="fold")
        for change in plan.advanced:
            table.add_row(escape(change.where), escape(change.before), escape(change.after))
        out.print(table)
    else:
        out.print(_("No title mentions the year; the year setting becomes {year}.").format(
            year=plan.new_year))
    if plan.continue_serial is None:
        out.print(_("Certificate numbers ({pattern}) contain the year: they restart at 1 "
                    "({example}).").format(pattern=escape(plan.pattern),
                                           example=escape(_example(plan, 1))))
    else:
        out.print(_("Certificate numbers ({pattern}) do not contain the year: they continue "
                    "after serial {serial} ({example}).").format(
                        pattern=escape(plan.pattern), serial=plan.continue_serial,
                        example=escape(_example(plan, plan.continue_serial + 1))))


def _example(plan, serial: int) -> str:
    return plan.pattern.format(serial=serial, year=plan.new_year)  # checked by plan_next_roll


# --------------------------------------------------------------------------- searching rolls


def _sources(in_paths: list[Path] | None, every: bool):
    """The rolls to read: the files and folders given with --in, plus with ``every``
    all the rolls in the folder of the roll in use; with neither, the roll in use."""
    from ..crossroll import open_rolls

    files, folders = [], []
    for path in in_paths or []:
        if path.is_dir():
            folders.append(path)
        elif path.exists():
            files.append(path)
        else:
            raise fail(_("{path} does not exist").format(path=path))
    if every:
        folder = db_path().parent
        if not folder.is_dir():
            raise fail(_("the folder {path} does not exist: no rolls to read").format(
                path=folder))
        folders.append(folder)
    elif not in_paths:
        files.append(db_path())
    sources = open_rolls(files, folders)
    if sources.skipped:
        note(_("not rolls, skipped: {files}").format(
            files="、".join(path.name for path in sources.skipped)))
    for path in sources.unreadable:
        warn(_("{path} could not be read and was skipped; `honours --db {path} doctor` "
               "says why").format(path=path))
    if not sources.rolls:
        raise fail(_("no rolls found in {folders}").format(
            folders="、".join(str(folder) for folder in folders)))
    return sources


def _rolls_line(sources) -> str:
    years = "、".join(f"{year}（{path.name}）" for path, year, _found in sources.rolls)
    return ngettext("searched {count} roll: {rolls}", "searched {count} rolls: {rolls}",
                    len(sources.rolls)).format(count=len(sources.rolls), rolls=years)


def _hits_table(hits, with_roll: bool, with_name: bool = True):
    from rich.table import Table

    table = Table()
    table.add_column(_("year"), no_wrap=True)
    if with_name:
        table.add_column(_("full name"), no_wrap=True)
    table.add_column(_("category"), overflow="fold")
    table.add_column(_("affiliation"), overflow="fold")
    table.add_column(_("certificate number"), no_wrap=True)
    if with_roll:
        table.add_column(_("roll"), overflow="fold")
    for hit in hits:
        cells = [hit.year] + ([escape(hit.name)] if with_name else [])
        cells += [escape(hit.path), escape(hit.affiliation), escape(hit.certificate)]
        if with_roll:
            cells.append(escape(Path(hit.roll).name))
        table.add_row(*cells)
    return table


def _years_repeat(sources) -> bool:
    """Whether two rolls searched have the same year: then a hit also names its file."""
    years = [year for _path, year, _found in sources.rolls]
    return len(set(years)) < len(years)


def _names(arguments: list[str]) -> list[str]:
    from ..people import names_given

    names = names_given(arguments)
    if not names:
        raise fail(_("give a name to look for"))
    return names


def find(
    names: Annotated[list[str], typer.Argument(
        metavar="NAME...", help=_("Names; \"马 罡\" is 马罡, 张伟、李娜 are two names."))],
    every: Annotated[bool, typer.Option(
        "--all", help=_("Search every roll in the folder of the roll in use."))] = False,
    in_paths: InOption = None,
) -> None:
    from ..crossroll import affiliations_differ
    from ..crossroll import find as search

    wanted = _names(names)
    sources = _sources(in_paths, every)
    found = search(sources, wanted)
    out = console()
    with_roll = _years_repeat(sources)
    hits = [hit for name in wanted for hit in found[name]]
    if hits:
        out.print(_hits_table(hits, with_roll))
    for name in wanted:
        if not found[name]:
            out.print(_("{name}: not found").format(name=escape(name)))
        differ = affiliations_differ(found[name])
        if differ:
            warn(_("{name} is listed with different affiliations ({affiliations}): "
                   "they may be different people").format(
                       name=name, affiliations="、".join(differ)))
    note(_rolls_line(sources))
    if not hits:
        raise typer.Exit(1)


def history(
    name: Annotated[str, typer.Argument(metavar="NAME", help=_("The person's name."))],
    in_paths: InOption = None,
) -> None:
    from ..crossroll import affiliations_differ
    from ..crossroll import find as search

    wanted = _names([name])
    if len(wanted) > 1:
        raise fail(_("give one name (`honours find` looks for several)"))
    sources = _sources(in_paths, every=not in_paths)
    hits = search(sources, wanted)[wanted[0]]
    out = console()
    if not hits:
        out.print(_("{name}: not found").format(name=escape(wanted[0])))
        note(_rolls_line(sources))
        raise typer.Exit(1)
    out.print(_hits_table(hits, _years_repeat(sources), with_name=False))
    honoured = sorted({hit.year for hit in hits})
    out.print(ngettext("{name}: honoured in {count} year ({years})",
                       "{name}: honoured in {count} years ({years})", len(honoured)).format(
        name=escape(wanted[0]), count=len(honoured), years="、".join(honoured)))
    missing = sorted({year for _path, year, _found in sources.rolls} - set(honoured))
    if missing:
        out.print(_("not in the rolls of {years}").format(years="、".join(missing)))
    differ = affiliations_differ(hits)
    if differ:
        warn(_("{name} is listed with different affiliations ({affiliations}): "
               "they may be different people").format(
                   name=wanted[0], affiliations="、".join(differ)))
    note(_rolls_line(sources))


def streaks(
    category: Annotated[str, typer.Option(
        "--category", "-c", metavar="PATTERN",
        help=_("Categories whose path contains this text, or a wildcard pattern "
               "(*班主任)."))],
    years: Annotated[int, typer.Option(
        "--years", "-n", min=2, max=100,
        help=_("At least this many consecutive years."))] = 3,
    in_paths: InOption = None,
) -> None:
    from rich.table import Table

    from ..crossroll import matches
    from ..crossroll import streaks as runs

    if not category.strip():
        raise fail(_("give the category to look at: --category 优秀教师"))
    sources = _sources(in_paths, every=not in_paths)
    if not any(matches(category, o.path) for o in sources.everything):
        raise fail(_("no category matches {pattern!r} in the rolls searched").format(
            pattern=category))
    found = runs(sources, category, years)
    out = console()
    if not found:
        out.print(_("nobody was honoured in {pattern} in {years} consecutive years").format(
            pattern=escape(category), years=years))
        note(_rolls_line(sources))
        return
    table = Table()
    table.add_column(_("full name"), no_wrap=True)
    table.add_column(_("years"), justify="right", no_wrap=True)
    table.add_column(_("from–to"), no_wrap=True)
    table.add_column(_("category"), overflow="fold")
    table.add_column(_("affiliation"), overflow="fold")
    for run in found:
        paths = list(dict.fromkeys(o.path for o in run.entries))
        affiliations = list(dict.fromkeys(o.affiliation for o in run.entries if o.affiliation))
        table.add_row(escape(run.name), str(run.years), f"{run.first}–{run.last}",
                      escape("\n".join(paths)), escape("、".join(affiliations)))
    out.print(table)
    out.print(ngettext("{count} person honoured in {years} or more consecutive years",
                       "{count} people honoured in {years} or more consecutive years",
                       len(found)).format(count=len(found), years=years))
    for run in found:
        if run.affiliations:
            warn(_("{name} is listed with different affiliations ({affiliations}): "
                   "they may be different people").format(
                       name=run.name, affiliations="、".join(run.affiliations)))
    note(_rolls_line(sources))
