"""Permissions are enforced here, in the services, not only by hiding buttons.

Every public service method declares what it needs with `@requires(area, access)` (or
`@public` for the few a person uses before logging in, `@internal` for those only other
services call, which check for themselves). A forbidden call raises PermissionDenied with
a French sentence; the screens ask `can(...)` to hide or disable what the role cannot do.
tests/services/test_permissions.py checks every method of every service against the matrix.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from maison_app.domain.errors import PermissionDenied
from maison_app.domain.permissions import Access, Area, allowed
from maison_app.i18n import _

F = TypeVar("F", bound=Callable)
PERMISSION_ATTR = "__permission__"
PUBLIC = "public"
INTERNAL = "internal"


def requires(area: Area, access: Access) -> Callable[[F], F]:
    def decorate(method: F) -> F:
        @functools.wraps(method)
        def checked(self, *args, **kwargs):
            role = self.ctx.actor.role
            if not allowed(role, area, access):
                raise PermissionDenied(
                    _("Votre rôle ({role}) ne permet pas cette action ({area}, {access}).").format(
                        role=role.label, area=area.label, access=access.label)
                )
            return method(self, *args, **kwargs)

        setattr(checked, PERMISSION_ATTR, (area, access))
        return checked  # type: ignore[return-value]

    return decorate


def public(method: F) -> F:
    """Open to anyone, logged in or not (logging in, for instance)."""
    setattr(method, PERMISSION_ATTR, PUBLIC)
    return method


def internal(method: F) -> F:
    """Called by other services only, which have checked the permission themselves."""
    setattr(method, PERMISSION_ATTR, INTERNAL)
    return method


def declared(method) -> object:
    return getattr(method, PERMISSION_ATTR, None)


def can(actor, area: Area, access: Access) -> bool:
    """For the screens: may this actor do it? (The service checks again anyway.)"""
    return allowed(actor.role, area, access)
