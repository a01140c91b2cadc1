import sys

from bgfetch_gui.bridge.native_host import main

sys.exit(main())
