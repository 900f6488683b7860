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


def test_year_from_the_articles_sharing_names_when_a_run_spans_years():
    """'November 8' without a year takes the year of the articles about the same people, not the
    run's median year."""
    from newsweave.clean.published import infer_publication_dates
    from newsweave.model import Article

    def art(aid, text, published=None):
        return Article(id=aid, input=aid, text=text, published=published)

    kadhimi = "The office of Prime Minister Mustafa al-Kadhimi said the drone attack on Kadhimi failed."
    caldera = "The fire at the Caldera Chemicals plant in Port Aldane killed two workers, Caldera said."
    arts = [art("k1", kadhimi, "2021-11-07"), art("k2", kadhimi, "2021-11-07"),
            art("c1", caldera, "2024-03-12"), art("c2", caldera, "2024-03-12"),
            art("c3", caldera, "2024-03-13"),
            art("u", "Officials said Kadhimi was unhurt, the mission told UN News November 8.")]
    out = {a.id: a for a in infer_publication_dates(arts)}
    assert out["u"].published == "2021-11-08" and out["u"].published_from == "text"
