"""Where the user's files are: the database and the character override files.

Light on purpose (``platformdirs`` is imported only when needed): commands that
never open the database, like ``honours sort``, still need these paths.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APPLICATION = "honours"
ENV_VAR = "HONOURS_DB"
DEFAULT_FILE_NAME = "honours.json"
OVERRIDES_NAME = "overrides.txt"
#: The override file beside a database NAME.json is NAME.overrides.txt.
OVERRIDES_SUFFIX = "." + OVERRIDES_NAME


def resolve_db_path(option: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """Pick the database file: ``--db`` option, else ``$HONOURS_DB``, else the user data dir.

    An empty option or variable counts as not given (``HONOURS_DB= honours ...`` is a common
    way to unset it for one command).
    """
    if option:
        return Path(option).expanduser()
    from_env = environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APPLICATION)).expanduser() / DEFAULT_FILE_NAME


def override_files(db_path: Path) -> list[Path]:
    """Override files that apply, weakest first: the user's config folder, then
    ``NAME.overrides.txt`` beside the database ``NAME.json`` (it wins where both
    speak of a character)."""
    import platformdirs

    return [
        Path(platformdirs.user_config_dir(APPLICATION)) / OVERRIDES_NAME,
        db_path.with_name(db_path.stem + OVERRIDES_SUFFIX),
    ]


def read_override_file(path: Path) -> str | None:
    """The text of an override file (``None`` when there is none), read as
    :mod:`honours.files` reads the tool's own files: never a FIFO or a device,
    never more than :data:`honours.files.OVERRIDES_BYTES`.  The one beside the
    database is a companion file and is never followed through a link; the
    user's own in the config folder may be a link the user made (a dotfiles
    folder), and is followed."""
    from . import files
    from .i18n import _

    try:
        raw = files.read_regular_file(path, files.OVERRIDES_BYTES, _("the override file"),
                                follow=Path(path).name == OVERRIDES_NAME)
    except FileNotFoundError:
        return None
    return raw.decode("utf-8-sig")
