import gc
import sys

from .cli import main

# A command runs for seconds and keeps what it reads until it ends: Python's cycle collector would only
# walk those objects again (a tenth of checking 10,000 unchanged fiches, at the end of the check).
gc.disable()
sys.exit(main())
