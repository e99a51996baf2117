"""The layout file (TOML): paper size and orientation, and each text block's
position, size, font size, alignment and font, in millimetres and points; and
a ``[fonts]`` section naming the face of each role of a printed roll (title,
heading1, heading2, body, page-number: font_roles.py)."""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..i18n import _
from . import CertificateError
from .font_roles import ROLES
from .inputs import read_bounded, read_toml

#: Paper sizes in millimetres, portrait (width, height).
PAPER_SIZES = {
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "B5": (182.0, 257.0),
    "16K": (195.0, 270.0),
    "LETTER": (215.9, 279.4),
}
ALIGNMENTS = ("left", "center", "right")
VERTICAL = ("top", "middle", "bottom")
#: The smallest font size text is ever shrunk to, whatever the layout says.
ABSOLUTE_MIN_SIZE = 4.0

_PAPER_KEYS = {"size", "orientation", "border", "line-height", "min-font-size", "docx-font", "font"}
_BLOCK_KEYS = {
    "name", "text", "x", "y", "width", "height", "font-size", "min-font-size", "align",
    "valign", "font", "line-height", "indent", "wrap", "spread-names", "docx-font", "color",
    "group", "with-background",
}


@dataclass
class Block:
    """One text block: its top-left corner (x, y) and size in mm, font size in pt."""

    name: str
    x: float
    y: float
    width: float
    height: float
    font_size: float
    min_font_size: float
    align: str = "left"
    valign: str = "top"
    line_height: float = 1.5
    indent: float = 0.0  # first-line indent of each paragraph, in characters
    wrap: bool = True
    spread_names: bool = False  # 马罡 -> 马　罡 in {recipient}
    text: str | None = None  # fixed text; None: the template's text for this name
    font: Path | None = None
    docx_font: str = ""
    color: tuple[int, int, int] = (0, 0, 0)
    group: str = ""  # blocks of one group are set at one size (issuer and date)
    with_background: bool = True  # false: left out under a --background design (the title)


@dataclass
class Layout:
    width: float  # mm, as the paper is held (after orientation)
    height: float
    orientation: str
    border: bool  # drawn on blank paper
    blocks: list[Block] = field(default_factory=list)
    font: Path | None = None
    docx_font: str = "楷体"
    source: str = "the default layout"
    fonts: dict[str, Path] = field(default_factory=dict)  # [fonts]: role -> font file
    border_with_background: bool = False  # also drawn over a --background design

    def under_background(self) -> Layout:
        """The layout as it prints over the office's own design: without the
        border and the blocks the design has (``border = "blank"``,
        ``with-background = false``), with what the layout asks for explicitly."""
        return dataclasses.replace(
            self, border=self.border_with_background,
            blocks=[block for block in self.blocks if block.with_background])

    def block(self, name: str) -> Block:
        for block in self.blocks:
            if block.name == name:
                return block
        raise KeyError(name)


def default_layout_text() -> str:
    return resources.files(__package__).joinpath("data/layout.toml").read_text("utf-8")


#: Bounds of a layout file: a certificate has a dozen blocks, and its TOML
#: nests three deep ([[block]] > table > [x, y]).
MAX_LAYOUT_BYTES = 1024 * 1024
MAX_BLOCKS = 50


def load_layout(path: str | Path | None = None, blocks_required: bool = True) -> Layout:
    """The layout in ``path``, or the default one (blank A4 landscape);
    ``blocks_required=False``: a file with no [[block]] is a layout too (a roll
    reads only its [fonts] and [paper] font)."""
    if path is None:
        return parse_layout(default_layout_text(), _("the default layout"), base=None)
    path = Path(path)
    raw = read_bounded(path, MAX_LAYOUT_BYTES, _("the layout file"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CertificateError(
            _("cannot read the layout file {path}: {error}").format(path=path, error=error)
        ) from None
    return parse_layout(text, str(path), base=path.parent, blocks_required=blocks_required)


#: Upper bounds of layout numbers (mm, or points for sizes): a certificate is a
#: sheet of paper, and a font size of 1e300 would never finish laying out.
MAXIMA = {"font-size": 300.0, "min-font-size": 300.0, "line-height": 5.0}
MAX_LENGTH_MM = 2_000.0


def _number(where: str, key: str, value, minimum: float | None = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CertificateError(
            _("{where}: {key} must be a number, not {value!r}").format(
                where=where, key=key, value=value
            )
        )
    maximum = MAXIMA.get(key, MAX_LENGTH_MM)
    if not math.isfinite(value) or value > maximum:
        raise CertificateError(
            _("{where}: {key} must be a finite number of at most {maximum:g}, not {value!r}")
            .format(where=where, key=key, maximum=maximum, value=value)
        )
    if minimum is not None and value < minimum:
        raise CertificateError(
            _("{where}: {key} must be at least {minimum:g}, not {value!r}").format(
                where=where, key=key, minimum=minimum, value=value
            )
        )
    return float(value)


def _font_path(where: str, value, base: Path | None) -> Path | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise CertificateError(
            _("{where}: font must be the path of a font file").format(where=where)
        )
    path = Path(value).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def _color(where: str, value) -> tuple[int, int, int]:
    if not (isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value)):
        raise CertificateError(
            _("{where}: color must be like \"#B22222\", not {value!r}").format(
                where=where, value=value
            )
        )
    return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))


def _border(where: str, value) -> bool | str:
    if not (isinstance(value, bool) or value == "blank"):
        raise CertificateError(
            _("{where}: border must be true, false or \"blank\" (on blank paper only, "
              "not over a --background), not {value!r}").format(where=where, value=value)
        )
    return value


def _flag(where: str, key: str, value) -> bool:
    if not isinstance(value, bool):
        raise CertificateError(
            _("{where}: {key} must be true or false, not {value!r}").format(
                where=where, key=key, value=value)
        )
    return value


def _choice(where: str, key: str, value, choices) -> str:
    if value not in choices:
        raise CertificateError(
            _("{where}: {key} must be one of {choices}, not {value!r}").format(
                where=where, key=key, choices=", ".join(choices), value=value
            )
        )
    return value


def _fonts_section(source: str, fonts, base: Path | None) -> dict[str, Path]:
    """[fonts]: a font file for each role named (font_roles.ROLES)."""
    where = _("{source} [fonts]").format(source=source)
    if not isinstance(fonts, dict):
        raise CertificateError(
            _("{where}: give role = \"font file\" lines").format(where=where))
    bad = set(fonts) - set(ROLES)
    if bad:
        raise CertificateError(
            _("{where}: unknown role(s) {keys}; the roles are {roles}").format(
                where=where, keys=", ".join(sorted(bad)), roles=", ".join(ROLES)))
    chosen = {}
    for role, value in fonts.items():
        path = _font_path(f"{where} {role}", value, base)
        if path is not None:
            chosen[role] = path
    return chosen


def parse_layout(text: str, source: str, base: Path | None = None,
                 blocks_required: bool = True) -> Layout:
    data = read_toml(text, source, _("layout file"))
    unknown = set(data) - {"paper", "block", "fonts"}
    if unknown:
        raise CertificateError(
            _(
                "{source}: unknown section(s) {sections}; a layout has "
                "[paper], [fonts] and [[block]] sections"
            ).format(source=source, sections=", ".join(sorted(unknown)))
        )
    paper = data.get("paper", {})
    where = _("{source} [paper]").format(source=source)
    if not isinstance(paper, dict):
        raise CertificateError(_("{where}: give key = value lines").format(where=where))
    bad = set(paper) - _PAPER_KEYS
    if bad:
        raise CertificateError(
            _("{where}: unknown key(s) {keys}").format(where=where, keys=", ".join(sorted(bad)))
        )
    size = paper.get("size", "A4")
    if isinstance(size, str):
        if size.upper() not in PAPER_SIZES:
            raise CertificateError(
                _(
                    "{where}: unknown paper size {size!r}; use one of "
                    "{sizes} or [width, height] in mm"
                ).format(where=where, size=size, sizes=", ".join(PAPER_SIZES))
            )
        short, long = PAPER_SIZES[size.upper()]
    elif isinstance(size, list) and len(size) == 2:
        short, long = (_number(where, "size", v, minimum=20) for v in size)
    else:
        raise CertificateError(
            _("{where}: size is a name like A4 or [width, height] in mm").format(where=where)
        )
    orientation = _choice(where, "orientation", paper.get("orientation", "landscape"),
                          ("landscape", "portrait"))
    if isinstance(size, list):  # given as the paper is held: orientation only checks it
        width, height = short, long
        if (orientation == "landscape") != (width >= height):
            width, height = height, width
    else:
        width, height = (long, short) if orientation == "landscape" else (short, long)
    line_height = _number(where, "line-height", paper.get("line-height", 1.5), minimum=1.0)
    min_size = _number(where, "min-font-size", paper.get("min-font-size", 10),
                       minimum=ABSOLUTE_MIN_SIZE)
    border = _border(where, paper.get("border", False))
    layout = Layout(
        width=width, height=height, orientation=orientation,
        border=border is not False,
        border_with_background=border is True,  # "blank": on blank paper only
        font=_font_path(where, paper.get("font"), base),
        docx_font=str(paper.get("docx-font", "楷体")),
        source=source,
        fonts=_fonts_section(source, data.get("fonts", {}), base),
    )
    blocks = data.get("block", [])
    if not isinstance(blocks, list) or (not blocks and blocks_required):
        raise CertificateError(
            _("{source}: a layout needs at least one [[block]]").format(source=source)
        )
    if len(blocks) > MAX_BLOCKS:
        raise CertificateError(
            _("{source} has {count} blocks, more than the {limit} a layout may have").format(
                source=source, count=len(blocks), limit=MAX_BLOCKS))
    for number, raw in enumerate(blocks, start=1):
        where = _("{source} block {number}").format(source=source, number=number)
        if not isinstance(raw, dict):
            raise CertificateError(_("{where}: give key = value lines").format(where=where))
        bad = set(raw) - _BLOCK_KEYS
        if bad:
            raise CertificateError(
                _("{where}: unknown key(s) {keys}").format(where=where, keys=", ".join(sorted(bad)))
            )
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise CertificateError(_("{where}: every block needs a name").format(where=where))
        where = _("{source} block {name!r}").format(source=source, name=name)
        if any(b.name == name for b in layout.blocks):
            raise CertificateError(_("{where}: two blocks have this name").format(where=where))
        for key in ("x", "y", "width", "height", "font-size"):
            if key not in raw:
                raise CertificateError(
                    _("{where}: {key} is missing").format(where=where, key=key)
                )
        font_size = _number(where, "font-size", raw["font-size"], minimum=ABSOLUTE_MIN_SIZE)
        block = Block(
            name=name,
            x=_number(where, "x", raw["x"]),
            y=_number(where, "y", raw["y"]),
            width=_number(where, "width", raw["width"], minimum=1),
            height=_number(where, "height", raw["height"], minimum=1),
            font_size=font_size,
            min_font_size=min(font_size, _number(
                where, "min-font-size", raw.get("min-font-size", min_size),
                minimum=ABSOLUTE_MIN_SIZE)),
            align=_choice(where, "align", raw.get("align", "left"), ALIGNMENTS),
            valign=_choice(where, "valign", raw.get("valign", "top"), VERTICAL),
            line_height=_number(where, "line-height", raw.get("line-height", line_height),
                                minimum=1.0),
            indent=_number(where, "indent", raw.get("indent", 0)),
            wrap=bool(raw.get("wrap", True)),
            spread_names=bool(raw.get("spread-names", name == "recipient")),
            text=raw.get("text"),
            font=_font_path(where, raw.get("font"), base),
            docx_font=str(raw.get("docx-font", "")),
            color=_color(where, raw.get("color", "#000000")),
            group=str(raw.get("group", "")),
            with_background=_flag(where, "with-background", raw.get("with-background", True)),
        )
        if block.text is not None and not isinstance(block.text, str):
            raise CertificateError(_("{where}: text must be a string").format(where=where))
        if block.x + block.width > width + 0.01 or block.y + block.height > height + 0.01:
            raise CertificateError(
                _(
                    "{where}: the block ({x:g}, {y:g}) {width:g}×{height:g}"
                    " mm reaches past the paper ({paper_width:g}×{paper_height:g} mm)"
                ).format(
                    where=where, x=block.x, y=block.y, width=block.width, height=block.height,
                    paper_width=width, paper_height=height,
                )
            )
        layout.blocks.append(block)
    return layout
