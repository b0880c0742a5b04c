"""xinchuang: inventory, classify, scan and plan an organization's Xinchuang (信创) substitution.

The public API is what ``__all__`` lists; everything else may change.
"""

from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.model import Catalog
from xinchuang.errors import DataError, UsageError, XinchuangError

__version__ = "0.1.0"

__all__ = ["Catalog", "DataError", "UsageError", "XinchuangError", "__version__", "load_catalog"]
