"""newsweave: make sense of multi-source news.

>>> from newsweave import Pipeline
>>> report = Pipeline().run(["examples/cluster"])  # doctest: +SKIP
"""

from .config import load_config
from .model import Article, Report, Story
from .pipeline import Pipeline

__all__ = ["Article", "Pipeline", "Report", "Story", "load_config"]
__version__ = "0.1.0"
