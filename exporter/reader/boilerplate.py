"""Line-level boilerplate rules: known phrases of page furniture, by kind.

Each rule is general (share widgets, sign-in prompts, cookie notices…), never a site's name or a
sentence of one article.  Rules only fire on lines short enough to be furniture: a long paragraph
that mentions "subscribe" is prose.  The reason codes are documented in REASONS.md.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .textutil import LazyPattern, lower_unless_special, word_weight


# (A NamedTuple, not a frozen dataclass: creating a dataclass costs ~0.4 ms of start-up.)
class Rule(NamedTuple):
    reason: str
    pattern: re.Pattern[str] | LazyPattern
    max_words: int
    # Cheap tests on the line's lowercase that every line the pattern matches passes, tried first
    # (same answer; see textutil.lower_unless_special): the beginnings of an anchored rule's
    # alternatives, or words every match contains.  Most lines fail them, so most rules are never
    # compiled, and none backtracks over a long line ("we … cookies") that cannot match.
    starts: tuple[str, ...] | None = None
    needs: tuple[str, ...] | None = None


def _rule(reason: str, pattern: str, max_words: int = 12, starts: tuple[str, ...] | None = None,
          needs: tuple[str, ...] | None = None) -> Rule:
    # Compiled when a line first gets past the cheap tests: many texts never need some rules.
    return Rule(reason, LazyPattern(pattern, re.IGNORECASE), max_words, starts, needs)


def _may_match(rule: Rule, lowered: str) -> bool:
    """False only for a line ``rule`` cannot match; ``lowered`` is the line's lowercase."""
    if rule.starts is not None and not lowered.startswith(rule.starts):
        return False
    return rule.needs is None or any(word in lowered for word in rule.needs)


# Words that make up a share/action bar ("Facebook Twitter Email Print").
SHARE_WORDS = frozenset("""
share shares sharing tweet tweets email e-mail mail print save pin pinterest facebook twitter x
linkedin reddit whatsapp messenger telegram flipboard tumblr pocket sms copy copied link url
comment comments gift later read listen bookmark more options whatsapp google+ google plus
""".split())

RULES: tuple[Rule, ...] = (
    _rule("markup", r"^<\/?[a-z!][^>]*>", 100000, starts=("<",)),
    _rule("share-widget", r"^(share|tweet|pin|post|send|email|e-mail)\b.{0,40}\b(on|via|to|with|this|article|story|page|link)\b", 10,
          starts=("share", "tweet", "pin", "post", "send", "email", "e-mail")),
    _rule("share-widget", r"^share (this|the|on|via|article|story)\b|^share this @\S+", 10, starts=("share ",)),
    _rule("share-widget", r"^(copy link|copied!?|link copied|read later|save for later|save article|gift (this )?article|print this (page|article)|email this (page|article)|share|partager|teilen|compartir|compartilhe|sdílet)$", 4,
          starts=("copy", "copied", "link", "read", "save", "gift", "print", "email", "share", "partager", "teilen",
                  "compartir", "compartilhe", "sdílet")),
    _rule("follow", r"^(follow|like|find) (us|@|\S+ on (facebook|twitter|instagram|x|linkedin|youtube|tiktok))", 14, starts=("follow", "like", "find")),
    _rule("follow", r"\bfollow (us|me)\b.*\b(facebook|twitter|instagram|linkedin|youtube|tiktok|threads|bluesky)\b", 20,
          needs=("follow us", "follow me")),
    _rule("newsletter", r"\b(sign[ -]?up|subscribe|register)\b.*\b(newsletters?|e-?mails?|inbox|updates|alerts|digest|briefing)\b|^(get|receive) (our|the) .*\b(newsletters?|inbox)\b|\bnewsletters?\b|^subscribe\b|\bsubscribe (now|today|here|for)\b|^(become|already) a (subscriber|member)\b", 25,
          needs=("sign", "subscribe", "register", "newsletter", "inbox", "become", "already")),
    _rule("newsletter", r"^view (this|the|our) (email|e-mail|newsletter|message) (in|on) (your|a|the) (web )?browser|^(forward|share) this (email|e-mail|newsletter)\b|^unsubscribe\b|\b(update|manage) (your )?(email )?(preferences|subscription)\b", 14,
          needs=("view", "forward", "share", "unsubscribe", "preferences", "subscription")),
    _rule("newsletter", r"\b(inscrivez-vous|abonnez-vous|abonnieren|suscr[ií]bete|assine|předplaťte)\b", 12,
          needs=("inscrivez-vous", "abonnez-vous", "abonnieren", "suscr", "assine", "předplaťte")),
    _rule("cookie", r"\b(we|this (site|website)|our (site|website|partners)|nous|wir|utilizamos|usamos)\b.*\bcookies?\b|\bcookies?\b.*\b(accept|consent|cookie policy|cookie settings|privacy policy|akzeptieren|acceptez)\b|\b(accept|allow|manage|reject) (all )?cookies\b|en poursuivant votre navigation|vous acceptez l", 150,
          needs=("cookie", "en poursuivant votre navigation", "vous acceptez l")),
    _rule("advert", r"^(advertisement|advertising|ads?|sponsored( content| stories| links)?|promoted( content| stories)?|paid (post|content)|report this ad|ad choices|adchoices|publicité|anzeige|werbung|publicidad|publicidade|reklama)\b\W*$", 4,
          starts=("ad", "sponsored", "promoted", "paid", "report", "publicité", "anzeige", "werbung", "publicidad",
                  "reklama")),
    _rule("advert", r"^(story|article) continues below( (this )?advertisement)?|^continue reading (the main story|below)|^scroll to continue", 8,
          starts=("story", "article", "continue", "scroll")),
    _rule("copyright", r"^(©|\(c\)\s|copyright\s*(©|\(c\)|\d{4}))", 30, starts=("©", "(c)", "copyright")),
    _rule("disclaimer", r"^(\*\s*)?(individual )?results (may |will )?vary\b", 6, needs=("results",)),
    _rule("disclaimer", r"\bis (provided )?for (general )?(informational|information|educational) purposes only\b"
          r"|\bdoes not constitute (financial|legal|medical|investment|tax) advice\b|\bpast performance (is|does) not (a )?guarantee"
          r"|\bnot intended to (diagnose|treat|cure|prevent|be a substitute)\b", 45,
          needs=("purposes only", "constitute", "past performance", "not intended")),
    # Legal footers run long ("Market data provided by … All rights reserved. Terms …").
    _rule("copyright", r"all rights reserved|tous droits réservés|alle rechte vorbehalten|todos los derechos reservados|todos os direitos reservados|všechna práva vyhrazena", 300,
          needs=("all rights reserved", "tous droits réservés", "alle rechte vorbehalten", "todos los derechos reservados",
                 "todos os direitos reservados", "všechna práva vyhrazena")),
    _rule("sign-in", r"^(sign in|sign up|sign out|log ?in|log ?out|register|my account|account|profile|create (a |an |your |free )*account|already a (subscriber|member)\b.*|se connecter|s'inscrire|connexion|mon compte|anmelden|einloggen|registrieren|iniciar sesión|entrar|přihlásit( se)?|registrace)\W*$", 8,
          starts=("sign", "log", "register", "my", "account", "profile", "create", "already", "se connecter",
                  "s'inscrire", "connexion", "mon", "anmelden", "einloggen", "registrieren", "iniciar", "entrar",
                  "přihlásit", "registrace")),
    _rule("sign-in", r"^(log ?in|sign ?in|sign up|register|create)\b.*\baccount\b|^(already|not) a (member|subscriber)\b", 30,
          starts=("log", "sign", "register", "create", "already", "not")),
    _rule("navigation", r"^(skip|jump) to (the )?(main )?(content|navigation|main|search|footer|article)|^skip navigation|^accessibility (links|for screenreader)|^(back to )?top( of page)?$|^(main )?menu$|^(open|close|toggle) (menu|navigation|search|sidebar)|^search( form| this site)?$|^home$|^(next|previous|prev) (article|story|page|post)\b|^view (mobile|desktop) version|^(see|view|show) (all|more)\b", 8,
          starts=("skip", "jump", "accessibility", "back", "top", "main", "menu", "open", "close", "toggle", "search",
                  "home", "next", "prev", "view", "see", "show")),
    _rule("comments", r"^(\d[\d,.]*\s+)?comments?(\s*\(\d+\))?$|^(leave|add|post|write) a (comment|reply)|^(show|view|hide|load|read) (all )?(\d+ )?comments|^join the (conversation|discussion)|^comments? (are|have been) (closed|disabled)", 8,
          needs=("comment", "reply", "join the ")),
    _rule("share-count", r"^\d[\d,.]*\s*[km]?\s+(shares?|views?|reads?|likes?|responses?)$", 4),
    _rule("image-credit", r"^(photo|image|picture|illustration|graphic|video|credit|foto|bild|imagem|imagen|fotografie)s?\s*(credit|copyright|caption|:|©)|^(image|photo) (copyright|caption)\b|\b(getty images|ap photo|afp photo|shutterstock|istock(photo)?|epa-efe)\b|\S/(reuters|afp|ap|getty|epa|getty images)\)?\.?$", 16,
          needs=("photo", "image", "picture", "illustration", "graphic", "video", "credit", "foto", "bild", "getty",
                 "shutterstock", "istock", "epa-efe", "/")),
    _rule("image-credit", r"\.(jpe?g|png|gif|webp|svg)$", 4),
    # A caption ending in its credit ("The market square on Wednesday. Photo: Peter Lind/Wirewell"),
    # or labelled as one ("Caption: …").
    _rule("image-credit", r"^caption\s*:|\b(photo|photograph|picture|image|foto|bild|credit)s?\s*:\s*[^\s.!?:][^.!?:]*$", 30,
          needs=("caption", "photo", "picture", "image", "foto", "bild", "credit")),
    _rule("image-credit", r"^(media|image|photo|video) caption\b|\b(photo|image|picture)?\s?credits?:\s*\S+[^.!?]*$", 45,
          needs=("caption", "credit")),
    _rule("link-residue", r"\s[.,;:]$|\(\s*\)|\[\s*\]|^click here\b|^(read|see) (more|the full (story|article))( at| on| here)?\W*$|^(continue|keep) reading\W*$|^more\W*$|^learn more\W*$|^[\W_]+$", 14),
    _rule("feedback", r"\b(we'?re interested in your feedback|tell us what you think|send us your feedback|email us at|was this (article|page) helpful|report (a|an) (error|typo|correction))\b", 25,
          needs=("feedback", "tell us what you think", "email us at", "helpful", "report a")),
    _rule("print-edition", r"^(a version of )?this (article|story|column) (appears|appeared|was published) (in print|in the print edition|on page)", 60,
          starts=("a version of this ", "this ")),
    _rule("reading-time", r"^\d+\s*(min(ute)?s?|mins?)( read)?$|^reading time\b", 5),
)

# Boilerplate that also names the publisher: "For the latest from SBS News, and ."
SOURCE_PHRASE = re.compile(
    r"\b(?:latest|more|news|stories|updates|coverage)\s+(?:from|by)\s+((?:[A-Z][\w&'.-]*)(?:\s+[A-Z][\w&'.-]*){0,4})")
SITE_HANDLE = re.compile(r"@((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.IGNORECASE)


def classify_line(text: str) -> str | None:
    """The boilerplate reason of one unit's text, or None if it may be article text."""
    weight = word_weight(text)
    stripped = text.strip()
    lowered = lower_unless_special(stripped)
    for rule in RULES:
        if weight > rule.max_words:
            continue
        if lowered is not None and not _may_match(rule, lowered):
            continue
        if rule.pattern.search(stripped):
            return rule.reason
    if _is_share_bar(stripped):
        return "share-widget"
    if _LABEL.fullmatch(stripped) and weight <= LABEL_MAX_WORDS:
        return "label"
    return None


# "FULL TEXT.", "UPDATE:", "WATCH:": a capitals-only label that announces what follows, ending in
# its stop or colon (a capitals headline has no stop; "U.S." alone is no label: it needs a word).
_LABEL = re.compile(r"[A-Z][A-Z’'&-]+(?: [A-Z][A-Z’'&-]+)*[.:]")
LABEL_MAX_WORDS = 3


_SHARE_BAR_TOKEN = re.compile(r"[\w+'-]+")
SHARE_BAR_MAX_TOKENS = 10


def _is_share_bar(text: str) -> bool:
    """A line made only of share/action words: "Facebook Twitter Email", "Share 12 Tweet"."""
    share = numbers = 0
    for count, match in enumerate(_SHARE_BAR_TOKEN.finditer(text.casefold()), 1):
        token = match.group()
        if count > SHARE_BAR_MAX_TOKENS:
            return False
        if token in SHARE_WORDS:
            share += 1
        elif token.isdigit():
            numbers += 1
        else:
            return False         # every token must be one or the other: a paragraph stops at once
    return share >= 1 and (share >= 2 or share + numbers <= 2)


def source_from_line(text: str) -> str | None:
    m = SOURCE_PHRASE.search(text)
    return m.group(1).rstrip(".,;:") if m else None


def site_from_line(text: str) -> str | None:
    m = SITE_HANDLE.search(text)
    return m.group(1).lower() if m else None
