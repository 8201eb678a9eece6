"""One module per CLI subcommand; each exposes ``register(subparsers)``.

A command module stays light at import time (argparse only): the heavy imports
(pandas, rapidfuzz, networkx) happen inside its ``run`` so that ``--help`` is fast.
"""
