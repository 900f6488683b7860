from datetime import date

from newsweave.clean.published import dates_in_text, infer_publication_dates
from newsweave.model import Article


def test_weekday_fixes_the_year():
    assert dates_in_text("said on Sunday, 7 November.", None)[0][0] == date(2021, 11, 7) or \
        dates_in_text("said on Sunday, 7 November.", 2021)[0][0] == date(2021, 11, 7)
    assert dates_in_text("said on Sunday, 7 November.", 2021) == [(date(2021, 11, 7), False)]


def test_year_from_context_and_latest_date_wins():
    arts = [Article(id="a", input="a", text="x", published="2021-11-07", published_from="metadata"),
            Article(id="b", input="b", text="citing UN News November 8 and the attack on November 7")]
    out = infer_publication_dates(arts)
    assert out[1].published == "2021-11-08" and out[1].published_from == "text"


def test_no_date_stays_unknown():
    out = infer_publication_dates([Article(id="b", input="b", text="Nothing dated here.")])
    assert out[0].published is None and out[0].published_from is None
