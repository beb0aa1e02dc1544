"""``python -m liveops_nb.cli``: the same as the ``liveops`` console script."""
import sys

from . import main

sys.exit(main())
