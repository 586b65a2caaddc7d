"""SettingsService (the house's identity, validated) and DocumentService (numbering per kind
and Paris year, SHA-256, bytes kept as printed)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from maison_app.db.models import Document, Setting
from maison_app.domain.enums import DocumentKind
from maison_app.domain.errors import NotFound, ValidationError
from maison_app.domain.records import MaisonIdentity
from maison_app.services.settings import MAX_LOGO_BYTES

UTC = dt.UTC
# PNG signature, then every byte value: not text, not UTF-8
LOGO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40 + b"\x00\xff"

IDENTITY = MaisonIdentity(
    name="Maison de l'ESS",
    organisation="Pôle Territorial de Coopération Économique Niortais",
    address="8 rue Joseph Cugnot",
    postcode="79000",
    city="Niort",
    siret="732 829 320 00074",
    phone="05 49 00 00 00",
    email="accueil@maison-ess-niort.fr",
    logo=LOGO,
)


def setting_rows(database) -> dict[str, tuple[str, bytes | None]]:
    with database.reading() as s:
        return {r.key: (r.value, r.blob) for r in s.scalars(select(Setting))}


# --- identity ---------------------------------------------------------------------------------------


def test_identity_of_a_new_database_is_the_default(services):
    identity = services.settings.identity()
    assert identity == MaisonIdentity()
    assert identity.name == "Maison de l'ESS"
    assert identity.logo is None


def test_identity_round_trip_with_logo(services):
    saved = services.settings.save_identity(IDENTITY)
    assert saved.siret == "73282932000074"  # spaces removed
    loaded = services.settings.identity()
    assert loaded == saved
    assert loaded.logo == LOGO
    assert isinstance(loaded.logo, bytes)
    assert loaded.organisation == "Pôle Territorial de Coopération Économique Niortais"
    assert loaded.address_line == "8 rue Joseph Cugnot, 79000 Niort"


def test_identity_is_shared_by_every_desk(services, database, clock):
    from maison_app.services.context import Actor
    from maison_app.services.registry import Services

    services.settings.save_identity(IDENTITY)
    other_desk = Services.build(database, actor=Actor(login="admin"), clock=clock)
    assert other_desk.settings.identity().logo == LOGO


def test_identity_saved_again_replaces_values_and_logo(services, database):
    services.settings.save_identity(IDENTITY)
    services.settings.save_identity(replace(IDENTITY, city="Chauray", postcode="79180",
                                            logo=None, phone=""))
    loaded = services.settings.identity()
    assert (loaded.city, loaded.postcode, loaded.phone) == ("Chauray", "79180", "")
    assert loaded.logo is None
    # one row per field, not one more per save
    keys = list(setting_rows(database))
    assert len(keys) == len(set(keys))
    assert all(k.startswith("identity.") for k in keys)


def test_identity_fields_are_trimmed_and_empty_siret_allowed(services):
    saved = services.settings.save_identity(replace(IDENTITY, name="  Maison de l'ESS  ",
                                                    siret="  ", email="", postcode=" 79000 "))
    assert saved.name == "Maison de l'ESS"
    assert saved.siret == ""
    assert saved.email == ""
    assert saved.postcode == "79000"
    assert services.settings.identity() == saved


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"siret": "73282932000075"}, "siret"),  # wrong Luhn key
        ({"siret": "1234"}, "siret"),
        ({"siret": "7328293200007A"}, "siret"),
        ({"email": "accueil@maison"}, "email"),
        ({"email": "accueil maison@ess.fr"}, "email"),
        ({"postcode": "7900"}, "postcode"),
        ({"postcode": "79 000"}, "postcode"),
        ({"postcode": "ABCDE"}, "postcode"),
        ({"name": "   "}, "name"),
        ({"city": "x" * 301}, "city"),
        ({"logo": b"\x89PNG" + b"\x00" * MAX_LOGO_BYTES}, "logo"),
    ],
)
def test_invalid_identity_is_refused_with_the_field(services, database, changes, field):
    services.settings.save_identity(IDENTITY)
    before = setting_rows(database)
    with pytest.raises(ValidationError) as info:
        services.settings.save_identity(replace(IDENTITY, **changes))
    assert info.value.field == field
    assert info.value.message and info.value.message[0].isupper()  # a French sentence
    # nothing written
    assert setting_rows(database) == before
    assert services.settings.identity().logo == LOGO


def test_siret_message_is_french(services):
    with pytest.raises(ValidationError) as info:
        services.settings.save_identity(replace(IDENTITY, siret="73282932000075"))
    assert "SIRET" in info.value.message and "clé de contrôle" in info.value.message


# --- documents --------------------------------------------------------------------------------------


def fake_pdf(number: str) -> bytes:
    return f"%PDF-1.4\n% {number}\n".encode() + bytes(range(256))


def test_numbering_runs_per_year(services, clock):
    first, content1 = services.documents.issue(kind=DocumentKind.LISTE_PRESENTS,
                                               subject="2 personnes", render=fake_pdf)
    clock.advance(minutes=1)
    second, content2 = services.documents.issue(kind=DocumentKind.LISTE_PRESENTS,
                                                subject="3 personnes", render=fake_pdf)
    assert (first.number, second.number) == ("LP-2026-0001", "LP-2026-0002")
    assert content1 == fake_pdf("LP-2026-0001")  # render was given the number
    assert content2 == fake_pdf("LP-2026-0002")

    clock.now = dt.datetime(2027, 1, 4, 8, tzinfo=UTC)
    new_year, _content = services.documents.issue(kind=DocumentKind.LISTE_PRESENTS,
                                                  subject="", render=fake_pdf)
    assert new_year.number == "LP-2027-0001"
    clock.advance(minutes=1)
    assert services.documents.issue(kind=DocumentKind.LISTE_PRESENTS, subject="",
                                    render=fake_pdf)[0].number == "LP-2027-0002"


def test_the_year_is_the_paris_year(services, clock):
    clock.now = dt.datetime(2026, 12, 31, 22, 59, tzinfo=UTC)  # 23:59 Paris, 31 December
    before, _ = services.documents.issue(kind=DocumentKind.LISTE_PRESENTS, subject="",
                                         render=fake_pdf)
    clock.now = dt.datetime(2026, 12, 31, 23, 1, tzinfo=UTC)  # 00:01 Paris, 1 January
    after, _ = services.documents.issue(kind=DocumentKind.LISTE_PRESENTS, subject="",
                                        render=fake_pdf)
    assert before.number == "LP-2026-0001"
    assert after.number == "LP-2027-0001"


def test_archive_keeps_bytes_and_sha256(services, clock, database):
    record, content = services.documents.issue(kind=DocumentKind.LISTE_PRESENTS,
                                               subject="Évacuation — 12 présents", render=fake_pdf)
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert len(record.sha256) == 64
    assert record.size == len(content)
    assert record.filename == "LP-2026-0001.pdf"
    assert record.subject == "Évacuation — 12 présents"
    assert record.author == "accueil-test"
    assert record.issued_at == clock()
    assert record.kind is DocumentKind.LISTE_PRESENTS
    stored = services.documents.content(document_id=record.id)
    assert stored == content
    assert hashlib.sha256(stored).hexdigest() == record.sha256
    with database.reading() as s:
        row = s.get(Document, record.id)
        assert (row.year, row.sequence) == (2026, 1)


def test_long_subject_is_cut(services):
    record, _ = services.documents.issue(kind=DocumentKind.LISTE_PRESENTS, subject="é" * 400,
                                         render=fake_pdf)
    assert record.subject == "é" * 300


def test_failed_render_archives_nothing(services, database):
    def broken(number: str) -> bytes:
        raise RuntimeError("reportlab failed")

    with pytest.raises(RuntimeError):
        services.documents.issue(kind=DocumentKind.LISTE_PRESENTS, subject="", render=broken)
    with database.reading() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0
    record, _ = services.documents.issue(kind=DocumentKind.LISTE_PRESENTS, subject="",
                                         render=fake_pdf)
    assert record.number == "LP-2026-0001"


def test_recent_is_newest_first_and_limited(services, clock):
    numbers = []
    for _i in range(4):
        numbers.append(services.documents.issue(kind=DocumentKind.LISTE_PRESENTS, subject="",
                                                render=fake_pdf)[0].number)
        clock.advance(minutes=1)
    assert [d.number for d in services.documents.recent()] == numbers[::-1]
    assert [d.number for d in services.documents.recent(limit=2)] == numbers[:1:-1]
    assert [d.number for d in services.documents.recent(kind=DocumentKind.LISTE_PRESENTS)] \
        == numbers[::-1]


def test_content_of_an_unknown_document(services):
    with pytest.raises(NotFound) as info:
        services.documents.content(document_id=12345)
    assert "archives" in info.value.message
