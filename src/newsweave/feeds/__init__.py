"""Live sources: ``newsweave watch`` follows RSS/Atom feeds, sites and OPML lists into the store
(``watch.py``), fetching politely (``fetch.py``)."""
