"""``python -m bgfetch_gui`` starts the GUI, like the ``bgfetch-gui`` script."""

import sys

from bgfetch_gui.launcher import main

sys.exit(main())
