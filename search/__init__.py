"""Full-text search for scraped web pages: read, clean, index, query."""

__version__ = "0.1.0"

import warnings

# Whoosh 2.7.4 predates Python 3.11 and warns while compiling; users should not see that noise.
# Compile-time warnings name the module by file path, run-time ones by dotted name.
for _category in (DeprecationWarning, SyntaxWarning):
    warnings.filterwarnings("ignore", category=_category, module=r"(.*/)?whoosh[./]")
