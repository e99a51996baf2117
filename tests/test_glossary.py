"""One Chinese term per concept: the catalog uses the words of docs/glossary.md,
never a variant the glossary rules out."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from honours.i18n import LOCALE_DIR

from .conftest import REPO

GLOSSARY = REPO / "docs" / "glossary.md"
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "honours.po"


def glossary_rows() -> list[tuple[str, list[str], list[str]]]:
    """(English, the Chinese terms, the variants ruled out) of the glossary's first table."""
    rows = []
    text = GLOSSARY.read_text("utf-8")
    table = text.split("\n\n| English |", 1)[1].split("\n\n", 1)[0]
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        english, chinese, _code, avoid = cells
        terms = [t.strip() for t in re.split(r"[、/]| / ", chinese) if t.strip()]
        if "/" in chinese and " / " not in chinese:
            terms.append(chinese)  # 单位/职务 is one term
        rows.append((english, terms, [v.strip() for v in avoid.split("、") if v.strip()]))
    return rows


def variants_used(msgid: str, msgstr: str, rows) -> list[str]:
    """The ruled-out variants in a translation (a Chinese word quoted in the English
    text, such as an accepted spelling, is the user's and left alone)."""
    found = []
    for english, terms, avoid in rows:
        text = msgstr
        for term in sorted(terms, key=len, reverse=True):
            text = text.replace(term, "\u0000")
        for variant in avoid:
            if variant in text and variant not in msgid:
                found.append(f"{variant} (glossary: {'、'.join(terms)} for {english})")
    return found


def test_the_glossary_has_its_terms():
    rows = glossary_rows()
    english = {row[0] for row in rows}
    assert {"category", "winner", "ordering rule", "certificate number", "backup"} <= english
    assert all(terms for _e, terms, _a in rows)
    assert any(avoid for _e, _t, avoid in rows)


def test_the_catalog_uses_the_glossary_terms():
    rows = glossary_rows()
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN", domain="honours")
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            for variant in variants_used(" ".join(ids), string or "", rows):
                problems.append(f"{ids[0]!r} → {string!r}: {variant}")
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_variant():
    rows = glossary_rows()
    assert variants_used("Sort by manual order", "按手动顺序排列", rows)
    assert variants_used("no category", "没有这个分类", rows)
    assert not variants_used("Sort by manual order", "按手工顺序排列", rows)
    # The accepted spelling quoted in the English text is the user's word.
    assert not variants_used("manual (手工, 手动)", "手工（也可写 手动）", rows)


def test_the_docs_use_the_glossary_terms():
    """The Chinese README says what the interface says."""
    rows = glossary_rows()
    readme = (REPO / "README.zh-CN.md").read_text("utf-8")
    problems = [line for line in readme.splitlines() for _v in variants_used("", line, rows)]
    assert not problems, "\n".join(problems)
