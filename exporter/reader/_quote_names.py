"""Names in article text: capitalised runs, titles stripped, people told from organisations.

Rules only, no model: a run of capitalised tokens is a candidate; titles and roles in front of it
("US President", "Sen.", "Kremlin spokesman") are not part of the name; a candidate is a *person*
when the article gives evidence for it (an honorific or role word before it, or a two-word form whose
last word the article also uses alone, the way news writes "Dmitry Peskov" then "Peskov").
"""
from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from exporter.reader.textutil import LazyPattern

# Every uppercase letter, not only A-Z: Østergaard, Álvarez and Łukasz are names too.
_UPPER_CHARS = "".join(chr(c) for c in range(0x250) if chr(c).isupper()) + \
    "".join(chr(c) for c in range(0x370, 0x530) if chr(c).isupper()) + \
    "".join(chr(c) for c in range(0x1E00, 0x1F00) if chr(c).isupper())
_UPPER_BEYOND_ASCII = frozenset(_UPPER_CHARS) - frozenset(string.ascii_uppercase)
_ABBR = r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|Adm|St|Jr|Sr|Det|Gov)\."
_PARTICLE = r"(?:de|del|della|van|von|der|den|bin|al|da|di|du|la|le|dos|das|ibn|y)"


def _run_pattern(upper: str) -> str:
    """A capitalised run, ``upper`` being the character class of capitals."""
    # A soft hyphen (U+00AD, a hyphenation hint) may sit inside a name: "Papado\u00adpoulos".
    token = rf"(?:{_ABBR}|{upper}\.(?:{upper}\.)*|(?:Mc|Mac|O['’]|D['’])?{upper}[\w'’\-\u00ad]*\w|{upper})"
    return rf"(?<![\w'’.\u00ad-]){token}(?:\s+(?:{_PARTICLE}\s+)?{token})*(?![\w'’\u00ad-])"


# The class of all capitals is slow to compile (~2.5 ms: the pattern holds it eight times), and
# most texts have no capital beyond A-Z, where [A-Z] finds exactly the same runs.  So that is the
# pattern compiled at import; the full one is compiled when a text has such a capital.
_RUN_RE_ASCII = re.compile(_run_pattern("[A-Z]"))
RUN_RE = LazyPattern(_run_pattern("[" + re.escape(_UPPER_CHARS) + "]"))


def _run_re(text: str) -> re.Pattern[str] | LazyPattern:
    return _RUN_RE_ASCII if _UPPER_BEYOND_ASCII.isdisjoint(text) else RUN_RE


_POSSESSIVE_SPLIT = re.compile(r"(?<=[’']s)\s+|(?<=s’)\s+")

# Words that are titles, roles or qualifiers in front of a name, never part of it.
TITLE_WORDS = frozenset(w.lower() for w in """President Vice Sen Senator Rep Representative Gov
Governor Mayor Secretary Minister Prime Chancellor King Queen Prince Princess Pope Judge Justice Chief
Director Chairman Chairwoman Chair Speaker Leader General Gen Attorney Adm Admiral Col Lt Sgt Capt Dr
Mr Mrs Ms Miss Mx Prof Professor Rev Reverend Sir Dame Lord Lady Ambassador Commissioner Sheriff
Officer Detective Coach Spokesman Spokeswoman Spokesperson CEO CFO COO Executive Founder Candidate
Nominee Congressman Congresswoman Councilman Councilwoman Councillor Councilor Assemblyman
Assemblywoman Deputy Foreign Defense Defence Interior Republican Republicans Democrat Democrats
Democratic GOP Independent Labor Labour Conservative Liberal Former Then Incumbent Senior First
Majority Minority Kremlin Pentagon Treasury Federal Supreme Inspector Superintendent Dean Principal
Lieutenant Major Captain Sergeant Corporal Private Colonel Commander Chairperson Premier Emir Sheikh
Crown Mr. Mrs. Ms. Dr. Sen. Rep. Gov. Gen. Lt. Col. Sgt. Capt. Prof. Rev. Adm. Det. Insp. Supt. St.
Presidential Vice-President Ex Acting Interim Elect Host Anchor Correspondent Columnist Economist
Analyst Strategist Pollster Officials Official Agent Manager Striker Midfielder Defender Goalkeeper
Forward Guard Quarterback Pitcher Batsman Bowler Captain Skipper Boss Head Star Singer Actor Actress
Rapper Author Writer Novelist Director Producer Activist Advocate Lawyer Counsel Prosecutor Defendant
Plaintiff Witness Juror US U.S. UK U.K. EU UN NATO FBI CIA NSA DHS DOJ Ukrainian Russian American
British French German Chinese Israeli Palestinian Iranian Turkish Syrian Iraqi Afghan Indian Pakistani
Japanese Korean Mexican Canadian Australian Italian Spanish Polish Dutch Belgian Swedish Norwegian
Danish Finnish Irish Scottish Welsh English European African Asian Brazilian Argentine Venezuelan
Cuban Egyptian Saudi Qatari Emirati Lebanese Jordanian Greek Hungarian Czech Romanian Bulgarian Serbian
Croatian Belarusian Georgian Armenian Nigerian Kenyan Jr Sr State Home""".split())

# Titles that only ever stand in front of a person (evidence that the name is a person's).
PERSON_TITLES = frozenset(w.lower() for w in """President Vice Sen Senator Rep Representative Gov
Governor Mayor Secretary Minister Chancellor King Queen Prince Princess Pope Judge Justice Director
Chairman Chairwoman Speaker Leader General Gen Attorney Adm Admiral Col Lt Sgt Capt Dr Mr Mrs Ms Miss
Prof Professor Rev Reverend Sir Dame Lord Lady Ambassador Commissioner Sheriff Officer Detective Coach
Spokesman Spokeswoman Spokesperson CEO Founder Candidate Nominee Congressman Congresswoman Councilman
Councilwoman Councillor Councilor Assemblyman Assemblywoman Deputy Lieutenant Major Captain Sergeant
Colonel Commander Premier Emir Sheikh Mr. Mrs. Ms. Dr. Sen. Rep. Gov. Gen. Lt. Col. Sgt. Capt. Prof.
Rev. Adm. Det. Host Anchor Columnist Economist Analyst Strategist Pollster Lawyer Prosecutor""".split())

# The same in the other languages the reader knows: German titles are capitalised nouns
# ("Oberbürgermeister Rüdiger Kampe"), French, Spanish, Italian and Portuguese ones lowercase
# ("le maire Jean Morel", "la alcaldesa Marta Iriarte").  Titles only ever stand before a person.
_TITLES_ELSEWHERE = frozenset(w.lower() for w in """Bürgermeister Bürgermeisterin Oberbürgermeister
Oberbürgermeisterin Bundeskanzler Bundeskanzlerin Kanzler Kanzlerin Ministerpräsident Ministerpräsidentin
Ministerin Präsidentin Bundespräsident Bundespräsidentin Sprecherin Vorsitzende Vorsitzender
Fraktionschef Fraktionschefin Parteichef Parteichefin Abgeordnete Abgeordneter Stadtrat Stadträtin
Landrat Landrätin Professorin Trainerin Richter Richterin Staatsanwalt Staatsanwältin Bischof
maire ministre président présidente porte-parole député députée sénateur sénatrice juge procureur
procureure alcalde alcaldesa ministro ministra presidenta portavoz diputado diputada senador senadora
sindaco ministra deputato deputata prefeito prefeita""".split())
TITLE_WORDS = TITLE_WORDS | _TITLES_ELSEWHERE
PERSON_TITLES = PERSON_TITLES | _TITLES_ELSEWHERE

# Lowercase role words right before a name mark it as a person ("spokesman Dmitry Peskov").
ROLE_WORDS = frozenset("""spokesman spokeswoman spokesperson minister secretary senator president
candidate nominee chairman chairwoman director adviser advisor aide official lawyer attorney
professor economist analyst strategist pollster governor mayor leader founder executive chief host
anchor correspondent reporter writer author actor actress singer rapper star coach player manager
officer judge daughter son wife husband mother father brother sister friend supporter voter resident
activist commentator counsel surrogate mate consultant state chair representative congressman
congresswoman deputy ambassador general colonel captain sergeant detective sheriff prosecutor
defendant witness striker midfielder defender goalkeeper forward quarterback pitcher batsman bowler
skipper boss head economist researcher scientist doctor nurse teacher student worker farmer owner
investor billionaire businessman businesswoman entrepreneur banker trader editor columnist blogger
candidate challenger incumbent opponent rival partner colleague widow veteran mom dad member
grandmother grandfather uncle aunt cousin niece nephew referee umpire winger teammate driver rider
runner swimmer boxer golfer champion cyclist skier sprinter jockey trainer physician surgeon
psychologist historian professor lecturer economist engineer architect designer chef artist
musician composer poet playwright filmmaker photographer journalist editor publisher
spokesperson treasurer auditor regulator trustee governor""".split())

ROLE_WORDS = ROLE_WORDS | _TITLES_ELSEWHERE

# Abbreviations and variants of a role, to one spelling.
ROLE_ALIASES = {"sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
                "pres": "president", "prof": "professor", "dr": "doctor", "spokeswoman": "spokesman",
                "spokesperson": "spokesman", "chairwoman": "chairman", "chair": "chairman",
                "congresswoman": "congressman", "businesswoman": "businessman", "coach": "coach",
                "capt": "captain", "col": "colonel", "lt": "lieutenant", "sgt": "sergeant"}

HONORIFICS_MALE = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "congressman", "father"})
HONORIFICS_FEMALE = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess",
                               "congresswoman", "mother"})
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sen", "sen.",
                        "rep", "rep.", "gov", "gov.", "prof", "prof.", "rev", "rev."})

# Capitalised words that start sentences or are not names at all.
FUNCTION_WORDS = frozenset(w.lower() for w in """The A An And But Or Nor So Yet For In On At To From
By With Without Of Off As If When While Where Whether After Before Since Until Unless Although Though
Because This That These Those It Its He She They We You I His Her Their Our Your My Him Them Us Me
Who Whom Whose What Which There Here Then Now Today Yesterday Tomorrow Monday Tuesday Wednesday
Thursday Friday Saturday Sunday January February March April May June July August September October
November December According Asked Still Also Even Just Only Meanwhile However Moreover Indeed Instead
Later Earlier Last Next Some Many Most Several Both All Each Every Another Other Others Such Any No
Not Few One Two Three Four Five Six Seven Eight Nine Ten Once Yes Well Oh Please Thank Thanks Let
Like Unlike Despite During Under Over Through Into Among Between Against Toward Towards Across Around
About Above Below Behind Beyond Near Outside Inside Amid Do Does Did Is Are Was Were Be Been Will
Would Could Should Can May Might Must Shall Has Have Had Why How Whatever Whoever Everyone Someone
Nobody Anyone Everything Something Nothing Anything Sure Perhaps Maybe Actually Really Finally First
Second Third Again Already Almost Always Never Ever Often Sometimes Soon Together Away Back Up Down
Out Mr Mrs Ms Dr Editor Note Read Watch Click Share Follow Subscribe Photo Video Image Getty AP
Reuters Selon Pour Par Le La Les Un Une Des Du Et Mais Laut Der Die Das Ein Eine Und Aber Según El Los
Las Y Pero Secondo Il Gli Volgens Het Een En Neither Either Alongside Whether Unless Along Said Says Stated Added Wrote Replied Explained Noted
Continued Told Warned Insisted Afterwards Afterward Separately Previously Subsequently Recently
Additionally Similarly Likewise Nonetheless Nevertheless Otherwise""".split())

# Final words that make a run an organisation, place or thing rather than a person.
ORG_HEADS = frozenset(w.lower() for w in """House Times Post News Party Committee Center Centre
Institute University College Department Ministry Agency Council Commission Court Senate Congress Union
Association Foundation Fund Bank Corp Corporation Inc Company Co Group Network Journal Magazine Channel
Forum Office Service Services Administration Campaign States State Kingdom Republic Nations Street
Avenue Square County City Island Islands Mountains River Bay Church Club Team Federation Tribune
Herald Gazette Review Press Radio TV Television Police Force Forces Army Navy Guard Bureau Board
School Hospital Airport Stadium Park Hall Tower Building Plaza Hotel Region Province Social Media
Organization Organisation Alliance Coalition Movement Caucus Project Program Programme Initiative Act
Bill Law Amendment Treaty Agreement Accord Plan Day Week Summit Conference Convention Debate Assembly
Parliament Cabinet Government Embassy Exchange Market Index Trust Capital Partners Holdings Ventures
Labs Systems Technologies Airlines Motors Street Wall Street Valley Coast Sea Ocean Gulf Strait Canal
Station Line Road Bridge Highway Museum Library Gallery Theatre Theater Festival Awards Prize Cup League
Championship Olympics Games Series Tour Open Region Zone Territory Province District Ward Community
Security Intelligence Defense Defence Affairs Relations Policy Research Studies Watch Monitor Group
Industries International Worldwide Global Limited Ltd LLC PLC AG SA Media Studios Pictures Records
Sciences Health Care Medicine Energy Oil Gas Power Electric Water Steel Mining Foods Brands Stores
Mall Center Centers Fire Rescue Democrats Republicans Americans Hispanics Latinos Tweet Twitter
Facebook Instagram YouTube Google Apple Microsoft Amazon Street Online Daily Weekly Monthly Sunday
Report Poll Survey Census Budget Service Supreme Reserve Chamber Commerce Lobby Economy Economics
Agenda Platform""".split())

_PARTICLES = frozenset("de del della van von der den bin al da di du la le dos das ibn y".split())
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


# (A NamedTuple, not a frozen dataclass: creating a dataclass costs ~0.4 ms of start-up.)
class Mention(NamedTuple):
    start: int
    end: int
    name: str              # the name with titles stripped ("Donald Trump")
    titles: tuple[str, ...]  # what was stripped in front, lowercase


def _strip_possessive(token: str) -> str:
    for tail in ("’s", "'s", "’", "'"):
        if token.endswith(tail) and len(token) > len(tail) + 1:
            return token[: -len(tail)]
    return token


def clean_run(run: str, surnames: frozenset[str] = frozenset()) -> tuple[str, tuple[str, ...]]:
    """(name, stripped titles) for a capitalised run; name is "" when nothing name-like is left.
    ``surnames``: words that are titles elsewhere but this article's surnames ("Cuban" of "Mark
    Cuban"), names even alone."""
    tokens = run.replace("\u00ad", "").split()
    if not tokens:
        return "", ()
    tokens[-1] = _strip_possessive(tokens[-1])
    if len(tokens) == 1 and tokens[0] in surnames:
        return tokens[0], ()
    # Leading function words ("But", "In") and titles go; the name is what follows the last one.
    cut = 0
    for i, tok in enumerate(tokens):
        low = tok.lower().rstrip(".")
        not_last = i < len(tokens) - 1
        # Function words only lead a run ("But", "In"); inside one they belong to the name
        # ("Marine Le Pen").  Titles and roles may sit anywhere before it ("House Speaker X").
        if not not_last and i > cut and low in TITLE_WORDS and low not in PERSON_TITLES and low not in ROLE_WORDS:
            break                # a word of origin after a name is a surname ("Mark Cuban"), no title
        if (low in FUNCTION_WORDS and cut == i) or low in TITLE_WORDS or tok.lower() in TITLE_WORDS or (
                not_last and low in ROLE_WORDS) or (
                tok.isupper() and "." not in tok and len(tok) > 1 and not_last):
            cut = i + 1
    if cut >= len(tokens) and cut > 0:
        # Everything looked like a title ("Mr. King"): the last word is the name after all.
        last = tokens[-1].rstrip(".")
        if last.lower() in FUNCTION_WORDS or len(tokens) == 1:
            return "", tuple(t.lower() for t in tokens)
        cut = len(tokens) - 1
    titles = tuple(t.lower() for t in tokens[:cut])
    rest = tokens[cut:]
    while rest and rest[-1].lower() in SUFFIXES:
        rest = rest[:-1]
    if not rest or (len(rest) == 1 and len(rest[0].rstrip(".")) == 1):
        return "", titles        # a lone initial ("(D)", "the letter Q") names nobody
    if rest[-1].lower() in ORG_HEADS and cut > 0:
        # "State Department", "Justice Department", "Republican National Committee": the words in
        # front of a body's head are its name, not titles.
        keep = cut
        while keep > 0 and tokens[keep - 1].lower() not in FUNCTION_WORDS and (
                (keep == cut and len(rest) == 1) or tokens[keep - 1].lower().rstrip(".") not in PERSON_TITLES) and (
                len(rest) == 1 or tokens[keep - 1].lower() not in ROLE_WORDS):   # "banker Tom Hall"
            keep -= 1
        if keep < cut:
            titles, rest = tuple(t.lower() for t in tokens[:keep]), tokens[keep:cut] + rest
    if len(rest) > 4:
        rest = rest[-3:]
    return " ".join(rest), titles


def iter_mentions(text: str, base: int = 0, surnames: frozenset[str] = frozenset()) -> Iterator[Mention]:
    """Every capitalised run of ``text`` that leaves a name once titles are stripped, in order
    (lazily: a caller after the first one, or the first person, reads no further)."""
    for m in _run_re(text).finditer(text):
        offset = m.start()
        # A possessive ends a name: "Peskov’s New York office" is two runs.
        for piece in _POSSESSIVE_SPLIT.split(m.group()):
            at = text.index(piece, offset)
            offset = at + len(piece)
            name, titles = clean_run(piece, surnames)
            if name:
                yield Mention(base + at, base + at + len(piece), name, titles)


def mentions(text: str, base: int = 0, surnames: frozenset[str] = frozenset()) -> list[Mention]:
    return list(iter_mentions(text, base, surnames))


def surname(name: str) -> str:
    parts = [p for p in name.split() if p.lower() not in SUFFIXES]
    return parts[-1] if parts else name


_LOWERCASE_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")
_APPOSITION = re.compile(r",\s+(?:(who|whose)\b|(\d{1,3}),|(?:(?:a|an|the)\s+)?([^,;.()]{1,60}))")


def _person_apposition(text: str, end: int) -> bool:
    """Whether the words after a full name describe a person: "Lena Ohm, 35,", "Lena Ohm, who …",
    "Lena Ohm, a senior analyst at …" (a role word in the apposition).  One word ("Washington,
    which …") is left alone: places and capitals stand there as often."""
    m = _APPOSITION.match(text, end, min(len(text), end + 80))
    if m is None:
        return False
    if m.group(1) or m.group(2):
        return True
    return any(w.lower().strip("’'s") in ROLE_WORDS for w in (m.group(3) or "").split()[:6])


def _after_role_apposition(text: str, start: int) -> bool:
    """Whether a full name stands in apposition after a role: "the spokesman for the city, Tom
    Hall", "el portavoz de la oposición, Andrés Gallego" (a role word among the five words
    before the comma)."""
    before = text[max(0, start - 60):start].rstrip()
    if not before.endswith(","):
        return False
    words = before[:-1].split()[-5:]
    return any(w.lower().strip("’'s") in ROLE_WORDS for w in words)


class NameIndex:
    """People the article names: surname -> full forms (with counts), and known genders."""
    # (A plain class, not a dataclass: creating a dataclass costs ~0.3 ms of start-up.)

    def __init__(self) -> None:
        self.forms: dict[str, Counter] = {}
        self.persons: set[str] = set()              # surnames that are people
        self.gender: dict[str, str] = {}            # surname -> "m" / "f"
        self.roles: dict[str, set] = {}             # role word -> surnames that hold it
        self.first_names: dict[str, set] = {}       # "Sarah" -> {"Sarah Gille"}
        self.lowercase_words: set[str] = set()      # every word the article writes in lowercase
        self._lead_words: dict[str, bool] = {}      # first word of a 3+ word form -> seen mid-sentence

    def role_holders(self, role: str) -> list[str]:
        """The people the article gives this role ("Senator Ruiz" for "the senator")."""
        holders = self.roles.get(ROLE_ALIASES.get(role, role), set()) & self.persons
        return sorted(self.full(h) for h in holders)

    def add(self, mention: Mention, text: str) -> None:
        name = mention.name
        last = surname(name)
        before = text[max(0, mention.start - 30):mention.start].split()
        prev_word = before[-1].lower().strip(",") if before else ""
        titles = set(mention.titles)
        evidence = bool(titles & HONORIFICS or titles & PERSON_TITLES or titles & ROLE_WORDS
                        or prev_word in ROLE_WORDS) or (" " in name and (
                            _person_apposition(text, mention.end) or _after_role_apposition(text, mention.start)))
        if last.lower() in FUNCTION_WORDS or (last.lower() in ORG_HEADS and not evidence):
            return               # "City Hall" is a place; "banker Tom Hall" is a person
        self.forms.setdefault(last, Counter())[name] += 1
        words = name.split()
        if len(words) >= 3:
            mid_sentence = text[:mention.start].rstrip()[-1:] not in ("", ".", "!", "?", "”", '"', "’")
            self._lead_words[words[0]] = self._lead_words.get(words[0], False) or mid_sentence
        if evidence:
            self.persons.add(last)
        for word in list(titles) + [prev_word]:
            role = ROLE_ALIASES.get(word.rstrip("."), word.rstrip("."))
            if role in ROLE_WORDS or role in PERSON_TITLES or role in TITLE_WORDS:
                # Party and origin words too: "Republican Tom Ekholm" … "the Republican said".
                self.roles.setdefault(role, set()).add(last)
        if titles & HONORIFICS_MALE:
            self.gender.setdefault(last, "m")
        elif titles & HONORIFICS_FEMALE:
            self.gender.setdefault(last, "f")

    def learn_lowercase(self, text: str) -> None:
        self.lowercase_words.update(_LOWERCASE_WORD.findall(text))

    def finish(self) -> None:
        self._drop_sentence_capitals()
        for last, counter in self.forms.items():
            multi = [f for f in counter if len(f.split()) >= 2]
            alone = counter.get(last, 0)
            # "Dmitry Peskov" … "Peskov" (or … "Dmitry"), unless that first word is a name of its
            # own, used alone far more often ("Trump" … "the Trump Train" names no person Train).
            by_first = any(f.split()[0] in self.forms and f.split()[0] in self.forms[f.split()[0]]
                           and not self._alone_mostly(f) for f in multi)
            if multi and (alone or by_first):
                if not any(w.lower() in ORG_HEADS for w in multi[0].split()):
                    self.persons.add(last)
        for last, counter in self.forms.items():
            if last in self.persons:
                for form in counter:
                    if len(form.split()) > 1:
                        self.first_names.setdefault(form.split()[0], set()).add(form)

    def _drop_sentence_capitals(self) -> None:
        """"Keeper Agnes Morrow said …" opening a sentence, and "the keeper" elsewhere: the first word
        is a common noun capitalised by its place, not a name, when the article writes it in
        lowercase and never capitalises it inside a sentence.  The name is "Agnes Morrow"."""
        for counter in self.forms.values():
            for form in [f for f in counter if len(f.split()) >= 3]:
                lead, rest = form.split(" ", 1)
                if self._lead_words.get(lead) is False and lead.lower() in self.lowercase_words:
                    counter[rest] += counter.pop(form)

    def title_surnames(self) -> frozenset[str]:
        """Surnames of people in the article that are title words elsewhere ("Mark Cuban")."""
        return frozenset(last for last in self.persons if last.lower() in TITLE_WORDS
                         and any(len(f.split()) > 1 for f in self.forms.get(last, ())))

    def is_person(self, name: str) -> bool:
        last = surname(name)
        if last.lower() in ORG_HEADS and " " not in name.strip():
            return False           # "University" alone is never a person ("Tom Hall" can be)
        return last in self.persons or self._by_first_name(name) is not None

    def _by_first_name(self, name: str) -> str | None:
        """"Sarah" for the article's one "Sarah Gille": a person named by first name only."""
        if " " in name.strip() or name in self.forms and any(len(f.split()) > 1 for f in self.forms[name]):
            return None
        matches = self.first_names.get(name, ())
        if len(matches) != 1 or self._alone_mostly(next(iter(matches))):
            return None
        return next(iter(matches))

    def _alone_mostly(self, form: str) -> bool:
        """Whether the first word of ``form`` stands alone far more often than ``form`` itself: a
        name of its own ("Trump" thirty times, "Trump Train" once), not a first name."""
        first = form.split()[0]
        alone = self.forms.get(first, Counter()).get(first, 0)
        return alone >= 3 and alone > 2 * self.forms.get(surname(form), Counter()).get(form, 0)

    def _recased(self, name: str) -> str:
        """A name in capitals ("WHITFIELD", "DANA WHITFIELD": a transcript's speaker label) as the
        article's prose writes it, when the prose names that person; else unchanged."""
        last = surname(name).lower()
        key = next((k for k in self.forms if k.lower() == last and not k.isupper()), None)
        if key is None:
            return name
        wanted = name.lower().split()
        return next((f for f in self.forms[key] if f.lower().split() == wanted), key)

    def full(self, name: str) -> str:
        """The fullest form of ``name`` the article uses (most words; ties: most used)."""
        if name.isupper() and len(name) > 2:
            name = self._recased(name)
        last = surname(name)
        by_first = self._by_first_name(name)
        if by_first is not None:
            return self.full(by_first)
        counter = self.forms.get(last)
        if not counter:
            return name
        first = name.split()[0] if len(name.split()) > 1 else None
        if first is not None and first.lower() in _PARTICLES:
            first = None                      # "De Miranda" is the surname of "Luis de Miranda"
        candidates = [f for f in counter if first is None or f.split()[0] == first] or list(counter)
        # Prefer the most frequent first name when several people share a surname.
        by_first: Counter = Counter()
        for f in candidates:
            if len(f.split()) > 1 and f.split()[0].lower() not in _PARTICLES:
                by_first[f.split()[0]] += counter[f]
        if by_first and first is None:
            top_first = by_first.most_common(1)[0][0]
            candidates = [f for f in candidates if f.split()[0] == top_first]
        return max(candidates, key=lambda f: (len(f.split()), counter[f], -len(f)))
