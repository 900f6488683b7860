"""Per-story extraction results: entities merged across the story's articles, quote speakers tied
to those entities, numbers and times gathered with their article spans."""

from __future__ import annotations

from ..model import Entity, Quote, Story, replace
from ..stage import StoryStage
from .entities import EntityResolver, bare_surnames, datelined_places, match_entity
from .extractor import keep_implicit


class StoryExtraction(StoryStage):
    """Fill each story's ``entities``, ``quotes``, ``numbers`` and ``times``."""

    name = "story_extraction"
    needs = frozenset({"stories", "mentions", "quotes", "numbers"})
    adds = frozenset({"entities", "story_quotes", "story_numbers", "story_times"})

    def __init__(self):
        self.resolver = EntityResolver()

    def process_story(self, story: Story, arts) -> Story:
        mentions = [m for a in arts for m in a.mentions]
        texts = {a.id: a.text for a in arts}
        mentions += bare_surnames(mentions, texts)
        entities, _index = self.resolver.resolve(mentions, texts)
        entities = datelined_places(entities, arts)
        quotes = []
        for a in arts:
            for q in a.quotes:
                quotes.append(self._tie(q, entities))
        counted = {n.subject.split()[-1] for a in arts for n in a.numbers
                   if not n.implicit and n.unit is None}
        numbers = [n for a in arts for n in keep_implicit(a.numbers, counted)]
        times = [t for a in arts for t in a.times]
        return replace(story, entities=entities, quotes=tuple(quotes),
                       numbers=tuple(numbers), times=tuple(times))

    @staticmethod
    def _tie(q: Quote, entities: tuple[Entity, ...]) -> Quote:
        ent = match_entity(q.speaker, entities)
        rep = match_entity(q.reported_by, entities) if q.reported_by else None
        return replace(q, speaker=ent.name if ent else q.speaker,
                       speaker_entity=ent.id if ent else None,
                       reported_by=rep.name if rep else q.reported_by)
