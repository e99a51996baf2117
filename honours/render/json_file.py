"""The roll as JSON: the documented, lossless interchange and backup format.

See docs/json-format.md.  Everything the database holds about the roll is
here: settings, the category tree with every attribute, and each winner with
its fields, its certificate number and its place in the manual order.
"""

from __future__ import annotations

import json

from .view import ExportOptions, RollView, Section

FORMAT_NAME = "honours-roll"
FORMAT_VERSION = 1


def section_document(section: Section) -> dict:
    return {
        "title": section.title,
        "kind": section.kind,
        "sort": section.sort,
        "measure": section.measure,
        "columns": section.columns,
        "description": section.description,
        "honour": section.own_honour,
        **({"author_label": section.own_author_label} if section.own_author_label else {}),
        **({"quota": section.quota} if section.quota else {}),
        **({"exclusive": True} if section.exclusive else {}),
        **({"certificate_mode": section.own_certificate_mode}
           if section.own_certificate_mode else {}),
        **({"verb": section.own_verb} if section.own_verb else {}),
        "count": section.count,
        "winners": [
            {
                "name": entry.name,
                "order": entry.manual_position,
                **{
                    field: getattr(entry, field)
                    for field in ("proposer", "proposer_kind", "affiliation", "note",
                                  "certificate", "certificates")
                    if getattr(entry, field)
                },
            }
            for entry in section.entries
        ],
        "children": [section_document(child) for child in section.children],
    }


def roll_document(view: RollView) -> dict:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "title": view.title,
        "settings": view.settings,
        "certificate_serial": view.certificate_serial,
        "categories": [section_document(section) for section in view.sections],
    }


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    text = json.dumps(roll_document(view), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
