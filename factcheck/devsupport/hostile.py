"""Text built to make naive text processing quadratic (issue 14): each generator gives about
`size` characters. Shared by the linearity tests and `bench/run.py --only text`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project: seeds/ and the test articles

HOSTILE: dict[str, Callable[[int], str]] = {
    "<p>x": lambda size: "<p>x " * (size // 5),
    "!...x": lambda size: "!" * (size - 1) + "x",
    "A...": lambda size: "A" * size,
    "a spaces b": lambda size: "a" + " " * (size - 2) + "b",
    "<!--...": lambda size: "<!--" * (size // 4),
    "(...": lambda size: "(" * size,
    "x. x. x.": lambda size: "x. " * (size // 3),
    "While a, while b, ...": lambda size: "While men died, " * (size // 16),
    "Aa said.": lambda size: "".join(
        f"{chr(65 + i % 26)}{chr(97 + i // 26 % 26)}{i} said it. " for i in range(size // 14)
    )[:size],
    # Tiny paragraphs: all per-paragraph work, little text (found by an outside check).
    "a\\n\\n": lambda size: "a\n\n" * (size // 3),
}


def real_text(size: int) -> str:
    """The seed article and the test articles, repeated to about `size` characters."""
    texts = [(ROOT / "seeds/chechnya-2017/article.txt").read_text("utf-8")]
    texts += [
        p.read_text("utf-8") for p in sorted((ROOT / "tests/extraction/articles").glob("*.txt"))
    ]
    parts, length = [], 0
    while length < size:
        for text in texts:
            parts.append(text)
            length += len(text) + 2
    return "\n\n".join(parts)


def as_html(text: str) -> str:
    """A web page holding `text`, one paragraph per `<p>` (hostile text goes in as it is)."""
    if "\n\n" not in text:
        return text
    return (
        "<html><body><article>"
        + "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        + ("</article></body></html>")
    )


def unplaceable_quote(text: str, size: int = 5000) -> str:
    """A quote of `size` characters that almost matches the text: the same words with other
    spacing, and one more word at the end, so the tolerant search has to look everywhere."""
    return " ".join(text[:size].split()) + " zq"


def spaced_quote(text: str, size: int = 5000) -> str:
    """A quote from the middle of `text` with its line breaks typed as spaces: found, but only by
    the tolerant search."""
    start = text.find(" ", len(text) // 2) + 1
    return "  ".join(text[start : start + size].split()[:-1])
