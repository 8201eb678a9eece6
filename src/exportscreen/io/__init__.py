"""Reading users' files and writing results: the low layer under the commands.

Modules here import :mod:`exportscreen.errors` and third-party libraries only, so that
every other part of the package can use them. Import the module you need
(``from exportscreen.io.write import write_table``); this package imports nothing, so
that ``import exportscreen.io`` stays cheap.
"""
