"""Extract the interface texts, update the Chinese catalog and compile it.

    python scripts/update_catalog.py          # honours.pot, merge into honours.po, compile .mo
    python scripts/update_catalog.py --check  # exit 1 if the catalog is out of date (CI)

Texts are written in English in the code, inside ``_()``, ``ngettext()`` or
``N_()``; see docs/translating.md.  Needs Babel (``pip install -e '.[test]'``).
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "honours"
LOCALE = PACKAGE / "locale"
DOMAIN = "honours"
POT = LOCALE / f"{DOMAIN}.pot"
LANGUAGES = ("zh_CN",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python")]
# Folders under honours/ with no interface texts (the character data).
SKIP = ("collation/data",)
# Fixed header dates: the files change only when a text or a translation does.
DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)
HEADER = """\
Interface texts of honours{language}.
Written in English in the code; updated by scripts/update_catalog.py (docs/translating.md).
"""


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every marked text of the package, as a template catalog."""
    catalog = Catalog(
        project="honours", domain=DOMAIN, charset="utf-8", fuzzy=False, creation_date=DATE,
        revision_date=DATE,
        header_comment=_comment(HEADER.format(language="")), msgid_bugs_address="",
        last_translator="honours contributors", language_team="",
    )
    found = extract_from_dir(
        str(PACKAGE), METHODS, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        if any(filename.startswith(skip) for skip in SKIP):
            continue
        location = (f"honours/{filename}", lineno)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def _comment(text: str) -> str:
    return "".join(f"# {line}\n" for line in text.splitlines()).rstrip("\n")


def _po_bytes(catalog: Catalog, template: bool = False) -> bytes:
    out = io.BytesIO()
    write_po(
        out, catalog, width=100, include_lineno=False, ignore_obsolete=True,
        omit_header=False, sort_output=False, sort_by_file=True,
    )
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def merged(template: Catalog, language: str) -> Catalog:
    """The language's catalog updated to the template: new texts empty, gone ones dropped."""
    path = po_path(language)
    if path.exists():
        catalog = read_catalog(path, language)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="honours", fuzzy=False)
    catalog.header_comment = _comment(HEADER.format(language=f", {language}"))
    catalog.creation_date = catalog.revision_date = DATE
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "honours contributors"
    catalog.language_team = "Simplified Chinese"
    # No fuzzy guesses: a changed English text must be translated again, on purpose.
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    return catalog


def problems(catalog: Catalog) -> list[str]:
    """Texts without a finished translation."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            text = message.id[0] if isinstance(message.id, tuple) else message.id
            found.append(f"untranslated{' (fuzzy)' if message.fuzzy else ''}: {text!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true",
        help="change nothing; exit 1 if a file would change or a text is untranslated",
    )
    args = parser.parse_args(argv)
    template = extract()
    outputs = {POT: _po_bytes(template, template=True)}
    messages = []
    for language in LANGUAGES:
        catalog = merged(template, language)
        outputs[po_path(language)] = _po_bytes(catalog)
        outputs[po_path(language).with_suffix(".mo")] = mo_bytes(catalog)
        messages += [f"{language}: {p}" for p in problems(catalog)]
    stale = [path for path, data in outputs.items() if _differs(path, data)]
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        for message in messages:
            print(message, file=sys.stderr)
        if stale or messages:
            print("run: python scripts/update_catalog.py, then translate", file=sys.stderr)
            return 1
        print(f"catalog up to date: {len(template)} texts")
        return 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(outputs[path])
        print(f"wrote {path.relative_to(ROOT)}")
    for message in messages:
        print(message)
    print(f"{len(template)} texts; {len(messages)} to translate")
    return 0


def _differs(path: Path, data: bytes) -> bool:
    """Whether ``path`` holds other content than ``data``, ignoring the dates in headers."""
    if not path.exists():
        return True
    return _without_dates(path.read_bytes()) != _without_dates(data)


def _without_dates(data: bytes) -> bytes:
    return b"\n".join(
        line for line in data.splitlines()
        if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:'))
    )


if __name__ == "__main__":
    sys.exit(main())
