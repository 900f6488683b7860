"""Cross-check: align claims across articles into facts, find conflicts, build the timeline and
the event record."""
