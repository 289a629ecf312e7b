"""Hostile strings for the cross-site-scripting tests (test client and browser)."""

PAYLOADS = [
    "<script>window.__xss = 1</script>",
    '"><img src=x onerror="window.__xss = 1">',
    "'><svg onload=window.__xss=1>",
    "</textarea><script>window.__xss=1</script>",
]
JAVASCRIPT_URLS = [
    "javascript:window.__xss=1",
    "JaVaScRiPt:alert(1)",
    "javascript://x.org/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
]
# What must never appear verbatim in a page: the markup that would run.
RAW_MARKERS = ["<script>window.__xss", "<img src=x", "<svg onload"]
