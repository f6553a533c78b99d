"""Search of the public catalogue that forgives typos and everyday words (pure, no Django).

A citizen types what they would say at the counter ("akte lahir", "ktp hilang", "izin usaha"),
not the name in the service standard ("Penerbitan Akta Kelahiran"). So both the query and every
service's texts go through the same Indonesian normalisation (lowercase, accents and punctuation
out, spelling variants such as akte/akta, e-KTP/KTP-el, ijin/izin folded into one form, a light
stemmer for the ke-/per-/pe- …-an nouns so "lahir" meets "kelahiran"), everyday words are
expanded through a synonym table kept as data (`SYNONYMS`), and each query word matches a
service's word exactly, by prefix (typing in progress) or within a small edit distance (a typo).

The score of a service is the sum, over the query's words, of the best match in its weighted
texts (name above product above unit above requirements), times the share of query words that
matched at all: a service that answers every word beats one that answers a single word loudly.
A query whose words match nothing finds nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

# Spelling variants: every form on the left is read as the one on the right (after hyphens are
# joined, so "KTP-el" is "ktpel" and "e-KTP" is "ektp").
VARIANTS: dict[str, str] = {
    "akte": "akta",
    "ktpel": "ktp",
    "ektp": "ktp",
    "ijin": "izin",
    "praktek": "praktik",
    "apotik": "apotek",
    "sertipikat": "sertifikat",
    "kwitansi": "kuitansi",
    "legalisasi": "legalisir",
    "rs": "rumah sakit",
    "rsud": "rumah sakit",
    "kk": "kartu keluarga",
    "surat izin mengemudi": "sim",
    "surat izin usaha perdagangan": "siup",
    "nomor induk berusaha": "nib",
    "tanda daftar perusahaan": "tdp",
    "izin mendirikan bangunan": "imb",
    "persetujuan bangunan gedung": "pbg",
}

# Everyday words and old names → the words the catalogue uses. A key may be several words; the
# values are alternatives (any of them answering counts as the word answering).
SYNONYMS: dict[str, tuple[str, ...]] = {
    # Births, deaths, marriages
    "lahir": ("kelahiran",),
    "bayi": ("kelahiran", "anak"),
    "anak": ("kelahiran", "kia"),
    "nikah": ("perkawinan", "kawin"),
    "menikah": ("perkawinan", "kawin"),
    "kawin": ("perkawinan",),
    "buku nikah": ("perkawinan",),
    "cerai": ("perceraian",),
    "meninggal": ("kematian",),
    "meninggal dunia": ("kematian",),
    "wafat": ("kematian",),
    "mati": ("kematian",),
    "warisan": ("ahli waris",),
    "waris": ("ahli waris",),
    # Identity documents
    "identitas": ("ktp", "kia"),
    "kartu anak": ("kia",),
    "hilang": ("kehilangan",),
    # Moving house
    "pindah": ("pindah", "perpindahan", "domisili"),
    "pindah rumah": ("pindah", "domisili"),
    "alamat": ("domisili", "pindah"),
    "datang": ("pindah datang",),
    # Business
    "usaha": ("usaha", "nib", "izin"),
    "izin usaha": ("nib", "izin usaha"),
    "siup": ("nib", "izin usaha"),
    "tdp": ("nib", "izin usaha"),
    "umkm": ("nib", "izin usaha"),
    "dagang": ("nib", "izin usaha"),
    "warung": ("nib", "izin usaha"),
    "toko": ("nib", "izin usaha"),
    "katering": ("jasa boga", "higiene"),
    "catering": ("jasa boga", "higiene"),
    "imb": ("pbg", "bangunan gedung"),
    "bangun rumah": ("pbg", "bangunan gedung"),
    "rumah": ("bangunan",),
    "baliho": ("reklame",),
    "spanduk": ("reklame",),
    "iklan": ("reklame",),
    # Health
    "sakit": ("rujukan", "sehat"),
    "berobat": ("rujukan",),
    "dokter": ("dokter", "sehat"),
    "bpjs": ("bpjs", "pbi", "kis"),
    "surat sehat": ("keterangan sehat",),
    "rekam medis": ("resume medis",),
    # Education
    "sekolah": ("sekolah", "ijazah", "siswa"),
    "pindah sekolah": ("mutasi", "siswa"),
    "ijazah hilang": ("pengganti ijazah",),
    # Social assistance
    "miskin": ("tidak mampu", "dtks"),
    "tidak mampu": ("tidak mampu", "dtks"),
    "bansos": ("dtks",),
    # Vehicles and transport
    "kir": ("kir", "uji"),
    "uji kendaraan": ("kir",),
    "mobil": ("kendaraan",),
    "motor": ("kendaraan",),
    "angkot": ("trayek", "angkutan"),
    "angkutan": ("trayek", "angkutan"),
    # Civil servants
    "naik pangkat": ("kenaikan pangkat",),
}

# Words that say little about which service ("surat", "bikin"): they never find a service on
# their own and never count against one, but among the services the other words found, one that
# also has them ranks a little higher ("surat pindah": the Surat Keterangan Pindah first).
_STOP = """
    bagaimana gimana cara mau ingin saya kami aku mengurus urus ngurus bikin buat membuat
    pembuatan penerbitan pelayanan layanan permohonan pengurusan syarat persyaratan untuk yang
    dan atau di ke dari dengan ini itu apa surat minta meminta tolong dimana mana baru
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP.split())

# Weights of a match: exact word, its stem, a word being typed, a typo.
EXACT, STEM, PREFIX, TYPO = 1.0, 0.9, 0.8, 0.7
SYNONYM_FACTOR = 0.9
STOP_FACTOR = 0.2

_NON_WORD = re.compile(r"[^a-z0-9\s]+")
_HYPHENATED = re.compile(r"(?<=[a-z0-9])-(?=[a-z0-9])")
# Confixes of Indonesian nouns (ke-…-an, per-…-an, pe(N)-…-an), longest prefix first.
_PREFIXES = ("peng", "peny", "per", "pem", "pen", "ke", "pe")


def fold(text: str) -> str:
    """Lowercase, accents removed, hyphenated words joined, other punctuation as spaces."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = _HYPHENATED.sub("", plain)
    return " ".join(_NON_WORD.sub(" ", plain).split())


def _apply_phrases(words: list[str], table: dict[str, str]) -> list[str]:
    """Replace the table's single- and multi-word keys (longest first) by their values."""
    out: list[str] = []
    i = 0
    longest = max(len(k.split()) for k in table)
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            if phrase in table:
                out.extend(table[phrase].split())
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


def words(text: str) -> list[str]:
    """The normalised words of a text: folded, spelling variants read as one form."""
    return _apply_phrases(fold(text).split(), VARIANTS)


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A light stem: "kelahiran" → "lahir", "perkawinan" → "kawin", "kematian" → "mati".

    Only the noun confixes and "-nya"; the stem must keep four letters, so short words stay.
    """
    if word.endswith("nya") and len(word) - 3 >= 4:
        word = word[:-3]
    if word.endswith("an"):
        for prefix in _PREFIXES:
            core = word[len(prefix) : -2]
            if word.startswith(prefix) and len(core) >= 4:
                return core
    return word


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment), or `limit` + 1
    once it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def typo_allowance(word: str) -> int:
    """How many typos a query word may carry: none under five letters (too many short words
    are one letter apart: sim/sip, kia/kir), one up to seven, two from eight."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 8 else 2


def match(query_word: str, target: str) -> float:
    """How well one (normalised) query word matches one (normalised) word of a text."""
    if query_word == target:
        return EXACT
    if stem(query_word) == stem(target):
        return STEM
    if len(query_word) >= 3 and target.startswith(query_word):
        return PREFIX
    allowed = typo_allowance(query_word)
    if allowed and distance(query_word, target, allowed) <= allowed:
        return TYPO
    # A typo in the stem ("kelahrian" is "kelahiran"), allowed as for a word of the stem's size.
    root = stem(query_word)
    allowed = typo_allowance(root)
    if allowed and root != query_word and distance(root, stem(target), allowed) <= allowed:
        return TYPO
    return 0.0


@dataclass(frozen=True, slots=True)
class Entry:
    """A searchable item: its key and its texts with their weights."""

    key: str
    texts: tuple[tuple[str, float], ...]


# How much a match in each text of a service counts.
WEIGHTS = {
    "name": 3.0,
    "product": 2.0,
    "code": 1.5,
    "life_events": 1.5,
    "unit": 1.0,
    "requirements": 0.5,
}


def service_entry(
    *,
    code: str,
    name: str,
    product: str = "",
    unit: str = "",
    life_events: Iterable[str] = (),
    requirements: Iterable[str] = (),
) -> Entry:
    """A service as a search entry; the code's parts count as words ("dukcapil-akta-lahir")."""
    texts = {
        "name": name,
        "product": product,
        "code": code.replace("-", " "),
        "life_events": " ".join(life_events),
        "unit": unit,
        "requirements": " ".join(requirements),
    }
    return Entry(code, tuple((text, WEIGHTS[k]) for k, text in texts.items() if text))


@dataclass(frozen=True, slots=True)
class Hit:
    key: str
    score: float


@dataclass(frozen=True, slots=True)
class Term:
    """One word (or phrase) of the query with its alternatives from the synonym table."""

    text: str
    alternatives: tuple[tuple[str, ...], ...] = field(default=())
    """Each alternative is a sequence of words that must all match."""
    stop: bool = False
    """A stop word: a small bonus, never a hit on its own (`STOP_WORDS`)."""


def parse(query: str) -> list[Term]:
    """The query's terms: normalised, everyday phrases expanded, stop words marked (unless the
    query has nothing else). Phrases are read first: "surat sehat" is one term, not a stop word."""
    raw = words(query)
    terms: list[Term] = []
    longest = max(len(k.split()) for k in SYNONYMS)
    i = 0
    while i < len(raw):
        for size in range(min(longest, len(raw) - i), 0, -1):
            phrase = " ".join(raw[i : i + size])
            if phrase in SYNONYMS:
                options = [tuple(phrase.split())] + [tuple(words(s)) for s in SYNONYMS[phrase]]
                terms.append(Term(phrase, tuple(dict.fromkeys(options))))
                i += size
                break
        else:
            terms.append(Term(raw[i], ((raw[i],),), stop=raw[i] in STOP_WORDS))
            i += 1
    if all(term.stop for term in terms):
        return [Term(t.text, t.alternatives) for t in terms]
    return terms


_Scores = dict[str, dict[str, float]]
"""Query word → the catalogue's words it matches, with how well."""


@dataclass(frozen=True, slots=True)
class _Indexed:
    key: str
    texts: tuple[tuple[frozenset[str], float], ...]


@lru_cache(maxsize=8)
def index(entries: tuple[Entry, ...]) -> tuple[_Indexed, ...]:
    """The entries' texts as sets of normalised words (cached: the catalogue rarely changes)."""
    return tuple(
        _Indexed(e.key, tuple((frozenset(words(text)), weight) for text, weight in e.texts))
        for e in entries
    )


def _phrase_score(phrase: Sequence[str], vocab: frozenset[str], scores: _Scores) -> float:
    """All words of an alternative must match; its score is their weakest match."""
    worst = 1.0
    for word in phrase:
        best = max((s for target, s in scores[word].items() if target in vocab), default=0.0)
        if best == 0.0:
            return 0.0
        worst = min(worst, best)
    return worst


def _term_score(term: Term, item: _Indexed, scores: _Scores) -> float:
    best = 0.0
    for vocab, weight in item.texts:
        for n, alternative in enumerate(term.alternatives):
            factor = 1.0 if n == 0 else SYNONYM_FACTOR
            best = max(best, _phrase_score(alternative, vocab, scores) * weight * factor)
    return best


def search(query: str, entries: Sequence[Entry], *, limit: int = 50) -> list[Hit]:
    """The entries matching `query`, most relevant first (ties by key, so the order is stable)."""
    terms = parse(query)
    if not terms:
        return []
    items = index(tuple(entries))
    vocabulary = {word for item in items for vocab, _w in item.texts for word in vocab}
    # Each query word against each distinct word of the catalogue once, not once per service.
    query_words = {w for term in terms for alternative in term.alternatives for w in alternative}
    scores: _Scores = {
        qw: {t: s for t in vocabulary if (s := match(qw, t)) > 0} for qw in query_words
    }
    significant = [t for t in terms if not t.stop]
    stops = [t for t in terms if t.stop]
    hits = []
    for item in items:
        per_term = [_term_score(term, item, scores) for term in significant]
        matched = sum(1 for s in per_term if s > 0)
        if matched:
            coverage = matched / len(significant)
            bonus = STOP_FACTOR * sum(_term_score(t, item, scores) for t in stops)
            hits.append(Hit(item.key, round(sum(per_term) * coverage * coverage + bonus, 6)))
    hits.sort(key=lambda h: (-h.score, h.key))
    return hits[:limit]
