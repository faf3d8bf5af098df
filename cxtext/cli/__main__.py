"""``python -m cxtext.cli``: the same command line as the ``cxtext`` script."""

from cxtext.cli import main

raise SystemExit(main())
