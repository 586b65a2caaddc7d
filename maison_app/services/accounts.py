"""Accounts and logins: the first administrator, authentication with a pause after
repeated failures, and user management for the administration."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from maison_app.db.models import User
from maison_app.domain.accounts import (
    LOCKOUT_SECONDS,
    MAX_FAILED_ATTEMPTS,
    UserRecord,
    check_login,
    check_password_rules,
)
from maison_app.domain.enums import Role
from maison_app.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from maison_app.domain.permissions import Access, Area
from maison_app.i18n import _
from maison_app.services.context import Actor, ServiceContext
from maison_app.services.passwords import hash_password, verify_password
from maison_app.services.permissions import public, requires


def _record(u: User) -> UserRecord:
    return UserRecord(id=u.id, login=u.login, display_name=u.display_name, role=Role(u.role),
                      active=u.active, last_login_at=u.last_login_at)


class AccountService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- before anyone is logged in -------------------------------------------------------

    @public
    def has_users(self) -> bool:
        with self.ctx.reading() as s:
            return (s.scalar(select(func.count()).select_from(User)) or 0) > 0

    @public
    def create_first_admin(self, *, login: str, display_name: str, password: str) -> UserRecord:
        """The administrator account, created on the first start. Refused once any
        account exists."""
        login = check_login(login)
        check_password_rules(password)
        with self.ctx.writing() as s:
            if s.scalar(select(func.count()).select_from(User)):
                raise Conflict(_("Un compte existe déjà : connectez-vous avec lui."))
            user = User(login=login, display_name=(display_name or "").strip()[:120],
                        role=Role.ADMINISTRATION, password_hash=hash_password(password))
            s.add(user)
            s.flush()
            return _record(user)

    @public
    def authenticate(self, *, login: str, password: str) -> UserRecord:
        """Check a login. After MAX_FAILED_ATTEMPTS failures in a row the account pauses for
        LOCKOUT_SECONDS; the message never says whether the login exists."""
        refused = PermissionDenied(_("Identifiant ou mot de passe incorrect."))
        now = self.ctx.now()
        with self.ctx.writing() as s:
            s.info["actor"] = (login or "").strip().lower()[:60] or "?"
            user = s.scalar(select(User).where(User.login == (login or "").strip().lower()))
            if user is None:
                raise refused
            if user.locked_until is not None and user.locked_until > now:
                seconds = int((user.locked_until - now).total_seconds()) + 1
                raise PermissionDenied(_("Trop d'essais manqués : réessayez dans {n} secondes.")
                                       .format(n=seconds))
            if not verify_password(password or "", user.password_hash):
                user.failed_attempts += 1
                if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
                    user.locked_until = now + dt.timedelta(seconds=LOCKOUT_SECONDS)
                    user.failed_attempts = 0
                s.flush()
                failure = refused
            elif not user.active:
                raise PermissionDenied(_("Ce compte est désactivé. Adressez-vous à "
                                         "l'administration."))
            else:
                user.failed_attempts = 0
                user.locked_until = None
                user.last_login_at = now
                s.flush()
                return _record(user)
        raise failure  # after the commit: the failed attempt is counted

    @public
    def actor_for(self, user: UserRecord) -> Actor:
        return Actor(login=user.login, role=user.role, user_id=user.id)

    # --- administration -----------------------------------------------------------------

    @requires(Area.USERS, Access.READ)
    def users(self) -> tuple[UserRecord, ...]:
        with self.ctx.reading() as s:
            return tuple(_record(u) for u in s.scalars(select(User).order_by(User.login)))

    @requires(Area.USERS, Access.WRITE)
    def create_user(self, *, login: str, display_name: str, role: Role,
                    password: str) -> UserRecord:
        login = check_login(login)
        check_password_rules(password)
        try:
            role = Role(role)
        except ValueError as exc:
            raise ValidationError(_("Choisissez un rôle."), field="role") from exc
        try:
            with self.ctx.writing() as s:
                user = User(login=login, display_name=(display_name or "").strip()[:120],
                            role=role, password_hash=hash_password(password))
                s.add(user)
                s.flush()
                return _record(user)
        except IntegrityError as exc:
            raise ValidationError(_("L'identifiant « {login} » est déjà pris.").format(
                login=login), field="login") from exc

    @requires(Area.USERS, Access.WRITE)
    def set_active(self, *, user_id: int, active: bool) -> UserRecord:
        with self.ctx.writing() as s:
            user = self._user(s, user_id)
            if not active and user.id == self.ctx.actor.user_id:
                raise Conflict(_("Vous ne pouvez pas désactiver votre propre compte."))
            if not active and user.role == Role.ADMINISTRATION and self._other_admins(s, user) == 0:
                raise Conflict(_("C'est le dernier compte d'administration actif : "
                                 "il ne peut pas être désactivé."))
            user.active = active
            s.flush()
            return _record(user)

    @requires(Area.USERS, Access.WRITE)
    def reset_password(self, *, user_id: int, password: str) -> UserRecord:
        check_password_rules(password)
        with self.ctx.writing() as s:
            user = self._user(s, user_id)
            user.password_hash = hash_password(password)
            user.failed_attempts = 0
            user.locked_until = None
            s.flush()
            return _record(user)

    @staticmethod
    def _user(s, user_id: int) -> User:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(_("Ce compte n'existe plus."))
        return user

    @staticmethod
    def _other_admins(s, user: User) -> int:
        return s.scalar(select(func.count()).select_from(User).where(
            User.role == Role.ADMINISTRATION, User.active.is_(True), User.id != user.id)) or 0
