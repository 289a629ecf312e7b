"""The badge helpers every list row uses: the same markup the macros made, always escaped."""

from __future__ import annotations

from factcheck.web.templating import rating_badge, status_badge


def test_badges_read_as_words_and_escape_what_they_are_given(app):
    assert status_badge("in_review") == '<span class="badge status-in_review">in review</span>'
    assert "<script>" not in status_badge('"><script>x</script>')
    with app.test_request_context():  # a rating's label is the admins' scale's
        assert rating_badge("mostly_false") == (
            '<span class="badge rating rating-mostly_false">Mostly false</span>'
        )
        assert rating_badge(None) == "" and rating_badge("") == ""
        assert "&lt;script&gt;" in rating_badge("<script>")
