import sys

from bgfetch_gui.launcher import main

sys.exit(main())
