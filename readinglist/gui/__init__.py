"""The desktop window: a thin Qt layer over ``readinglist.services.library.Library``.

Only this package imports Qt. Every change goes through the library service, wrapped in an
undoable command; long work (imports, exports, searching, feeding the index) runs on worker
threads so that the window never waits."""
