import sys

from bgfetch_gui.app import main

sys.exit(main())
