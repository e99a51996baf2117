"""What each certificate says: the template filled for one register row."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date as Date
from importlib import resources
from pathlib import Path

from ..i18n import _
from . import CertificateError
from .inputs import read_bounded, read_toml

PLACEHOLDERS = (
    "recipient", "salutation", "honour", "category", "work", "affiliation", "author",
    "you", "verb", "merit", "citation", "year", "issuer", "title", "date", "certificate",
    "conferral",
)
#: Chinese names of the placeholders (the names offices write in Word templates).
CHINESE_NAMES = {
    "姓名": "recipient", "获奖者": "recipient", "称谓": "salutation", "荣誉": "honour",
    "类别": "category", "作品": "work", "单位": "affiliation", "署名": "author",
    "年度": "year", "落款": "issuer", "标题": "title", "日期": "date", "编号": "certificate",
    "正文": "citation", "获评": "conferral",
}
#: Recipients' kinds, each with its own wording in a template ([person], [unit], [work]).
KINDS = ("person", "unit", "work")
_DIGITS = "〇一二三四五六七八九"


def chinese_date(value: str) -> str:
    """2024-12 -> 二〇二四年十二月; 2024-12-05 -> 二〇二四年十二月五日."""
    from ..render.view import chinese_number

    parts = value.split("-")
    year = "".join(_DIGITS[int(d)] for d in parts[0])
    text = f"{year}年{chinese_number(int(parts[1]))}月"
    if len(parts) > 2:
        text += f"{chinese_number(int(parts[2]))}日"
    return text


def is_person(row) -> bool:
    """Whether 同志 goes after the name: the register row's recipient kind (a
    work's proposer's, stored or taken from the name: honours.recipients), else the
    kind of its list."""
    kind = getattr(row, "recipient_kind", "") or row.kind
    if kind == "work":  # a row made without its recipient's kind
        from ..recipients import infer_kind

        kind = infer_kind(row.recipient)[0]
    return kind == "person"


Template = dict  # kind -> block name -> text


def _kind_texts(data: dict, source: str, where: str) -> dict[str, str]:
    texts = {}
    for key, value in data.items():
        if isinstance(value, dict) and not where and key in KINDS:
            continue  # a kind's own table, read by the caller
        if not isinstance(value, str):
            raise CertificateError(
                _("{source}: {key} must be text in quotes").format(
                    source=source, key=f"{where}{key}"
                )
            )
        check_placeholders(value, f"{source}: {where}{key}")
        texts[key] = value.strip("\n")
    return texts


#: The largest text template read (the default one is 2 KB).
MAX_TEMPLATE_BYTES = 1024 * 1024


def load_template(path: str | Path | None = None) -> Template:
    """For each kind of recipient (person, unit, work): block name -> text with
    placeholders.  Keys at the top of the file hold for every kind; a
    ``[person]``, ``[unit]`` or ``[work]`` table overrides them for that kind."""
    if path is None:
        text = resources.files(__package__).joinpath("data/template.toml").read_text("utf-8")
        source = _("the default template")
    else:
        source = str(path)
        raw = read_bounded(Path(path), MAX_TEMPLATE_BYTES, _("the template"))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CertificateError(
                _("cannot read the template {path}: {error}").format(path=path, error=error)
            ) from None
    data = read_toml(text, source, _("template"))
    common = _kind_texts(data, source, "")
    template = {
        kind: {**common, **_kind_texts(data.get(kind) or {}, source, f"{kind}.")}
        for kind in KINDS
    }
    if not any(template.values()):
        raise CertificateError(
            _("{source} has no text: write e.g. recipient = \"{{recipient}}\"").format(
                source=source
            )
        )
    return template


def placeholder_names(text: str, where: str) -> list[str]:
    """The placeholders of ``text`` (English names; Chinese ones translated)."""
    try:
        fields = [
            name for _text, name, _spec, _conversion in string.Formatter().parse(text)
            if name is not None
        ]
    except ValueError as error:
        raise CertificateError(
            _("{where}: {error} (write {{{{ for a brace)").format(where=where, error=error)
        ) from None
    names = []
    for name in fields:
        english = CHINESE_NAMES.get(name, name)
        if english not in PLACEHOLDERS:
            raise CertificateError(
                _("{where}: unknown placeholder {{{name}}}; placeholders are {placeholders}")
                .format(
                    where=where, name=name,
                    placeholders=", ".join(
                        [f"{{{p}}}" for p in PLACEHOLDERS] + [f"{{{c}}}" for c in CHINESE_NAMES]
                    ),
                )
            )
        names.append(english)
    return names


#: Bounds of a template text: a certificate block holds a sentence or two, and a
#: placeholder's format may pad it to a column, not to a book.
MAX_TEMPLATE_TEXT = 2_000
MAX_FORMAT_WIDTH = 100


def check_placeholders(text: str, where: str) -> None:
    if len(text) > MAX_TEMPLATE_TEXT:
        raise CertificateError(
            _("{where}: the text is {length} characters long; at most {limit} are accepted")
            .format(where=where, length=len(text), limit=MAX_TEMPLATE_TEXT)
        )
    placeholder_names(text, where)
    for _text, _name, spec, _conversion in string.Formatter().parse(text):
        if spec and any(int(width) > MAX_FORMAT_WIDTH for width in re.findall(r"\d+", spec)):
            raise CertificateError(
                _("{where}: the format {spec!r} is wider than {limit} characters").format(
                    where=where, spec=spec, limit=MAX_FORMAT_WIDTH)
            )


@dataclass
class Certificate:
    """One page: the register row it comes from and the text of each block."""

    sequence: int
    certificate: str
    recipient: str
    texts: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)


def fields_for(row, values: dict[str, str], when: str) -> dict[str, str]:
    """Every placeholder's value for register ``row``, English and Chinese names."""
    from .wording import author_verb, conferral, merit_clause

    person = is_person(row)
    several = getattr(row, "together", 1) > 1  # joint proposers on one certificate
    year = values.get("year", "")
    fields = {
        "recipient": row.recipient,
        "salutation": "同志" if person else "",
        "honour": row.honour,
        "category": row.category,
        "work": row.work,
        "affiliation": getattr(row, "affiliation", ""),
        "author": getattr(row, "author_label", ""),
        "you": ("你们" if several else "你") if person else ("你们" if several else "你单位"),
        "verb": author_verb(getattr(row, "author_label", "")),
        "merit": merit_clause(year, row.honour),
        "year": year,
        "issuer": values.get("issuer", ""),
        "title": values.get("title", ""),
        "date": when,
        "certificate": row.certificate,
        "conferral": conferral(row.honour, getattr(row, "verb", "")),
    }
    # the sentence of the default wording for this kind: one Word template
    # ({正文}) then serves people, units and works alike
    kind = row.kind if row.kind in KINDS else "person"
    fields["citation"] = _default_template()[kind]["body"].split("\n")[0].format(**fields)
    fields.update({chinese: fields[english] for chinese, english in CHINESE_NAMES.items()})
    return fields


def spread_recipient(fields: dict[str, str], row) -> dict[str, str]:
    """``fields`` with a person's two-character name spread by an ideographic space
    (马罡 -> 马　罡), as certificates print it; a unit's name as it is."""
    from ..render.view import pad_name

    if not fields["salutation"]:
        return fields
    padded = pad_name(row.recipient, "\u3000")
    return {**fields, "recipient": padded, "姓名": padded, "获奖者": padded}


_DEFAULT: list = []


def _default_template() -> Template:
    if not _DEFAULT:
        _DEFAULT.append(load_template())
    return _DEFAULT[0]


def fill(template: Template, layout, row, values: dict[str, str], when: str) -> Certificate:
    """The texts of every block of ``layout`` for register ``row``, in the
    wording of the row's kind (person, unit or work)."""
    fields = fields_for(row, values, when)
    kind = row.kind if row.kind in KINDS else "person"
    texts = {}
    for block in layout.blocks:
        source = block.text if block.text is not None else template[kind].get(block.name)
        if source is None:
            continue
        check_placeholders(source, f"{layout.source} block {block.name!r}")
        own = spread_recipient(fields, row) if block.spread_names else fields
        texts[block.name] = source.format(**own)
    return Certificate(row.sequence, row.certificate, row.recipient, texts, fields)


def date_text(setting: str, today: Date | None = None) -> str:
    """The date setting written the Chinese way; empty setting: this month."""
    if setting:
        return chinese_date(setting)
    today = today or Date.today()
    return chinese_date(f"{today.year:04d}-{today.month:02d}")


def _bare(name: str) -> str:
    return "".join(name.split())  # every kind of space, U+3000 included


def split_names(values: list[str]) -> list[str]:
    """``--only`` values: each may hold several names separated by commas or 、."""
    names = []
    for value in values:
        names.extend(part for part in re.split(r"[,，、;；]", value) if part.strip())
    return names


def select_rows(rows, names: list[str]):
    """The register rows whose recipient is one of ``names`` (padding ignored),
    in register order; an unknown name is an error listing close names."""
    import difflib

    from ..recipients import split_proposers

    def keys(row) -> set[str]:
        """The row's recipient, and each proposer of a certificate they share (per-work)."""
        found = {_bare(row.recipient)}
        if getattr(row, "together", 1) > 1:
            found.update(_bare(name) for name in split_proposers(row.recipient))
        return found

    wanted = {_bare(name): name for name in names}
    recipients = {key: row.recipient for row in rows for key in keys(row)}
    unknown = [given for bare, given in wanted.items() if bare not in recipients]
    if unknown:
        lines = []
        for given in unknown:
            bare = _bare(given)
            close = difflib.get_close_matches(bare, list(recipients), n=5, cutoff=0.5)
            close += [r for r in recipients if bare and bare in r and r not in close][:5]
            hint = (
                _("; close names: {names}").format(names="、".join(recipients[c] for c in close))
                if close
                else ""
            )
            lines.append(
                _("no certificate for {name!r}{hint}").format(name=given, hint=hint)
            )
        raise CertificateError("; ".join(lines))
    return [row for row in rows if keys(row) & wanted.keys()]
