"""Import this before any ``whoosh`` module.

Whoosh 2.7.4 has invalid escape sequences in its own source, which Python reports while
compiling it (DeprecationWarning on 3.11, SyntaxWarning from 3.12). We silence exactly those,
by module, never globally. At compile time Python names the module by its file path, so the
filter matches the path as well as the dotted name.
"""

import warnings

for _category in (SyntaxWarning, DeprecationWarning):
    for _module in (r".*[/\\]whoosh[/\\].*", r"whoosh(\..*)?$"):
        warnings.filterwarnings("ignore", category=_category, module=_module)
