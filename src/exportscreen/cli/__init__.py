"""The ``exportscreen`` command line: a thin shell over the API, one module per command.

:mod:`.main` builds the parser and maps errors to exit codes; each command module
(``screen``, ``affiliates``, ``match``, ``rare_earth``, ``lists``) registers its
subparser and runs the command; :mod:`.options` defines the options several commands
share, once. This is the top layer: nothing else in the package imports it.
"""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
