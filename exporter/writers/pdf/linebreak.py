"""Line breaking in time linear in a paragraph's length.

reportlab's ``Paragraph.breakLines`` takes the words of a paragraph off the FRONT of a Python list,
one at a time (``words.pop(0)``, and ``_words.pop(0)`` for a paragraph of several runs), and puts
the pieces of a hyphenated or over-long word back at the front (``words[0:0] = pieces``).  Each of
those moves every remaining word, so breaking one paragraph of n words costs O(n²): a pasted
transcript of 200,000 words took 14 times as long as one of 50,000, and a 4.8 MB paragraph 93 s.

The cure changes no decision reportlab makes: breakLines is handed its word list as a
:class:`WordQueue`, a deque that answers exactly the list operations breakLines performs on it,
each in O(1) at the front.  The two functions that make the list (the module's ``split`` for a
plain paragraph, ``_getFragWords`` for one of several runs) are wrapped so that they return a
queue only to breakLines itself, and only for a long list; every other caller, and every short
paragraph (all of an ordinary article's), gets reportlab's own list as before, so the output is
the same byte for byte.  Installed once, when the PDF writer is imported.
"""
from __future__ import annotations

import sys
from collections import deque
from functools import wraps

from reportlab.platypus import paragraph as _paragraph

#: below this many words, popping from the front of a list costs nothing worth avoiding; ordinary
#: paragraphs stay on reportlab's exact path
MIN_QUEUED_WORDS = 512


class WordQueue(deque):
    """The word list breakLines consumes: a deque with the list operations breakLines uses on it
    (``pop(0)``, ``words[0:0] = pieces``, ``insert``, truth, iteration, comparison with a list).
    Anything else a list could do fails loudly, never silently differently."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # mutable, as a list

    def pop(self, index: int = -1):
        if index == 0:
            return self.popleft()
        if index == -1:
            return super().pop()
        raise TypeError(f"WordQueue.pop({index}): only the ends of a word queue are taken")

    def __setitem__(self, key, value) -> None:
        if isinstance(key, slice):
            if key.start in (0, None) and key.stop == 0 and key.step is None:
                self.extendleft(reversed(list(value)))      # words[0:0] = pieces: back at the front
                return
            raise TypeError(f"WordQueue[{key}] = …: only words[0:0] = pieces is supported")
        super().__setitem__(key, value)

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, deque)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __ne__(self, other) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal


_BREAK_LINES_CODE = _paragraph.Paragraph.breakLines.__code__


def _queued_for_break_lines(make_words):
    """``make_words`` returning a :class:`WordQueue` when breakLines itself asks for a long list."""
    @wraps(make_words)
    def make(*args, **kwargs):
        words = make_words(*args, **kwargs)
        if len(words) >= MIN_QUEUED_WORDS and sys._getframe(1).f_code is _BREAK_LINES_CODE:
            return WordQueue(words)
        return words
    make.__wrapped_for_linear_breaks__ = True
    return make


def install() -> None:
    """Wrap reportlab's word-list makers once per process (idempotent)."""
    for name in ("split", "_getFragWords"):
        current = getattr(_paragraph, name)
        if not getattr(current, "__wrapped_for_linear_breaks__", False):
            setattr(_paragraph, name, _queued_for_break_lines(current))
