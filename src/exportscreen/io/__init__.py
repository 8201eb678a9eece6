"""Reading and writing tables: the one input seam and the one output seam of every command.

:mod:`exportscreen.io.read` reads CSV, TSV, Excel and JSON files strictly (exact file, row
and column in every error, under every pandas string storage); :mod:`exportscreen.io.cells`
is its fast path for simple CSV files. This layer sits just above ``knowledge`` and below
the domain packages: it imports nothing of exportscreen but ``errors``.
"""
