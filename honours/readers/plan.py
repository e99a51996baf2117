"""What an import file holds, before anything touches the database.

Every reader turns its file into an :class:`ImportPlan`; :mod:`honours.importer`
checks the plan against the database and writes it in one transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..errors import HonoursError


class UnreadableFile(HonoursError, ValueError):
    """The file cannot be read at all (binary, wrong encoding, not the format)."""


@dataclass
class CategorySpec:
    """A category the file describes (roll layouts and JSON); ``None`` = default."""

    path: tuple[str, ...]
    origin: str
    kind: str | None = None
    sort: str | None = None
    measure: str | None = None
    columns: int | None = None
    description: str = ""
    honour: str = ""
    author_label: str = ""  # what a work's author is called (提案者, 作者 …)
    quota: int | None = None  # at most this many winners (honours/eligibility.py)
    exclusive: bool = False  # one exclusive list per award for a winner
    certificate_mode: str = ""  # a work's certificates: per-proposer or per-work
    verb: str = ""  # the verb before the honour (荣获 …)
    expected_count: int | None = None  # the count printed in the heading, to check


@dataclass(slots=True)  # an import holds up to a million of them
class RowSpec:
    """One winner to add.

    ``category`` is a path of titles (roll layouts, JSON), a reference as a
    clerk would type it (a CSV column: id, title or path), or ``None`` for the
    ``--into`` category.
    """

    origin: str  # "line 12", "row 5" …
    name: str
    category: tuple[str, ...] | str | None = None
    proposer: str = ""
    affiliation: str = ""
    note: str = ""
    certificate: str = ""
    order: int | None = None
    proposer_kind: str = ""  # a work's proposer: person or unit (个人/单位), or one each
    certificates: dict[str, str] | None = None  # joint proposers' numbers (roll JSON)


@dataclass
class ImportPlan:
    source: str  # what was read, e.g. "CSV (GB18030, comma-separated)"
    rows: list[RowSpec] = field(default_factory=list)
    categories: list[CategorySpec] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # found while reading
    notices: list[str] = field(default_factory=list)  # what the clerk should know, not errors
    settings: dict[str, str] = field(default_factory=dict)
    certificate_serial: int = 0
    #: Names kept but unlike names (:class:`~honours.readers.pasted.Doubt`), and what
    #: the reader read and skipped, by kind (:attr:`~honours.readers.pasted.Document.skipped`).
    doubts: list = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
