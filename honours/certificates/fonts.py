"""Fonts with Chinese characters: finding one (``--font PATH``, the layout's
font, else an installed one: fontconfig's list, then the usual font folders),
and judging what a face draws.

A character is covered only if the face draws it: its glyph has an outline
(TrueType contours, composites followed; a CFF charstring that draws a
segment), not merely an entry in the character map (AR PL UKai maps 䶮 to an
empty glyph). :func:`undrawn` is the one test; :func:`faces_drawing` is the
fallback chain (the document's faces, then the installed ones). Glyphs are read
lazily, only for the characters asked about, and cached per face.

``HONOURS_FONT_DIRS`` (folders separated by the path separator) replaces the
search: only those folders are looked in, and fontconfig is not asked.

Over 500 lines because finding a face and judging what it draws are one
concern: the fallback chain is the search run again for the characters a face
leaves blank, with the same caches of files, families and outlines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from fontTools.pens.basePen import BasePen

from ..i18n import _
from . import CertificateError

FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
#: Characters a certificate font must have.
PROBE = "荣誉证书同志特发此证以资鼓励〇年月"
#: Preferred fonts, best first, matched against the file name and family names
#: (lower case): a 楷体 reads most like a certificate, then 宋体, then the rest.
PREFERENCE = (
    "simkai", "stkaiti", "kaiti", "楷", "ukai", "fzkai",
    "notoserifcjk", "noto serif cjk", "sourcehanserif", "source han serif",
    "simsun", "stsong", "songti", "宋", "uming",
    "notosanscjk", "noto sans cjk", "sourcehansans", "source han sans",
    "simhei", "msyh", "pingfang", "wqy-zenhei", "wenquanyi zen hei",
    "wqy-microhei", "wenquanyi micro hei", "droidsansfallback",
)
INSTALL_HINT = _(
    "no font with Chinese characters was found. Install one, e.g. on Debian or Ubuntu "
    "`sudo apt-get install fonts-arphic-ukai` (楷体) or `sudo apt-get install fonts-noto-cjk`, "
    "on Fedora `sudo dnf install google-noto-serif-cjk-fonts`, or give a font file with "
    "--font PATH (.ttf, .ttc or .otf, e.g. C:\\Windows\\Fonts\\simkai.ttf)"
)


@dataclass(frozen=True)
class FontChoice:
    path: Path
    index: int = 0  # the face in a collection (.ttc)
    family: str = ""

    def __str__(self) -> str:
        return f"{self.family or self.path.name} ({self.path})"


def _faces(path: Path):
    """(index, TTFont) of each face of a font file."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in (".ttc", ".otc"):
        collection = TTCollection(str(path), lazy=True)
        return list(enumerate(collection.fonts))
    return [(0, TTFont(str(path), lazy=True))]


def _family(font) -> str:
    name = font["name"]
    return str(name.getDebugName(1) or "")


#: Characters that are blank by nature (spaces, U+3000, joiners, variation
#: selectors): a face need not draw them.
_BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def is_blank(ch: str) -> bool:
    """Whether ``ch`` prints as nothing in any face (so it is never missing)."""
    code = ord(ch)
    return (ch.isspace() or unicodedata.category(ch) in _BLANK_CATEGORIES
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
            or 0x180B <= code <= 0x180D)


class _Ink(BasePen):
    """A pen that notes whether a glyph's outline has any segment."""

    ink = False

    def _moveTo(self, point):
        pass

    def _lineTo(self, point):
        self.ink = True

    def _curveToOne(self, first, second, third):
        self.ink = True

    def _qCurveToOne(self, first, second):
        self.ink = True

    def _closePath(self):
        pass


class _Face:
    """One face of a font file, asked lazily: its character map is read on the
    first question, and each glyph's outline only when a character needs it
    (a CJK face has 30,000 glyphs: they are never all read)."""

    def __init__(self, font, file: tuple = ()):
        self.font = font
        self._cmap: dict[int, str] | None = None
        self._glyph_set = None
        self._draws: dict[int, bool] = {}
        #: where its outlines are: the faces of a collection mostly share one
        #: glyph table, so a glyph judged in one face is not read again in another
        self._outlines = None
        reader = getattr(font, "reader", None)
        tables = getattr(reader, "tables", {})
        for tag in ("glyf", "CFF ", "CFF2"):
            if file and tag in tables:
                self._outlines = (*file, tag, tables[tag].offset)
                break

    def cmap(self) -> dict[int, str]:
        if self._cmap is None:
            self._cmap = self.font.getBestCmap() or {}
        return self._cmap

    def draws(self, code: int) -> bool:
        known = self._draws.get(code)
        if known is None:
            name = self.cmap().get(code)
            shared = (*self._outlines, name) if self._outlines else None
            known = _OUTLINED.get(shared) if shared else None
            if known is None:
                known = self._outlined(name)
                if shared:
                    _OUTLINED[shared] = known
            self._draws[code] = known
        return known

    def _outlined(self, name: str | None) -> bool:
        if name is None or name == ".notdef":
            return False
        font = self.font
        if "glyf" in font:
            return _glyf_outlined(font["glyf"], name, 0)
        if "CFF " not in font and "CFF2" not in font:
            return False  # bitmaps only: nothing the PDF can embed as an outline
        if self._glyph_set is None:
            self._glyph_set = font.getGlyphSet()
        pen = _Ink(self._glyph_set)
        try:
            self._glyph_set[name].draw(pen)
        except Exception:  # a damaged charstring draws nothing usable
            return False
        return pen.ink


def _glyf_outlined(glyf, name: str, depth: int) -> bool:
    """A TrueType glyph has ink: contours of its own, or a component that has."""
    try:
        glyph = glyf[name]
    except Exception:
        return False
    contours = glyph.numberOfContours
    if contours > 0:
        return True
    if contours == 0 or depth > 8:  # empty, or components nested beyond reason
        return False
    return any(_glyf_outlined(glyf, component.glyphName, depth + 1)
               for component in getattr(glyph, "components", ()))


#: Faces read in this process, by (path, index, (mtime, size)): at most 64.
_FACES: OrderedDict[tuple, _Face] = OrderedDict()
#: (path, (mtime, size), outline table, its offset, glyph name) -> has an outline
_OUTLINED: dict[tuple, bool] = {}


def _face(choice: FontChoice, font=None) -> _Face:
    """The face of ``choice``, read once a process (again if the file changed);
    ``font``: the face as fontTools has opened it already, if it has."""
    try:
        status = choice.path.stat()
        stamp = (status.st_mtime_ns, status.st_size)
    except OSError:  # no such file: a face opened already is judged, not kept
        if font is None:
            raise
        return _Face(font)
    key = (str(choice.path), choice.index, stamp)
    face = _FACES.get(key)
    if face is None:
        if font is None:
            from fontTools.ttLib import TTCollection, TTFont

            path = str(choice.path)
            font = (TTCollection(path, lazy=True).fonts[choice.index]
                    if path.lower().endswith((".ttc", ".otc")) else TTFont(path, lazy=True))
        face = _FACES[key] = _Face(font, (key[0], stamp))
        if len(_FACES) > 64:
            _FACES.popitem(last=False)
    return face


def undrawn(choice: FontChoice, text, font=None) -> set[str]:
    """The characters of ``text`` that ``choice`` does not draw: not in its
    character map, or mapped to a glyph with no outline (AR PL UKai maps 䶮
    U+4DAE to an empty glyph). Blank characters (:func:`is_blank`) are never
    undrawn. The one test of coverage: every font check goes through it.
    ``font``: the face opened already by fontTools, if it is."""
    face = _face(choice, font)
    return {ch for ch in set(text) if not is_blank(ch) and not face.draws(ord(ch))}


def open_font(path: Path, given_as: str = "--font") -> FontChoice:
    """Check a font file given by the user and pick its Chinese face."""
    if not path.is_file():
        raise CertificateError(
            _("{option} {path}: no such font file").format(option=given_as, path=path)
        )
    if path.suffix.lower() not in FONT_SUFFIXES:
        raise CertificateError(
            _("{option} {path}: give a TrueType or OpenType font (.ttf, .ttc, .otf)").format(
                option=given_as, path=path
            )
        )
    try:
        faces = _faces(path)
    except Exception as error:  # fontTools raises many kinds for a damaged file
        raise CertificateError(
            _("{option} {path}: not a readable font ({error})").format(
                option=given_as, path=path, error=error
            )
        ) from None
    best = _best_face(path, faces)
    if best is None:
        raise CertificateError(
            _("{option} {path}: this font has no Chinese characters; {hint}").format(
                option=given_as, path=path, hint=INSTALL_HINT
            )
        )
    return best


_SIMPLIFIED_MARKERS = (" CN", " SC", "SC", "CN")


def _best_face(path: Path, faces) -> FontChoice | None:
    """The face that draws the probe, preferring simplified Chinese (CN, SC).

    Faces are tried in order of preference by their names, and the first that
    draws the probe is taken: a CJK face's character map takes 0.2 s to read,
    and a collection has several faces."""
    named = []
    for index, font in faces:
        try:
            family = _family(font)
        except Exception:
            continue
        rank = next((place for place, marker in enumerate(_SIMPLIFIED_MARKERS)
                     if marker in family), len(_SIMPLIFIED_MARKERS))
        named.append((rank, index, family, font))
    for _rank_of_face, index, family, font in sorted(named, key=lambda face: face[:2]):
        try:
            choice = FontChoice(path, index, family)
            if not undrawn(choice, PROBE, font):
                return choice
        except Exception:
            continue
    return None


def _rank(path: Path, family: str = "") -> int:
    names = (path.name.lower(), family.lower())
    for rank, key in enumerate(PREFERENCE):
        if any(key in name for name in names):
            return rank
    return len(PREFERENCE)


def _heavy(path: Path) -> bool:
    """Bold and other heavy faces come after the regular one of the same family."""
    name = path.stem.lower()
    return any(weight in name for weight in ("bold", "heavy", "black", "semibold", "medium"))


def _fontconfig_candidates() -> list[Path]:
    if not shutil.which("fc-list"):
        return []
    try:
        result = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.SubprocessError):
        return []
    paths = []
    for line in result.stdout.splitlines():
        file = line.split(":", 1)[0].strip()
        if file:
            paths.append(Path(file))
    return paths


def default_dirs() -> list[Path]:
    home = Path.home()
    dirs = [home / ".fonts", home / ".local/share/fonts"]
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs += [windir / "Fonts", home / "AppData/Local/Microsoft/Windows/Fonts"]
    elif sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    else:
        dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    return dirs


def _files_in(dirs: list[Path]) -> list[Path]:
    found = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        for root, _folders, files in os.walk(folder):
            for file in files:
                if file.lower().endswith(FONT_SUFFIXES):
                    found.append(Path(root) / file)
    return found


def _candidates() -> list[Path]:
    """Installed font files, best-ranked first (``HONOURS_FONT_DIRS`` replaces the search)."""
    override = os.environ.get("HONOURS_FONT_DIRS")
    if override is not None:
        candidates = _files_in([Path(p) for p in override.split(os.pathsep) if p])
    else:
        candidates = _fontconfig_candidates() or _files_in(default_dirs())
    seen = set()
    ordered = []
    for path in sorted(candidates, key=lambda p: (_rank(p), _heavy(p), str(p))):
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        ordered.append(path)
    return ordered


def find_font() -> FontChoice:
    """The best installed font with Chinese characters, or an error saying how to get one."""
    # Files are opened lazily, best-ranked first; most systems have a match near the top.
    for path in _candidates():
        try:
            choice = _best_face(path, _faces(path))
        except Exception:
            continue
        if choice is not None:
            return choice
    raise CertificateError(INSTALL_HINT)


def _fontconfig_mapping(characters: Iterable[str]) -> dict[tuple[Path, int], set[str]] | None:
    """(file, face index) -> which of ``characters`` its character map has, for
    every face fontconfig knows (one ``fc-list``, about 30 ms); None without
    fontconfig. It reads character maps only: a face it lists may still draw
    a character blank, but one it does not list cannot draw it."""
    if not shutil.which("fc-list"):
        return None
    try:
        result = subprocess.run(["fc-list", "--format", "%{file}|%{index}|%{charset}\\n"],
                                capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    codes = {ord(ch): ch for ch in characters}
    found: dict[tuple[Path, int], set[str]] = {}
    for line in result.stdout.splitlines():
        file, _bar, rest = line.partition("|")
        index, _bar, charset = rest.partition("|")
        has = set()
        for span in charset.split():
            low, _dash, high = span.partition("-")
            try:
                first, last = int(low, 16), int(high or low, 16)
            except ValueError:
                continue
            has.update(ch for code, ch in codes.items() if first <= code <= last)
        if has and index.isdigit():
            found.setdefault((Path(file), int(index) & 0xFFFF), set()).update(has)
    return found


def _faces_of_file(path: Path) -> list[FontChoice]:
    """The faces of an installed font file, simplified Chinese (SC, CN) first."""
    try:
        faces = [(FontChoice(path, index, _family(font)), font) for index, font in _faces(path)]
    except Exception:  # a damaged or unreadable file is passed over
        return []
    for choice, font in faces:
        _face(choice, font)  # opened already: judged from this copy
    faces.sort(key=lambda face: not any(mark in face[0].family for mark in (" SC", " CN")))
    return [choice for choice, _font in faces]


def installed_faces(characters: set[str] | None = None) -> Iterator[FontChoice]:
    """The installed faces a fallback for ``characters`` is looked for in, best
    first: the Chinese fonts of :func:`_candidates` (``HONOURS_FONT_DIRS``
    replaces the search), then any other file fontconfig says maps one of
    them (a font of CJK extension B only need not claim Chinese). With
    fontconfig, a face whose character map has none of ``characters`` is
    skipped unread (each face read costs about 0.2 s, and a system has
    dozens); the set is read as the faces are given, so a caller may take out
    the characters it has found a face for. None: every installed face."""
    mapping = None
    if os.environ.get("HONOURS_FONT_DIRS") is None and characters:
        mapping = _fontconfig_mapping(characters)

    def wanted(path: Path, index: int) -> bool:
        return mapping is None or not mapping.get((path, index), set()).isdisjoint(
            characters)

    mapped_files = {path for path, _index in mapping} if mapping is not None else set()
    seen: set[Path] = set()
    for path in _candidates():
        seen.add(path)
        if mapping is None or path in mapped_files:
            yield from (choice for choice in _faces_of_file(path)
                        if wanted(path, choice.index))
    others = sorted(mapped_files - seen, key=lambda p: (_rank(p), _heavy(p), str(p)))
    for path in others:
        if path.is_file() and path.suffix.lower() in FONT_SUFFIXES:
            yield from (choice for choice in _faces_of_file(path)
                        if wanted(path, choice.index))


def faces_drawing(characters: Iterable[str], chosen: Sequence[FontChoice] = ()
                  ) -> dict[str, FontChoice]:
    """The fallback chain: each character -> the first face that draws it,
    ``chosen`` (the document's own faces, in order) first, then the installed
    faces (:func:`installed_faces`), each judged by :func:`undrawn` (its
    outline, not only its character map). Blank characters are not looked for;
    a character no face draws is left out of the answer. Stops as soon as every
    character has a face (each face read costs about 0.2 s)."""
    wanted = {ch for ch in characters if not is_blank(ch)}
    found: dict[str, FontChoice] = {}
    tried: set[tuple[Path, int]] = set()

    def take(choice: FontChoice) -> None:
        tried.add((choice.path, choice.index))
        try:
            has = wanted - undrawn(choice, wanted)
        except Exception:  # an installed file that cannot be read is passed over
            return
        for ch in has:
            found[ch] = choice
        wanted.difference_update(has)

    for choice in chosen:
        if wanted and (choice.path, choice.index) not in tried:
            take(choice)
    if wanted:
        for choice in installed_faces(wanted):  # the live set: found ones drop out
            if (choice.path, choice.index) not in tried:
                take(choice)
            if not wanted:
                break
    return found


def resolve_font(option: str | None, layout_font: Path | None) -> FontChoice:
    if option:
        return open_font(Path(option).expanduser())
    if layout_font is not None:
        return open_font(layout_font, "the layout's font")
    return find_font()


_FAMILIES: dict[Path, tuple[str, ...]] = {}
_CHINESE_FACE: dict[Path, FontChoice | None] = {}
_INSTALLED: dict[str | None, list[Path]] = {}


def _families_of(path: Path) -> tuple[str, ...]:
    """The family names of a font file's faces, lower case (read once a process)."""
    if path not in _FAMILIES:
        try:
            _FAMILIES[path] = tuple(_family(font).lower() for _index, font in _faces(path))
        except Exception:  # a damaged file: it matches no name
            _FAMILIES[path] = ()
    return _FAMILIES[path]


def _weight(path: Path) -> int:
    """0 black or heavy, 1 bold, 2 any other weight (from the file name)."""
    name = path.stem.lower()
    if "black" in name or "heavy" in name:
        return 0
    return 1 if "bold" in name and "semibold" not in name else 2


def _simplified_face(path: Path) -> FontChoice | None:
    """The face of a font file found by a Chinese font's name: the first whose
    family says simplified Chinese (CN, SC), else the first.  Its character map
    is not read (half a second for a CJK face): the name says it is Chinese, and
    what it lacks the document's coverage check finds."""
    try:
        faces = [(index, _family(font)) for index, font in _faces(path)]
    except Exception:  # a damaged file
        return None
    if not faces:
        return None
    index, family = min(faces, key=lambda face: (next(
        (place for place, marker in enumerate(_SIMPLIFIED_MARKERS) if marker in face[1]),
        len(_SIMPLIFIED_MARKERS)), face[0]))
    return FontChoice(path, index, family)


def find_named(keys: tuple[str, ...], heavy: bool = False) -> FontChoice | None:
    """The installed face whose file name or family name holds the earliest of
    ``keys`` (lower case), searched as :func:`find_font` searches; of one name,
    regular weights first, or with ``heavy`` black, then bold, first.  None when
    no installed font has any of those names."""
    def rank(path: Path) -> int:
        names = (path.name.lower(),) + _families_of(path)
        return next((place for place, key in enumerate(keys)
                     if any(key in name for name in names)), len(keys))

    # the search and the faces read once a process (five roles look them up)
    where = os.environ.get("HONOURS_FONT_DIRS")
    if where not in _INSTALLED:
        _INSTALLED[where] = _candidates()
    ranked = sorted(
        ((rank(path), _weight(path) if heavy else -_weight(path), str(path), path)
         for path in _INSTALLED[where]),
        key=lambda item: item[:3])
    for place, _weight_order, _name, path in ranked:
        if place == len(keys):
            break
        if path not in _CHINESE_FACE:
            _CHINESE_FACE[path] = _simplified_face(path)
        if _CHINESE_FACE[path] is not None:
            return _CHINESE_FACE[path]
    return None
