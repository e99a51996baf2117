"""Finding a font that has Chinese characters: ``--font PATH``, the layout's
font, else an installed one (fontconfig's list, then the usual font folders).

``HONOURS_FONT_DIRS`` (folders separated by the path separator) replaces the
search: only those folders are looked in, and fontconfig is not asked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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


def _covers(font, text: str) -> bool:
    cmap = font.getBestCmap() or {}
    return all(ord(ch) in cmap for ch in text)


def missing_characters(choice: FontChoice, text: str) -> list[str]:
    """The characters of ``text`` the font has no glyph for (whitespace ignored)."""
    from fontTools.ttLib import TTCollection, TTFont

    if choice.path.suffix.lower() in (".ttc", ".otc"):
        font = TTCollection(str(choice.path), lazy=True).fonts[choice.index]
    else:
        font = TTFont(str(choice.path), lazy=True)
    cmap = font.getBestCmap() or {}
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})


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
    """The face that covers the probe, preferring simplified Chinese (CN, SC).

    Faces are tried in order of preference by their names, and the first that
    covers the probe is taken: a CJK face's character map takes 0.2 s to read,
    and a collection has several faces."""
    named = []
    for index, font in faces:
        try:
            family = _family(font)
        except Exception:
            continue
        rank = next((place for place, marker in enumerate(_SIMPLIFIED_MARKERS)
                     if marker in family), len(_SIMPLIFIED_MARKERS))
        named.append((rank, index, font, family))
    for _rank_of_face, index, font, family in sorted(named, key=lambda face: face[:2]):
        try:
            if _covers(font, PROBE):
                return FontChoice(path, index, family)
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


def fonts_covering(characters: set[str], exclude: frozenset = frozenset()
                   ) -> dict[str, FontChoice]:
    """For each character, the best-ranked installed font that has it (a
    fallback for characters the main font lacks, e.g. 𠮷 of CJK extension B);
    characters no installed font has are left out.  ``exclude``: (path, face
    index) pairs not to use."""
    wanted = set(characters)
    found: dict[str, FontChoice] = {}
    for path in _candidates():
        if not wanted:
            break
        try:
            faces = _faces(path)
        except Exception:
            continue
        simplified_first = sorted(
            faces, key=lambda face: not any(m in _family(face[1]) for m in (" SC", " CN")))
        for index, font in simplified_first:
            if (path, index) in exclude:
                continue
            try:
                cmap = font.getBestCmap() or {}
            except Exception:
                continue
            has = {ch for ch in wanted if ord(ch) in cmap}
            if has:
                choice = FontChoice(path, index, _family(font))
                for ch in has:
                    found[ch] = choice
                wanted -= has
    return found


def character_map(choice: FontChoice) -> set[int]:
    """The code points ``choice`` has glyphs for."""
    from fontTools.ttLib import TTCollection, TTFont

    if choice.path.suffix.lower() in (".ttc", ".otc"):
        font = TTCollection(str(choice.path), lazy=True).fonts[choice.index]
    else:
        font = TTFont(str(choice.path), lazy=True)
    return set((font.getBestCmap() or {}).keys())


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
