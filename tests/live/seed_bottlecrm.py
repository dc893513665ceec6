"""Seed a migrated BottleCRM database with synthetic tenants, users, tokens and PII-bearing records.

Runs inside BottleCRM's own venv (Python 3.12, Django, faker), never under pytest:

    DJANGO_SETTINGS_MODULE=bottle_local PYTHONPATH=<overlay dir> <venv>/bin/python seed_bottlecrm.py \
        --deployment careless --out credentials.json

Everything is synthetic (faker with a fixed seed). `careless` seeds what a neglected tenant looks like:
many admins, an admin who left but is still active, an unscoped personal access token that never expires,
resident identity numbers typed into free-text notes. `careful` seeds one admin, scoped and expiring tokens
and notes without identifiers. A second tenant exists in both, so the scan must stay inside its own org.

The scanner's credentials (an org-bound JWT, a personal access token and the org API key) are written to
`--out` (mode 0600), never printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
from pathlib import Path
from typing import Any

import django

django.setup()

from accounts.models import Account  # noqa: E402
from common.audit_log import SecurityAuditLog  # noqa: E402
from common.models import Org, PersonalAccessToken, Profile, User  # noqa: E402
from common.serializer import OrgAwareRefreshToken  # noqa: E402
from contacts.models import Contact  # noqa: E402
from django.utils import timezone  # noqa: E402
from faker import Faker  # noqa: E402
from leads.models import Lead  # noqa: E402
from opportunity.models import Opportunity  # noqa: E402

SEED = 8
ORG_NAME = "Acme Test Org"
OTHER_ORG_NAME = "Other Tenant Org"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def resident_id(rng: random.Random) -> str:
    """A synthetic PRC resident identity number with a valid check digit (GB 11643-1999)."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 40 * 365))
    body = f"{rng.choice(['110101', '310104', '440305', '510107'])}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    total = sum(int(digit) * weight for digit, weight in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK[total % 11]


def mobile(rng: random.Random) -> str:
    """A synthetic +86 mobile number."""
    return (
        f"+86 1{rng.choice('3578')}{rng.randrange(0, 10)} {rng.randrange(0, 10000):04d} {rng.randrange(0, 10000):04d}"
    )


def make_user(email: str, org: Org, role: str, *, active: bool = True, last_login: Any = None) -> Profile:
    """A user with a profile in `org`."""
    user, _ = User.objects.get_or_create(email=email)
    user.last_login = last_login
    user.save(update_fields=["last_login"])
    return Profile.objects.create(user=user, org=org, role=role, is_active=active)


def seed_people(org: Org, deployment: str, now: dt.datetime) -> Profile:
    """Users and roles; returns the admin profile the scanner acts as."""
    if deployment == "careless":
        admin = make_user("admin@example.com", org, "ADMIN", last_login=now)
        for index in range(1, 5):
            make_user(f"admin{index}@example.com", org, "ADMIN", last_login=now - dt.timedelta(days=index * 60))
        make_user("departed.admin@example.com", org, "ADMIN", last_login=now - dt.timedelta(days=400))
        make_user("never.signed.in@example.com", org, "ADMIN")
        for index in range(1, 3):
            make_user(f"user{index}@example.com", org, "USER", last_login=now - dt.timedelta(days=index))
    else:
        admin = make_user("li.wei@example.com", org, "ADMIN", last_login=now)
        for index in range(1, 11):
            make_user(f"rep{index}.sales@example.com", org, "USER", last_login=now - dt.timedelta(days=index))
        make_user("former.user@example.com", org, "USER", active=False, last_login=now - dt.timedelta(days=200))
    return admin


def seed_tokens(admin: Profile, deployment: str, now: dt.datetime) -> str:
    """Personal access tokens; returns the raw token the scanner uses."""
    if deployment == "careless":
        _, legacy = PersonalAccessToken.generate(admin, "legacy-sync")
        PersonalAccessToken.objects.filter(pk=legacy.pk).update(created_at=now - dt.timedelta(days=500))
        PersonalAccessToken.generate(admin, "zapier")
        raw, _ = PersonalAccessToken.generate(admin, "crmsec-scanner")
    else:
        PersonalAccessToken.generate(
            admin, "nightly-export", scopes=["contacts:read"], expires_at=now + dt.timedelta(days=30)
        )
        raw, _ = PersonalAccessToken.generate(admin, "crmsec-scanner", expires_at=now + dt.timedelta(days=1))
    return raw


def seed_records(org: Org, admin: Profile, deployment: str, count: int) -> None:
    """Contacts, leads, accounts and opportunities with zh_CN and en_US people."""
    faker = Faker(["zh_CN", "en_US"])
    faker.seed_instance(SEED)
    rng = random.Random(SEED)
    for index in range(count):
        chinese = index % 2 == 0
        local = faker["zh_CN"] if chinese else faker["en_US"]
        notes = f"Met at trade fair. 身份证号 {resident_id(rng)}" if deployment == "careless" else "Met at trade fair."
        Contact.objects.create(
            org=org,
            created_by=admin.user,
            first_name=local.first_name(),
            last_name=local.last_name(),
            email=f"contact{index}@example.com",
            phone=mobile(rng) if chinese else f"+1 415 555 01{index % 100:02d}",
            address_line=local.street_address(),
            city=local.city(),
            description=notes,
        )
        Lead.objects.create(
            org=org,
            created_by=admin.user,
            first_name=local.first_name(),
            last_name=local.last_name(),
            email=f"lead{index}@example.com",
            phone=mobile(rng),
            company_name=local.company(),
            description=notes if index % 3 == 0 else "",
        )
        if index % 4 == 0:
            account = Account.objects.create(
                org=org,
                created_by=admin.user,
                name=local.company(),
                email=f"account{index}@example.com",
                phone=mobile(rng),
            )
            Opportunity.objects.create(org=org, created_by=admin.user, name=f"Deal {index}", account=account)


def seed_audit(org: Org, admin: Profile, now: dt.datetime) -> None:
    """A few security events in the org's audit log."""
    for days, event in ((1, "LOGIN_SUCCESS"), (2, "ORG_SWITCH"), (3, "PERMISSION_DENIED"), (5, "API_TOKEN_CREATED")):
        entry = SecurityAuditLog.objects.create(
            org=org,
            user=admin.user,
            event_type=event,
            success=event != "PERMISSION_DENIED",
            ip_address="127.0.0.1",
            request_method="GET",
            request_path="/api/",
        )
        SecurityAuditLog.objects.filter(pk=entry.pk).update(created_at=now - dt.timedelta(days=days))


def main() -> None:
    """Seed one deployment and write the scanner's credentials."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deployment", choices=("careless", "careful"), required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--records", type=int, default=40)
    arguments = parser.parse_args()
    now = timezone.now()
    org = Org.objects.create(name=ORG_NAME)
    admin = seed_people(org, arguments.deployment, now)
    raw_pat = seed_tokens(admin, arguments.deployment, now)
    seed_records(org, admin, arguments.deployment, arguments.records)
    seed_audit(org, admin, now)
    other = Org.objects.create(name=OTHER_ORG_NAME)
    other_admin = make_user("other.admin@example.net", other, "ADMIN", last_login=now)
    seed_records(other, other_admin, "careless", 4)
    jwt = OrgAwareRefreshToken.for_user_and_org(admin.user, org, admin).access_token
    credentials = {"org_id": str(org.id), "pat": raw_pat, "jwt": str(jwt), "api_key": org.api_key}
    descriptor = os.open(arguments.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(credentials, handle)


if __name__ == "__main__":
    main()
