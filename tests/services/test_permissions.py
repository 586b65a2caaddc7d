"""The whole permission matrix: each role against each service method.

Every public method of every service declares what it needs (@requires, @public or
@internal). For each role, a method the matrix forbids raises PermissionDenied before doing
anything; one it allows gets past the check (it may then fail on its missing arguments,
which proves the check let it through)."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from maison_app.domain.enums import Role
from maison_app.domain.errors import PermissionDenied
from maison_app.domain.permissions import MATRIX, Access, Area, allowed
from maison_app.services.context import Actor
from maison_app.services.permissions import INTERNAL, PUBLIC, declared
from maison_app.services.registry import Services


def service_methods(services: Services):
    for field in dataclasses.fields(services):
        if field.name == "ctx":
            continue
        service = getattr(services, field.name)
        for name, member in inspect.getmembers(type(service), inspect.isfunction):
            if not name.startswith("_"):
                yield field.name, name, member


def test_every_service_method_declares_its_permission(services):
    missing = [f"{svc}.{name}" for svc, name, fn in service_methods(services)
               if declared(fn) is None]
    assert not missing, f"declare @requires/@public/@internal on: {missing}"


def test_the_matrix_covers_every_role_and_area():
    for role in Role:
        assert set(MATRIX[role]) == set(Area)
    assert allowed(None, Area.USERS, Access.WRITE)  # the system itself


@pytest.mark.parametrize("role", list(Role))
def test_each_role_against_each_method(services, role):
    desk = Services.build(services.ctx.db, actor=Actor(login=f"test-{role}", role=role),
                          clock=services.ctx.clock)
    checked = 0
    for svc, name, fn in service_methods(desk):
        need = declared(fn)
        if need in (PUBLIC, INTERNAL):
            continue
        area, access = need
        method = getattr(getattr(desk, svc), name)
        try:
            method()  # no arguments: an allowed call fails later, on its arguments
        except PermissionDenied:
            assert not allowed(role, area, access), f"{role} refused {svc}.{name}"
        except Exception:  # noqa: BLE001 - past the check: fine
            assert allowed(role, area, access), f"{role} reached {svc}.{name}"
        else:
            assert allowed(role, area, access), f"{role} ran {svc}.{name}"
        checked += 1
    assert checked >= 15
