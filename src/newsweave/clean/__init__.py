"""Clean: boilerplate, captions, metadata lines and datelines out; offsets kept."""

from .cleaner import ArticleCleaner
from .outlets import learn_outlet_boilerplate
from .published import PublicationDater, infer_publication_dates

__all__ = ["ArticleCleaner", "PublicationDater", "infer_publication_dates",
           "learn_outlet_boilerplate"]
