import sys

from bgfetch_gui.cli import main

sys.exit(main())
