"""Seed a fresh Tryton database for crmsec's live test: company, users, groups, access rows, parties, pipeline.

Runs inside the Tryton venv (trytond and its modules, standard library only), never under pytest:

    <venv>/bin/python seed_tryton.py --config trytond.conf --database crm --deployment careless --out creds.json

Everything is synthetic (a fixed seed, `example.com` addresses, +86 numbers from reserved blocks, identity
numbers with a valid check digit but made up). `careless` seeds what a neglected deployment looks like:
the built-in `admin` used for daily work, three administrators out of five users, write access to every
opportunity for everyone, a REST key that never expires, resident identity numbers typed into opportunity
comments. `careful` deactivates `admin`, has one named administrator (the scanner's account) among ten users, gives the
sales team read access to parties and its opportunities only, and keeps notes free of identifiers.

The scanner's login and password are written to `--out` (mode 0600), never printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any

import trytond.config as config

SEED = 16
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
TEAM = (("Jing", "Chen"), ("Lei", "Wang"), ("Luca", "Bianchi"), ("Anna", "Schmidt"), ("Omar", "Haddad"),
        ("Yuki", "Nakamura"), ("Priya", "Singh"))  # fmt: skip
GIVEN = ("Wei", "Min", "Jing", "Lei", "Maria", "Luca", "Anna", "Jonas", "Sofia", "Omar", "Yuki", "Priya")
FAMILY = ("Zhang", "Wang", "Li", "Chen", "Rossi", "Schmidt", "Garcia", "Nakamura", "Singh", "Haddad")


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


def _password() -> str:
    return secrets.token_urlsafe(18)


def _company(pool: Any) -> Any:
    Currency, Party, Company = pool.get("currency.currency"), pool.get("party.party"), pool.get("company.company")
    (currency,) = Currency.create(
        [{"name": "Euro", "code": "EUR", "symbol": "€", "rounding": Decimal("0.01"), "digits": 2}]
    )
    (party,) = Party.create([{"name": "Acme Test Org"}])
    (company,) = Company.create([{"party": party.id, "currency": currency.id}])
    return company


def _group(pool: Any, name: str) -> int:
    (group,) = pool.get("res.group").search([("name", "=", name)])
    return int(group.id)


def _users(pool: Any, deployment: str, company: Any) -> dict[str, str]:
    """Create the users; returns login -> password of everyone who may sign in."""
    User = pool.get("res.user")
    sales, opportunity = _group(pool, "Sales"), _group(pool, "Sale Opportunity")
    base = {"companies": [("add", [company.id])], "company": company.id}
    if deployment == "careless":
        people = [
            ("sales.one", True, [sales, opportunity], True),
            ("sales.two", True, [sales], True),
            ("intern", False, [sales, opportunity], True),
            ("former.employee", False, [sales], False),
        ]
    else:
        people = [
            ("li.wei", True, [], True),
            ("zhang.min", False, [sales, opportunity], True),
            ("maria.rossi", False, [sales], True),
            *[(f"{given.lower()}.{family.lower()}", False, [sales, opportunity], True) for given, family in TEAM],
            ("old.contractor", False, [sales], False),
        ]
    passwords: dict[str, str] = {}
    for login, administrator, groups, active in people:
        password = _password()
        # The careful administrator registered a phone for the SMS factor; nobody did in careless.
        phone = {"mobile": "+86 139 0000 0001"} if administrator and deployment == "careful" else {}
        User.create([{**base, "login": login, "name": login.replace(".", " ").title(), "administrator": administrator,
                      "groups": [("add", groups)], "password": password, "active": active,
                      "email": f"{login}@example.com", **phone}])  # fmt: skip
        passwords[login] = password
    (admin,) = User.search([("login", "=", "admin")])
    passwords["admin"] = _password()
    User.write([admin], {**base, "password": passwords["admin"], "active": deployment == "careless"})
    return passwords


def _access(pool: Any, deployment: str) -> None:
    """Careless: every user may change every opportunity. Careful: parties are read-only except for their admins."""
    Access = pool.get("ir.model.access")
    if deployment == "careless":
        Access.create([{"model": "sale.opportunity", "group": None, "perm_read": True, "perm_write": True,
                        "perm_create": True, "perm_delete": True}])  # fmt: skip
        return
    party_admin = _group(pool, "Party Administration")
    Access.create([
        {"model": "party.party", "group": None, "perm_read": True, "perm_write": False, "perm_create": False,
         "perm_delete": False},
        {"model": "party.party", "group": party_admin, "perm_read": True, "perm_write": True, "perm_create": True,
         "perm_delete": True},
    ])  # fmt: skip


def _records(pool: Any, deployment: str, company: Any, rng: random.Random) -> None:
    """Thirty customers with e-mail, phone and address, and an opportunity each."""
    Party, Opportunity = pool.get("party.party"), pool.get("sale.opportunity")
    parties = []
    for number in range(30):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        parties.append({
            "name": f"{given} {family}",
            "code": f"C{number:04d}",
            "contact_mechanisms": [("create", [
                {"type": "email", "value": f"{given}.{family}.{number}@example.com".lower()},
                {"type": "mobile", "value": mobile(rng)},
            ])],
            "addresses": [("create", [{"street": f"{rng.randrange(1, 200)} Example Road", "postal_code": "100000",
                                       "city": "Beijing"}])],
        })  # fmt: skip
    created = Party.create(parties)
    opportunities = []
    for party in created:
        comment = "Met at the trade fair."
        if deployment == "careless":
            comment += f" 身份证号 {resident_id(rng)}"
        opportunities.append({"party": party.id, "company": company.id, "currency": company.currency.id,
                              "description": f"Renewal for {party.name}", "comment": comment,
                              "conversion_probability": 0.5, "start_date": dt.date(2026, 11, 2)})  # fmt: skip
    Opportunity.create(opportunities)


def _daily_work(pool: Any, transaction: Any, deployment: str, login: str) -> None:
    """What the administrator did over the API: logged edits (ir.model.log), and a REST key in careless."""
    User, Party = pool.get("res.user"), pool.get("party.party")
    (worker,) = User.search([("login", "=", login)])
    with transaction.set_user(worker.id), transaction.set_context(_log=True):
        for party in Party.search([("code", "!=", "ACME")], limit=5):
            Party.write([party], {"code": f"{party.code}-A"})
        users = User.search([("login", "!=", "admin")], limit=2)
        User.write(users, {"signature": "Regards"})
    if deployment == "careless":
        Application = pool.get("res.user.application")
        (key,) = Application.create([{"user": worker.id, "application": "rest"}])
        Application.validate_([key])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--deployment", choices=("careless", "careful"), required=True)
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()
    config.update_etc(options.config)
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    Pool.start()
    pool = Pool(options.database)
    with Transaction().start(options.database, 0, readonly=True):
        pool.init()
    rng = random.Random(SEED)
    scanner = "admin" if options.deployment == "careless" else "li.wei"
    with Transaction().start(options.database, 0, context={"active_test": False}) as transaction:
        company = _company(pool)
        passwords = _users(pool, options.deployment, company)
        _access(pool, options.deployment)
        _records(pool, options.deployment, company, rng)
        _daily_work(pool, transaction, options.deployment, scanner)
        transaction.commit()
    descriptor = os.open(options.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"user": scanner, "password": passwords[scanner], "logins": sorted(passwords)}, handle)


if __name__ == "__main__":
    main()
