"""The catalogue search (pure): realistic queries against the demo catalogue, and its parts."""

from __future__ import annotations

import pytest

from sigap.catalogue import search
from sigap.catalogue.life_events import STANDARD_LIFE_EVENTS
from sigap.demo import content

LIFE_EVENT_NAMES = {code: name for code, name, _description in STANDARD_LIFE_EVENTS}
UNIT_NAMES = {u.key: u.name for u in content.UNITS}
# The demo kabupaten's catalogue as the page builds it (sigap.frontdoor.selectors.entries).
ENTRIES = tuple(
    search.service_entry(
        code=s.code,
        name=s.name,
        product=s.product,
        unit=UNIT_NAMES[s.unit],
        life_events=[LIFE_EVENT_NAMES[e] for e in content.life_events_of(s.code)],
        requirements=s.requirements,
    )
    for s in content.SERVICES
)


def keys(query: str) -> list[str]:
    return [hit.key for hit in search.search(query, ENTRIES)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # What people type: old spellings, everyday words, typos, abbreviations.
        ("akte lahir", "dukcapil-akta-lahir"),
        ("Akta Kelahiran", "dukcapil-akta-lahir"),
        ("akta kelahrian", "dukcapil-akta-lahir"),  # a typo (transposed letters)
        ("bikin akte kelahiran anak", "dukcapil-akta-lahir"),
        ("ktp hilang", "dukcapil-ktp-el"),  # no replacement service: the KTP-el one
        ("e-KTP", "dukcapil-ktp-el"),
        ("KTP-el", "dukcapil-ktp-el"),
        ("cara bikin ktp", "dukcapil-ktp-el"),
        ("kk", "dukcapil-kk"),
        ("kartu keluarga", "dukcapil-kk"),
        ("izin usaha", "dpmptsp-nib"),
        ("ijin usaha", "dpmptsp-nib"),
        ("siup", "dpmptsp-nib"),
        ("NIB", "dpmptsp-nib"),
        ("imb", "dpmptsp-pbg"),  # the old name of the building approval
        ("izin mendirikan bangunan", "dpmptsp-pbg"),
        ("nikah", "dukcapil-akta-kawin"),
        ("perkawnan", "dukcapil-akta-kawin"),
        ("meninggal dunia", "dukcapil-akta-mati"),
        ("cara mengurus akta kematian", "dukcapil-akta-mati"),
        ("surat pindah", "dukcapil-pindah"),
        ("pindah sekolah", "disdik-mutasi-siswa"),
        ("legalisir ijazah", "disdik-legalisir-ijazah"),
        ("ijazah hilang", "disdik-pengganti-ijazah"),
        ("izin praktek dokter", "dpmptsp-sip-dokter"),
        ("apotik", "dpmptsp-apotek"),
        ("uji kir", "dishub-kir"),
        ("baliho", "dpmptsp-reklame"),
        ("surat tidak mampu", "dinsos-sktm"),
        ("resume medis", "rsud-resume-medis"),
        ("naik pangkat", "bkpsdm-kenaikan-pangkat"),
        ("akt", "dukcapil-akta-cerai"),  # typing in progress: every akta, by code
    ],
)
def test_realistic_queries_find_the_service_first(query, first):
    assert keys(query)[:1] == [first], keys(query)[:5]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("surat sehat", {"pkm-sukamaju-sks", "pkm-cibening-sks", "pkm-gunungsari-sks", "rsud-sks"}),
        ("akte", {"dukcapil-akta-lahir", "dukcapil-akta-mati", "dukcapil-akta-kawin",
                  "dukcapil-akta-cerai"}),
    ],
)  # fmt: skip
def test_queries_with_several_equal_answers_find_them_all_first(query, expected):
    assert set(keys(query)[: len(expected)]) == expected


def test_the_service_answering_every_word_ranks_above_those_answering_one():
    found = keys("akte lahir")
    assert found.index("dukcapil-akta-lahir") < found.index("dukcapil-akta-mati")
    assert found.index("dukcapil-akta-lahir") < found.index("dukcapil-kia")


@pytest.mark.parametrize("query", ["xyzzy plugh", "qwertyuiop", "zzz", "", "   ", "!!! ???", "sim"])
def test_nonsense_finds_nothing(query):
    # "sim": the driving licence is the police's, not the kabupaten's; it must not be read as a
    # typo of "sip" (surat izin praktik): short words get no typo allowance.
    assert keys(query) == []


def test_results_are_stable_and_limited():
    assert keys("surat") == keys("surat")
    assert len(search.search("surat", ENTRIES, limit=3)) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Penerbitan KTP-el", ["penerbitan", "ktp"]),
        ("e-KTP", ["ktp"]),
        ("AKTE Kelahiran!", ["akta", "kelahiran"]),
        ("Surat Izin Mengemudi (SIM)", ["sim", "sim"]),
        ("ijin praktek", ["izin", "praktik"]),
        ("KK", ["kartu", "keluarga"]),
        ("Pengesahan — Camat, café", ["pengesahan", "camat", "cafe"]),
    ],
)
def test_normalisation(text, expected):
    assert search.words(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("kelahiran", "lahir"),
        ("kematian", "mati"),
        ("perkawinan", "kawin"),
        ("perpindahan", "pindah"),
        ("kehilangan", "hilang"),
        ("kesehatan", "sehat"),
        ("pembuatan", "buat"),
        ("akta", "akta"),  # too short to have a confix
        ("layanan", "layanan"),  # "lay" would be too short a stem
    ],
)
def test_stem(word, expected):
    assert search.stem(word) == expected


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        ("akta", "akta", 1, 0),
        ("kelahiran", "kelahrian", 2, 1),  # a transposition is one edit
        ("kelahiran", "kelahran", 2, 1),
        ("kelahiran", "kematian", 2, 3),  # more than the limit: limit + 1
        ("ktp", "kartu", 1, 2),
    ],
)
def test_distance(a, b, limit, expected):
    assert search.distance(a, b, limit) == expected


@pytest.mark.parametrize(
    ("query_word", "target", "expected"),
    [
        ("akta", "akta", search.EXACT),
        ("lahir", "kelahiran", search.STEM),
        ("kela", "kelahiran", search.PREFIX),
        ("kelahrian", "kelahiran", search.TYPO),
        ("sim", "sip", 0.0),
        ("hilang", "bidang", 0.0),  # two edits on a six-letter word: no
        ("kehilangan", "bidang", 0.0),  # nor through its stem
    ],
)
def test_match(query_word, target, expected):
    assert search.match(query_word, target) == expected


def test_every_synonym_leads_somewhere_in_the_demo_catalogue():
    """A synonym whose words match no demo service is a typo in the table (or a dead entry)."""
    vocabulary = {w for entry in ENTRIES for text, _w in entry.texts for w in search.words(text)}
    dead = [
        (key, target)
        for key, targets in search.SYNONYMS.items()
        for target in targets
        if not all(any(search.match(w, t) for t in vocabulary) for w in search.words(target))
    ]
    assert not dead
