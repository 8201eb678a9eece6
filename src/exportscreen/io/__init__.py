"""Reading users' files and writing results: the one input seam and the one output seam of
every command.

:mod:`exportscreen.io.read` reads CSV, TSV, Excel and JSON files strictly (exact file, row
and column in every error, under every pandas string storage); :mod:`exportscreen.io.cells`
is its fast path for simple CSV files; :mod:`exportscreen.io.write` writes every output
file (CSV/TSV/XLSX tables, JSON/HTML text): format from the extension, formulas defused,
atomic. Modules here import :mod:`exportscreen.errors` and third-party libraries only, so
every other part of the package can use them. This package imports nothing itself, so that
``import exportscreen.io`` stays cheap.
"""
