"""One exception hierarchy for everything cxtext raises on purpose.

Every message says what was expected, what was found and what to do next,
because the person reading it is usually a product manager, not the author
of the code.
"""

from __future__ import annotations


class CxtextError(Exception):
    """Base class: catch this to handle every error cxtext raises on purpose."""


class InputError(CxtextError):
    """A file or frame cannot be read (missing, unreadable, wrong format)."""


class ColumnMappingError(CxtextError):
    """The column mapping names a column that is absent, or no text column exists."""


class ValidationError(CxtextError):
    """A parameter value is outside what is allowed (scale, threshold, size)."""


class ConfigError(CxtextError):
    """A pipeline file is malformed or names an unknown stage or parameter."""


class ModelError(CxtextError):
    """An embedding model or saved theme model cannot be found or loaded."""


class NotFittedError(CxtextError):
    """A method that needs a fitted estimator was called before `fit`."""


class ThemeEditError(CxtextError):
    """A theme edit (rename, merge, delete) names a theme that does not exist."""


class TaxonomyError(InputError):
    """A taxonomy file (the team's own themes) is missing, unreadable or malformed."""
