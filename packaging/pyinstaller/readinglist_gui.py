"""The bundle's program: readinglist-gui (the window, FILEs to its import preview, --self-test).

The search index's writer analyses a large import in helper processes, started fresh
('spawn'); in a frozen program each helper is this same executable, which freeze_support()
turns into the helper instead of a second window."""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from readinglist.cli.gui import gui_main

    gui_main()
