from factcheck.db import session_factory
from factcheck.seeding import load_seeds


def test_home_lists_seeded_claims(app, client, as_user):
    as_user("reviewer")
    with session_factory(app.extensions["factcheck_engine"], write=True)() as s:
        load_seeds(s)
        s.commit()
    page = client.get("/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "The death toll among gay men who have been detained has risen to 26." in body
    assert "Unreviewed" in body
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
