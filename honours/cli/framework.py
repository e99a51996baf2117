"""Click's and Typer's own texts (Usage:, Options, "No such option" …) in the interface language.

Click and Typer look their texts up with ``gettext.gettext`` in the global
``messages`` domain, which nothing fills.  :func:`translate_framework` points
their modules' ``_`` and ``ngettext`` at :mod:`honours.i18n`, and the texts
below (marked with ``N_`` so that the catalog extraction finds them) are
translated in the ``honours`` catalog.  A text of theirs that is not listed
here stays English.
"""

from __future__ import annotations

from ..i18n import _, ngettext


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it here."""
    return message


FRAMEWORK_MESSAGES = (
    # click.formatting, click.core, typer.core: help pages
    N_("Usage:"),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("deprecated"),
    # click.exceptions: errors
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Missing command."),
    N_("Aborted!"),
    N_("Could not open file {filename!r}: {message}"),
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("Error: invalid input"),
    # click.types: the names of value types ("'abc' is not a valid integer.", INTEGER)
    N_("text"),
    N_("integer"),
    N_("integer range"),
    N_("float"),
    N_("float range"),
    # typer.completion: the root command's completion options
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def _plurals() -> None:
    """click's plural texts, listed for the catalog extraction only."""
    ngettext(
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
        1,
    )
    ngettext(
        "Did you mean {possibility}?",
        "(Did you mean one of: {possibilities}?)",
        1,
    )
    ngettext(
        "Option {name!r} requires an argument.",
        "Option {name!r} requires {nargs} arguments.",
        1,
    )
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)


def translate_framework() -> None:
    """Make click's and Typer's modules look their texts up in the honours catalog."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types
    import typer.core

    if hasattr(click.core, "_make_default_short_help"):
        english = click.core._make_default_short_help

        def short_help(help: str, max_length: int = 45) -> str:
            if not any(_is_wide(char) for char in help):
                return english(help, max_length)
            return _short_chinese_help(help, max_length)

        click.core._make_default_short_help = short_help

    _keep_argument_help()
    _full_width_headings()
    _wrap_chinese()
    _no_space_after_full_width()
    _translate_ranges()
    _translate_type_names()
    _measure_by_width()
    _translate_suggestions()
    _translate_missing_stop()

    for module in (
        click.core, click.decorators, click.exceptions, click.formatting, click.parser,
        click.termui, click.types, typer.core,
    ):
        if hasattr(module, "_"):
            module._ = _
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


def _translate_type_names() -> None:
    """Click puts a value type's English name into its messages and metavars
    ("'abc' 不是有效的integer", --columns INTEGER, --title TEXT): the name is looked
    up in the catalog when it is used instead."""
    import click.types

    for kind in (click.types.StringParamType, click.types.IntParamType, click.types.IntRange,
                 click.types.FloatParamType, click.types.FloatRange):
        english = kind.__dict__.get("name")
        if isinstance(english, str):  # not replaced already (translate_framework ran)
            kind.name = property(lambda self, english=english: _(english))


def _measure_by_width() -> None:
    """Click lines up the help's columns by counting characters: a Chinese metavar
    (--columns 整数) pushed its description two columns right.  Text with wide
    characters is measured by display width instead."""
    import click._compat
    import click.formatting

    english = click.formatting.term_len
    if getattr(english, "_by_width", False):
        return

    def term_len(text: str) -> int:
        if text.isascii():
            return english(text)
        return sum(2 if _is_wide(char) else 1 for char in click._compat.strip_ansi(text))

    term_len._by_width = True  # type: ignore[attr-defined]
    click.formatting.term_len = term_len


def _translate_ranges() -> None:
    """Click describes a range as ``x>=1``: "0 不在范围 x>=1 之内" reads as code.
    In Chinese the range is said in words instead (不小于 1, 1 到 12)."""
    import click.types

    english = click.types._NumberRangeBase._describe_range

    def describe(self) -> str:
        from ..i18n import current_language

        if self.min_open or self.max_open or current_language() != "zh":
            return english(self)
        if self.min is None:
            return _("at most {max}").format(max=self.max)
        if self.max is None:
            return _("at least {min}").format(min=self.min)
        return _("from {min} to {max}").format(min=self.min, max=self.max)

    click.types._NumberRangeBase._describe_range = describe


#: Punctuation that never starts a line (it stays with the character before it).
_NO_LINE_START = set("，。、；：？！）》」』”’…—·,.;:?!)]}")


def _wrap_chinese() -> None:
    """Click wraps help text at spaces and counts characters: a Chinese paragraph,
    which has no spaces and whose characters take two columns, came out as one
    line twice the terminal's width.  Text with wide characters is wrapped by
    display width instead, between any two Chinese characters, never putting
    closing punctuation at the start of a line."""
    import re

    import click._textwrap

    wrapper = click._textwrap.TextWrapper
    if getattr(wrapper.fill, "_chinese", False):
        return
    english = wrapper.fill
    token = re.compile(r"\s+|[^\s\u1100-\uffff]+|.", re.S)

    def columns(text: str) -> int:
        return sum(2 if _is_wide(char) else 1 for char in text)

    def fill(self, text: str) -> str:
        if not any(_is_wide(char) for char in text):
            return english(self, text)
        lines, line = [], self.initial_indent
        used, empty, space = columns(line), True, False
        for piece in token.findall(text.replace("\n", " ")):
            if piece.isspace():
                space = not empty
                continue
            needed = columns(piece) + (1 if space else 0)
            if not empty and used + needed > self.width and piece[0] not in _NO_LINE_START:
                lines.append(line.rstrip())
                line, used, space = self.subsequent_indent, columns(self.subsequent_indent), False
                needed = columns(piece)
            line += (" " if space else "") + piece
            used, empty, space = used + needed, False, False
        lines.append(line.rstrip())
        return "\n".join(lines)

    fill._chinese = True
    wrapper.fill = fill


def _no_space_after_full_width() -> None:
    """Click puts an ASCII space after "Usage:" and between an error and its
    suggestion: after a full-width 用法： or 。 that space is a gap."""
    import click.exceptions
    import click.formatting

    formatter = click.formatting.HelpFormatter
    if getattr(formatter.write_usage, "_full_width", False):
        return
    usage = formatter.write_usage

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None and _("Usage:").endswith("："):
            prefix = _("Usage:")
        usage(self, prog, args, prefix)

    write_usage._full_width = True
    formatter.write_usage = write_usage

    def closed_up(message):
        def format_message(self) -> str:
            return message(self).replace("。 ", "。").replace("： ", "：")

        return format_message

    for value in vars(click.exceptions).values():
        if (isinstance(value, type) and issubclass(value, click.exceptions.ClickException)
                and "format_message" in vars(value)):
            value.format_message = closed_up(value.format_message)


def _full_width_headings() -> None:
    """Click writes a help section's heading as "选项:" with an ASCII colon: a Chinese
    heading gets the full-width one (选项：)."""
    import click.formatting

    formatter = click.formatting.HelpFormatter
    if getattr(formatter.write_heading, "_full_width", False):
        return

    def write_heading(self, heading: str) -> None:
        if any(_is_wide(char) for char in heading):
            self.write(f"{'':>{self.current_indent}}{heading}：\n")
        else:
            english(self, heading)

    english = formatter.write_heading
    write_heading._full_width = True
    formatter.write_heading = write_heading


def _keep_argument_help() -> None:
    """Typer sets an argument's help before calling click.Argument's constructor,
    which (Click 8.2 and later) sets it back to None: no positional argument had
    its help shown.  Set it again afterwards."""
    import typer.core

    constructor = typer.core.TyperArgument.__init__
    if getattr(constructor, "_keeps_help", False):
        return

    def __init__(self, *args, help=None, **kwargs):
        constructor(self, *args, help=help, **kwargs)
        self.help = help

    __init__._keeps_help = True
    typer.core.TyperArgument.__init__ = __init__
    # Typer lists the arguments itself ("Arguments"); Click 8.5's own section
    # ("Positional arguments") would list them a second time.
    for command in (typer.core.TyperCommand, typer.core.TyperGroup):
        if hasattr(command, "format_arguments"):
            command.format_arguments = lambda self, ctx, formatter: None


def _translate_missing_stop() -> None:
    """Click ends "Missing argument 'TEXT...'" with an ASCII full stop of its own:
    in Chinese the sentence ends with 。."""
    import click.exceptions

    english = click.exceptions.MissingParameter.format_message

    def format_message(self) -> str:
        from ..i18n import current_language

        text = english(self)
        return text.replace("'.", "'。", 1) if current_language() == "zh" else text

    click.exceptions.MissingParameter.format_message = format_message


def _translate_suggestions() -> None:
    """Typer repeats Click's "Did you mean 'list'?" in English after an unknown
    command: Click's own suggestion goes through the catalog, so Typer's is left out."""
    import click
    import typer.core

    def resolve_command(self, ctx, args):
        return click.Group.resolve_command(self, ctx, args)

    typer.core.TyperGroup.resolve_command = resolve_command


def _is_wide(char: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F")


def _short_chinese_help(help: str, max_length: int) -> str:
    """The first sentence of a Chinese help text, cut to ``max_length`` columns.

    Click's own shortening splits on spaces, which Chinese text does not have:
    a whole paragraph would become one "word" and be shown as "...".
    """
    text = " ".join(help.partition("\n\n")[0].split())
    for end in ("。", "；"):
        if end in text:
            text = text[: text.index(end) + 1]
            break
    if sum(2 if _is_wide(char) else 1 for char in text) <= max_length:
        return text
    shown, width = "", 1  # room for the ellipsis
    for char in text:
        width += 2 if _is_wide(char) else 1
        if width > max_length:
            break
        shown += char
    return shown.rstrip("，、：；（ ") + "…"


def translate_params(params) -> list:
    """Typer's own options (shell completion) carry English help: look it up."""
    for param in params:
        if getattr(param, "help", None):
            param.help = _(param.help)
    return params
