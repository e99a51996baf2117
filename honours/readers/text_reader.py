"""Plain text: one name per line, or grids pasted from Word, Excel or a web page,
read by the one reader of pasted text (:mod:`honours.readers.pasted`)."""

from __future__ import annotations

import io

from ..i18n import _
from .pasted import read_pasted_lines
from .plan import ImportPlan, RowSpec
from .stream import TextStream


def read_text(
    data, origin: str, kind: str | None = None, encoding: str | None = None
) -> ImportPlan:
    """Every entry of the text; headings are recognised and skipped.  ``kind``
    (the target category's) decides how lines split: 、 and ， separate names
    of people but belong to the names of units and titles.  ``data``: the
    file's bytes or a :class:`~honours.readers.stream.TextStream`, read a line
    at a time: the lines are all that is kept, and each plain line is the name
    it gives."""
    text = data if isinstance(data, TextStream) else TextStream(
        io.BytesIO(data), origin, encoding)
    document = read_pasted_lines(list(text.lines()), kind, _("line {number}"))
    plan = ImportPlan(source=_("plain text ({encoding})").format(encoding=text.encoding))
    plan.problems += text.damage
    plan.doubts, plan.skipped = document.doubts, document.skipped
    for entry in document.entries_iter():
        plan.rows.append(RowSpec(origin=entry.where, name=entry.name, proposer=entry.proposer,
                                 affiliation=entry.affiliation))
    return plan
