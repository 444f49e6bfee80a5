"""Errors the user sees: one Russian line, exit code 2."""


class InputError(Exception):
    """A draft or an argument the tool cannot work with.

    The message is a complete Russian sentence shown to the user as is.
    """


class CatalogueError(Exception):
    """A malformed rule or knowledge file (names the file and the problem in Russian)."""
