"""Claim extraction: from an article's text to candidate review items.

A plain module (no Flask, no database) so it can be tested and benchmarked on its own. It runs on
the CPU with rules and word lists; nothing is downloaded."""

from .budget import Budget
from .extractor import CLAIM_TYPES, Candidate, Extraction, extract, extract_candidates
from .similarity import SimilarityIndex, find_near_duplicates, normalise, similarity
from .text import Page, html_to_text, read_html

__all__ = [
    "CLAIM_TYPES",
    "Budget",
    "Candidate",
    "Extraction",
    "Page",
    "SimilarityIndex",
    "extract",
    "extract_candidates",
    "find_near_duplicates",
    "html_to_text",
    "normalise",
    "read_html",
    "similarity",
]
