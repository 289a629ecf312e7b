"""Sample input files for the tests and the benchmark."""

from __future__ import annotations


def claims_csv(count: int, prefix: str = "row", articles: int = 20) -> bytes:
    """An import file of `count` new claims (text unique by `prefix`), spread over `articles`
    articles named by title, each with one source URL."""
    lines = ["external_key,article_title,text,claim_type,priority,source_urls"]
    lines += [
        f"{prefix}-{i},Imported article {i % articles},"
        f"The ministry said {prefix} case {i} was closed on Monday,other,3,"
        f"https://example.org/{prefix}/{i}"
        for i in range(count)
    ]
    return ("\r\n".join(lines) + "\r\n").encode()
