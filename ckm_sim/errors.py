"""The one exception family users see: each carries a one-line message for the command line."""


class CKMError(Exception):
    """An error the user can fix (bad input, missing file); shown as one line, no traceback."""
