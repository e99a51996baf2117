"""The one base class of errors meant for the user: the command line prints
``str(error)`` and exits 2, never a traceback.  Kept in its own tiny module so
that catching it costs no import of the storage layer or the data."""


class HonoursError(Exception):
    """An error whose message tells the user what went wrong and what to do."""
