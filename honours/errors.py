"""The one base class of errors meant for the user: the command line prints
``str(error)`` and exits 2, never a traceback.  Kept in its own tiny module so
that catching it costs no import of the storage layer or the data."""


class HonoursError(Exception):
    """An error whose message tells the user what went wrong and what to do."""


def os_reason(error: OSError) -> str:
    """Why the system refused, in the interface language, with what to do.

    The system's own words ("Is a directory", "Read-only file system") are English
    whatever the interface language; the errno says the same in a sentence the
    clerk can act on.  An errno not listed here is named by its code (EXDEV …)."""
    import errno

    from .i18n import _

    reasons = {
        errno.ENOENT: _("there is no such file or folder: check the name and the folder"),
        errno.EISDIR: _("that is a folder, not a file: give a file name"),
        errno.ENOTDIR: _("a part of the path is a file, not a folder: check the path"),
        errno.EACCES: _("permission denied: ask for access, or use a folder you can write to"),
        errno.EPERM: _("the system does not allow it: check the file's permissions and "
                       "whether it is locked or in use"),
        errno.EROFS: _("the disk is read-only: use a folder on a writable disk"),
        errno.ENOSPC: _("the disk is full: free some space and run the command again"),
        errno.EEXIST: _("it exists already: choose another name"),
        errno.ENAMETOOLONG: _("the name is too long: choose a shorter name or folder"),
        errno.EBUSY: _("it is in use by another program: close it and try again"),
        errno.ETXTBSY: _("it is in use by another program: close it and try again"),
        errno.EIO: _("the disk reported a read or write failure: check the disk, the USB "
                     "stick or the network drive"),
        errno.EMFILE: _("too many files are open: close some programs and try again"),
        errno.ENFILE: _("too many files are open: close some programs and try again"),
        errno.EPIPE: _("the program reading the output stopped early"),
        errno.EINVAL: _("the name is not valid on this system: avoid characters such as "
                        "? * : | < > \" in names"),
        errno.ELOOP: _("the path has symbolic links that point to each other: check the path"),
        errno.EAGAIN: _("the system is busy: try again in a moment"),
    }
    for name in ("EDQUOT",):
        if hasattr(errno, name):
            reasons[getattr(errno, name)] = _(
                "the disk quota is used up: free some space and run the command again")
    if error.errno in reasons:
        return reasons[error.errno]
    code = errno.errorcode.get(error.errno or 0)
    if code:
        return _("the system refused ({code})").format(code=code)
    return _("the system refused: {detail}").format(detail=error.strerror or error)


def json_problem(error) -> str:
    """What is wrong at a JSON parser's error position, in the interface language
    (the parser's "Expecting property name enclosed in double quotes" is English)."""
    from .i18n import _

    message = getattr(error, "msg", str(error))
    known = (
        ("Expecting property name", _("a key without double quotes, or a comma too many")),
        ("Expecting value", _("a value is missing (the file may be cut short)")),
        ("Expecting ',' delimiter", _("a comma is missing")),
        ("Expecting ':' delimiter", _("a colon is missing")),
        ("Unterminated string", _("a text in quotes is not closed (the file may be cut short)")),
        ("Extra data", _("more follows the end of the data")),
        ("Invalid control character", _("a control character inside a text")),
        ("Invalid \\escape", _("a backslash escape that is not valid")),
    )
    for start, said in known:
        if message.startswith(start):
            return said
    return _("the data is not well formed")
