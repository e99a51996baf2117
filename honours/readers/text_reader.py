"""Plain text: one name per line, or grids pasted from Word, Excel or a web page,
read by the one reader of pasted text (:mod:`honours.readers.pasted`)."""

from __future__ import annotations

from ..i18n import _
from .encoding import decode
from .pasted import read_pasted
from .plan import ImportPlan, RowSpec


def read_text(
    data: bytes, origin: str, kind: str | None = None, encoding: str | None = None
) -> ImportPlan:
    """Every entry of the text; headings are recognised and skipped.  ``kind``
    (the target category's) decides how lines split: 、 and ， separate names
    of people but belong to the names of units and titles."""
    text, used, damage = decode(data, origin, encoding)
    plan = ImportPlan(source=_("plain text ({encoding})").format(encoding=used))
    if damage:
        plan.problems.append(damage)
    document = read_pasted(text, kind, _("line {number}"))
    for entry in document.entries:
        plan.rows.append(RowSpec(origin=entry.where, name=entry.name, proposer=entry.proposer))
    return plan
