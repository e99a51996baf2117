"""The faces of a printed roll by role, as GB/T 9704-2012 sets official documents:
the title in 2号 方正小标宋简体, the first heading level in 3号 黑体, the second
in 3号 楷体, the body in 3号 仿宋, page numbers in 4号 宋体.

Each role is looked for among the installed fonts (:func:`.fonts.find_named`:
file and family names, fontconfig on Linux, the font folders elsewhere): the
Windows and macOS faces first (FZXBSJW.TTF, simhei.ttf, simkai.ttf,
simfang.ttf, simsun.ttc, STHeiti, STKaiti, STFangsong, Songti …), then the free
faces of Linux distributions that stand in for them (AR PL UMing, then Noto
Serif CJK, for 宋体 and 仿宋; Noto Serif CJK in its Black or Bold weight for
小标宋; WenQuanYi Zen Hei, then Noto Sans CJK, for 黑体; AR PL UKai for 楷体).
A role none of its faces is installed for takes the body's face, and the body
any installed Chinese font.

The user chooses faces with ``--font ROLE=FILE`` (``--font FILE``: every role)
or a layout file's ``[fonts]`` section; the command line wins over the file.
A Word document names, for each role, the Windows family (仿宋, 黑体 …) unless a
face was chosen, whose own family name it names then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from . import CertificateError
from .fonts import FontChoice, find_font, find_named, open_font

TITLE, HEADING1, HEADING2, BODY, PAGE_NUMBER = (
    "title", "heading1", "heading2", "body", "page-number")
ROLES = (TITLE, HEADING1, HEADING2, BODY, PAGE_NUMBER)
#: The page number's dashes this far below the text block, in mm (GB/T 9704 7.5).
PAGE_NUMBER_BELOW = 7.0


def heading_role(depth: int) -> str:
    """The face of a roll's heading by its depth: the award's and the first
    level's (一、) 黑体, the second's (1.) 楷体, deeper ones the body's 仿宋
    (GB/T 9704 7.3.3: 黑体, 楷体, then 仿宋)."""
    return HEADING1 if depth <= 1 else HEADING2 if depth == 2 else BODY


@dataclass(frozen=True)
class Role:
    name: str
    size: float  # pt
    word_family: str  # the Windows family GB/T 9704 asks for, as Word names it
    faces: tuple[str, ...]  # file or family names of fitting faces, best first
    heavy: bool = False  # of one family, the black or bold weight first


#: Of the free faces, TrueType ones before CFF ones of the same style (AR PL
#: UMing before Noto Serif CJK, WenQuanYi Zen Hei before Noto Sans CJK): text set
#: in fpdf2's embedding of a CID-keyed CFF face is read back by poppler and PDF
#: viewers but not by pdfminer, and only garbled by pypdf.
_SONG = ("simsun", "宋体", "songti", "stsong", "uming", "notoserifcjk", "noto serif cjk",
         "sourcehanserif", "source han serif")
SPECS = {
    TITLE: Role(TITLE, 22.0, "方正小标宋简体",
                ("fzxbsjw", "fzxbsk", "方正小标宋", "fzxiaobiaosong", "notoserifcjk",
                 "noto serif cjk", "sourcehanserif", "source han serif", "songti",
                 "stsong", "simsun", "uming"), heavy=True),
    HEADING1: Role(HEADING1, 16.0, "黑体",
                   ("simhei", "黑体", "stheiti", "heiti", "wqy-zenhei", "wenquanyi zen hei",
                    "notosanscjk", "noto sans cjk", "sourcehansans", "source han sans",
                    "pingfang", "msyh")),
    HEADING2: Role(HEADING2, 16.0, "楷体",
                   ("simkai", "楷体", "stkaiti", "kaiti", "fzkai", "ukai")),
    BODY: Role(BODY, 16.0, "仿宋",
               ("simfang", "仿宋", "stfangsong", "fangsong", "stfangso", "fzfsk") + _SONG),
    PAGE_NUMBER: Role(PAGE_NUMBER, 14.0, "宋体", _SONG),
}


@dataclass
class RoleFaces:
    """The face of each role and where it came from."""

    choices: dict[str, FontChoice]
    sources: dict[str, str]  # role -> "--font", the layout's source, or "installed"
    chosen: frozenset[str] = frozenset()  # roles whose face the user chose

    def __getitem__(self, role: str) -> FontChoice:
        return self.choices[role]

    def word_family(self, role: str) -> str:
        """The family a Word document names for ``role``: the Windows one, or the
        chosen face's own (its Chinese name if it has one)."""
        if role not in self.chosen:
            return SPECS[role].word_family
        return family_name(self.choices[role]) or SPECS[role].word_family


def parse_font_options(values: list[str] | None) -> tuple[str | None, dict[str, str]]:
    """``--font`` values: (the file for every role, {role: file})."""
    every: str | None = None
    by_role: dict[str, str] = {}
    for value in values or []:
        role, sep, file = value.partition("=")
        if sep and role.strip() in ROLES:
            by_role[role.strip()] = file.strip()
        elif sep and not Path(value).expanduser().exists():
            raise CertificateError(
                _("--font {value}: unknown role {role!r}; the roles are {roles}").format(
                    value=value, role=role, roles=", ".join(ROLES)))
        else:
            every = value
    return every, by_role


def resolve_roles(font_options: list[str] | None = None,
                  layout_fonts: dict[str, Path] | None = None,
                  layout_font: Path | None = None, layout_source: str = "") -> RoleFaces:
    """The face of every role: ``--font ROLE=FILE``, then ``--font FILE``, then
    the layout's ``[fonts]`` and its ``[paper] font``, then the installed faces."""
    every, by_role = parse_font_options(font_options)
    layout_fonts = layout_fonts or {}
    where = _("the layout's [fonts] {role}")
    choices: dict[str, FontChoice] = {}
    sources: dict[str, str] = {}
    for role in ROLES:
        if role in by_role:
            choices[role] = open_font(Path(by_role[role]).expanduser(),
                                      f"--font {role}=")
            sources[role] = "--font"
        elif every:
            choices[role] = open_font(Path(every).expanduser())
            sources[role] = "--font"
        elif role in layout_fonts:
            choices[role] = open_font(layout_fonts[role], where.format(role=role))
            sources[role] = layout_source
        elif layout_font is not None:
            choices[role] = open_font(layout_font, _("the layout's font"))
            sources[role] = layout_source
    chosen = frozenset(choices)
    for role in ROLES:
        if role not in choices:
            spec = SPECS[role]
            found = find_named(spec.faces, spec.heavy)
            if found is not None:
                choices[role], sources[role] = found, "installed"
    if BODY not in choices:
        choices[BODY], sources[BODY] = find_font(), "installed"
    for role in ROLES:
        if role not in choices:  # none of its faces: the body's
            choices[role], sources[role] = choices[BODY], sources[BODY]
    return RoleFaces(choices, sources, chosen)


def family_name(choice: FontChoice) -> str:
    """The face's family name, the simplified Chinese one if the font has it
    (方正小标宋简体 rather than FZXiaoBiaoSong-B05S)."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        if choice.path.suffix.lower() in (".ttc", ".otc"):
            font = TTCollection(str(choice.path), lazy=True).fonts[choice.index]
        else:
            font = TTFont(str(choice.path), lazy=True)
        names = font["name"]
        chinese = names.getName(1, 3, 1, 0x804) or names.getName(1, 3, 1, 0x404)
        return str(chinese or names.getDebugName(1) or choice.family)
    except Exception:  # a damaged name table: the family read when it was opened
        return choice.family
