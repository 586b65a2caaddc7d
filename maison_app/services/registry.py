"""All the services of one opened database, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from maison_app.services.accounts import AccountService
from maison_app.services.agreements import AgreementsService
from maison_app.services.audit import AuditService
from maison_app.services.backup import BackupService
from maison_app.services.bookings import BookingsService
from maison_app.services.catalogue import CatalogueService
from maison_app.services.privacy import PrivacyService
from maison_app.services.retention import RetentionService
from maison_app.services.context import Actor, Database, ServiceContext
from maison_app.services.documents import DocumentService
from maison_app.services.hosting_texts import HostingTextsService
from maison_app.services.mail import MailService
from maison_app.services.member_io import MemberIOService
from maison_app.services.members import MembersService
from maison_app.services.memberships import MembershipService
from maison_app.services.people import PeopleService
from maison_app.services.projects import ProjectsService
from maison_app.services.reception import ReceptionService
from maison_app.services.settings import SettingsService
from maison_app.services.spaces import SpacesService
from maison_app.services.workshops import WorkshopsService


@dataclass(frozen=True)
class Services:
    ctx: ServiceContext
    people: PeopleService
    reception: ReceptionService
    settings: SettingsService
    documents: DocumentService
    audit: AuditService
    accounts: AccountService
    backups: BackupService
    retention: RetentionService
    privacy: PrivacyService
    members: MembersService
    memberships: MembershipService
    spaces: SpacesService
    member_io: MemberIOService
    projects: ProjectsService
    agreements: AgreementsService
    mail: MailService
    hosting_texts: HostingTextsService
    bookings: BookingsService
    workshops: WorkshopsService
    catalogue: CatalogueService

    @classmethod
    def build(cls, db: Database, actor: Actor | None = None, clock=None) -> Services:
        ctx = ServiceContext(db=db)
        if actor is not None:
            ctx.actor = actor
        if clock is not None:
            ctx.clock = clock
        return cls(
            ctx=ctx,
            people=PeopleService(ctx),
            reception=ReceptionService(ctx),
            settings=SettingsService(ctx),
            documents=DocumentService(ctx),
            audit=AuditService(ctx),
            accounts=AccountService(ctx),
            backups=BackupService(ctx),
            retention=RetentionService(ctx),
            privacy=PrivacyService(ctx),
            members=MembersService(ctx),
            memberships=MembershipService(ctx),
            spaces=SpacesService(ctx),
            member_io=MemberIOService(ctx),
            projects=ProjectsService(ctx),
            agreements=AgreementsService(ctx),
            mail=MailService(ctx),
            hosting_texts=HostingTextsService(ctx),
            bookings=BookingsService(ctx),
            workshops=WorkshopsService(ctx),
            catalogue=CatalogueService(ctx),
        )

    def for_actor(self, actor: Actor) -> Services:
        """The same database and clock, acting as `actor` (the person who logged in)."""
        return Services.build(self.ctx.db, actor=actor, clock=self.ctx.clock)

    @property
    def database_description(self) -> str:
        return self.ctx.db.description
