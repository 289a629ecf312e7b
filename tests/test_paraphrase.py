"""The claim matcher's rules (extraction/paraphrase.py), one by one: each says what it makes
of two texts, so a change that breaks one is named."""

from __future__ import annotations

from factcheck.extraction.paraphrase import figures, figures_agree, match_score, negated, terms


def test_words_are_stemmed_by_snowball():
    assert terms("Farmers using weedkillers") == terms("farmer uses weedkiller")


def test_words_of_one_meaning_are_one_term():
    assert terms("jail inmates") == terms("prison prisoners")
    assert terms("Prices rose") == terms("prices increased")
    assert terms("a glass a day") == terms("a daily glass")  # a phrase, read before the words
    assert terms("Coffee causes dehydration") == terms("coffee leads to dehydration")


def test_a_country_and_its_people_are_one_term_and_us_is_not_the_pronoun():
    assert terms("British voters") == terms("voters in Britain") == terms("UK voters")
    assert terms("US soybeans") == terms("American soybeans")
    assert "usa" not in terms("Tell us about soybeans")


def test_grammar_words_and_negations_are_not_terms():
    assert terms("Coffee doesn't dehydrate you") == terms("coffee does not dehydrate")


def test_shares_multiples_and_spans_in_words_are_figures():
    assert figures("One in five children") == figures("20% of children") == {20.0}
    assert figures("fell by half") == figures("dropped 50%") == {50.0}
    assert figures("Crime doubled") == figures("twice as high") == {2.0}
    assert figures("in a decade") == figures("in ten years") == {10.0}
    assert figures("twenty-eight people") == {28.0}
    # A count and a year are not a share.
    assert figures("745,000 in 2022") == {745000.0, 2022.0}


def test_a_figure_one_text_adds_lowers_the_score():
    same, more = figures_agree({1.0, 28.0}, {1.0, 28.0}), figures_agree({1.0, 28.0}, {1.0})
    assert same > 1.0 > more
    assert figures_agree({33.0}, {100 / 3}) > 1.0  # "33%" and "a third"


def test_no_one_more_than_is_a_superlative_not_a_negation():
    assert not negated("No country imports more US soybeans than China.")
    assert negated("No vaccine causes autism.")
    assert negated("Masks don't work.")


def test_paraphrases_score_above_claims_that_say_something_else():
    existing = "China buys more American soybeans than any other country."
    restated = "No country imports more US soybeans than China."
    other = "China cut its purchases of American soybeans by half during the trade war."
    assert match_score(existing, restated) > 0.5 > match_score(existing, other)


def test_a_family_of_words_the_stemmer_keeps_apart_still_counts():
    a = "Glaciers are melting faster, scientists warned."
    assert match_score(a, "Science warns glaciers are melting faster.") > match_score(
        a, "Engineers warn glaciers are melting faster."
    )


def test_a_denial_is_a_negation_and_denying_verbs_are_one_term():
    """Seen by an outsider: "denied" against "admitted", "passed" against "rejected" scored
    as the same claim (0.89, 1.0)."""
    denied = "The ministry denied that detainees were tortured."
    assert negated(denied) and not negated("The ministry admitted that detainees were tortured.")
    assert match_score(denied, "The ministry admitted that detainees were tortured.") < 0.5
    passed = "The National Assembly passed a resolution condemning the arrests."
    assert match_score(passed, passed.replace("passed", "rejected")) < 0.5
    assert terms("denied the allegations") == terms("rejected the allegations")
    assert match_score(denied, "The ministry rejected claims that detainees were tortured.") > 0.5


def test_the_day_of_a_month_is_a_date_not_a_figure():
    """ "May 9" shared by two claims on one day's events is not evidence they are one claim."""
    assert figures("the May 9 riots") == figures("the riots on 9th of May") == frozenset()
    assert figures("40 arrests on May 9, 2023") == {40.0, 2023.0}
