"""Accounts: first administrator, login with a pause after failures, user management."""

from __future__ import annotations

import pytest

from maison_app.domain.accounts import LOCKOUT_SECONDS, MAX_FAILED_ATTEMPTS
from maison_app.domain.audit import AuditFilter
from maison_app.domain.enums import Role
from maison_app.domain.errors import Conflict, PermissionDenied, ValidationError
from maison_app.services.passwords import hash_password, verify_password
from maison_app.services.registry import Services


def as_user(services, user) -> Services:
    return Services.build(services.ctx.db, actor=services.accounts.actor_for(user),
                          clock=services.ctx.clock)


def test_passwords_are_hashed_with_a_salt_and_verified():
    one, two = hash_password("correct horse"), hash_password("correct horse")
    assert one != two and one.startswith("scrypt$")
    assert verify_password("correct horse", one)
    assert not verify_password("Correct horse", one)
    assert not verify_password("x", "not-a-hash")


def test_first_admin_then_login(services):
    assert not services.accounts.has_users()
    admin = services.accounts.create_first_admin(login=" Direction ", display_name="Claire",
                                                 password="maison-ess-2026")
    assert admin.login == "direction" and admin.role == Role.ADMINISTRATION
    assert services.accounts.has_users()
    with pytest.raises(Conflict):
        services.accounts.create_first_admin(login="autre", display_name="", password="12345678")
    user = services.accounts.authenticate(login="DIRECTION", password="maison-ess-2026")
    assert user.id == admin.id and user.last_login_at is not None


def test_bad_passwords_pause_the_account_then_it_opens_again(services, clock):
    services.accounts.create_first_admin(login="admin", display_name="", password="bon-mot-2026")
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(PermissionDenied) as info:
            services.accounts.authenticate(login="admin", password="mauvais")
        assert info.value.message == "Identifiant ou mot de passe incorrect."
    with pytest.raises(PermissionDenied) as info:  # even the right password waits
        services.accounts.authenticate(login="admin", password="bon-mot-2026")
    assert "réessayez dans" in info.value.message
    clock.advance(seconds=LOCKOUT_SECONDS + 1)
    assert services.accounts.authenticate(login="admin", password="bon-mot-2026").login == "admin"


def test_unknown_login_gets_the_same_message(services):
    with pytest.raises(PermissionDenied) as info:
        services.accounts.authenticate(login="personne", password="x")
    assert info.value.message == "Identifiant ou mot de passe incorrect."


def test_admin_manages_users_and_a_disabled_account_cannot_log_in(services):
    admin = services.accounts.create_first_admin(login="admin", display_name="", password="admin-2026")
    desk = as_user(services, admin)
    accueil = desk.accounts.create_user(login="accueil", display_name="Lina", role=Role.ACCUEIL,
                                        password="accueil-2026")
    with pytest.raises(ValidationError) as info:
        desk.accounts.create_user(login="accueil", display_name="", role=Role.ACCUEIL,
                                  password="accueil-2026")
    assert info.value.field == "login"
    with pytest.raises(ValidationError) as info:
        desk.accounts.create_user(login="court", display_name="", role=Role.ACCUEIL, password="123")
    assert info.value.field == "password"
    assert [u.login for u in desk.accounts.users()] == ["accueil", "admin"]

    desk.accounts.set_active(user_id=accueil.id, active=False)
    with pytest.raises(PermissionDenied) as info:
        services.accounts.authenticate(login="accueil", password="accueil-2026")
    assert "désactivé" in info.value.message
    desk.accounts.set_active(user_id=accueil.id, active=True)
    desk.accounts.reset_password(user_id=accueil.id, password="nouveau-2026")
    assert services.accounts.authenticate(login="accueil", password="nouveau-2026").id == accueil.id

    with pytest.raises(Conflict):  # nobody locks the house out
        desk.accounts.set_active(user_id=admin.id, active=False)


def test_the_password_never_reaches_the_audit_trail(services):
    services.accounts.create_first_admin(login="admin", display_name="", password="secret-2026")
    (entry,) = services.audit.entries(where=AuditFilter(entity="app_user"))
    assert "password_hash: ••••" in entry.summary
    assert "scrypt" not in entry.summary and "secret" not in entry.summary


def test_a_role_without_the_right_is_refused_by_the_service(services):
    admin = services.accounts.create_first_admin(login="admin", display_name="", password="admin-2026")
    desk = as_user(services, admin)
    user = desk.accounts.create_user(login="accueil", display_name="", role=Role.ACCUEIL,
                                     password="accueil-2026")
    reception = as_user(services, user)
    with pytest.raises(PermissionDenied) as info:
        reception.accounts.users()
    assert "Votre rôle (Accueil) ne permet pas" in info.value.message
    with pytest.raises(PermissionDenied):
        reception.audit.entries()
    assert reception.people.search(query="xx").hits == ()  # reception may search people
