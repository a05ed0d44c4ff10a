"""Full-text search for scraped web pages: read, clean, index, query."""

__version__ = "0.1.0"

import warnings
from collections.abc import Callable
from importlib import import_module

# Whoosh 2.7.4 predates Python 3.11 and warns while compiling; users should not see that noise.
# Compile-time warnings name the module by file path, run-time ones by dotted name.
for _category in (DeprecationWarning, SyntaxWarning):
    warnings.filterwarnings("ignore", category=_category, module=r"(.*/)?whoosh[./]")


def stage_exports(package: str, exports: dict[str, str]) -> Callable[[str], object]:
    """A stage package's module __getattr__: each name it exposes, imported from its module on first use.

    Lazily, so that asking a stage for one name costs only the modules behind it: the web server
    reads the index without ever importing the cleaner (and its HTML parsers).
    """
    def exported(name: str) -> object:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(exports[name], package), name)
    return exported
