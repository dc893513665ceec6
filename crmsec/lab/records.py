"""The lab org's business data (Account, Contact, Lead, Opportunity, Case) with PII in standard and custom fields.

Contacts and leads are generated lazily by index. With `dirty_data` some records lack an email, carry an
invalid email or phone, duplicate an earlier record, spell the country differently, or were last touched
years ago, so data-quality checks have something to count.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import overload

from crmsec.lab.identity import record_id
from crmsec.lab.people import People, Person
from crmsec.lab.scenarios import Posture
from crmsec.lab.soql import Record, Table

CONTACT_FIELDS = (
    "Id",
    "FirstName",
    "LastName",
    "Name",
    "Email",
    "Phone",
    "MobilePhone",
    "MailingCity",
    "MailingCountry",
    "Birthdate",
    "National_ID__c",
    "Description",
    "AccountId",
    "OwnerId",
    "CreatedDate",
    "LastModifiedDate",
)
LEAD_FIELDS = (
    "Id",
    "FirstName",
    "LastName",
    "Name",
    "Company",
    "Email",
    "Phone",
    "Country",
    "Status",
    "Description",
    "CreatedDate",
    "LastModifiedDate",
)
ACCOUNT_FIELDS = ("Id", "Name", "Phone", "Website", "Industry", "BillingCountry", "CreatedDate", "LastModifiedDate")
_COUNTRY_VARIANTS = {
    "United States": ("USA", "U.S.", "united states"),
    "Germany": ("DE", "germany"),
    "China": ("PRC", "china"),
    "United Kingdom": ("UK", "Great Britain"),
}


class LazyRows(Sequence[Record]):
    """Rows produced by `make(index)` on demand."""

    def __init__(self, count: int, make: Callable[[int], Record]) -> None:
        self._count = count
        self._make = make

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | Sequence[Record]:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        if not 0 <= index < self._count:
            raise IndexError(index)
        return self._make(index)


class BusinessData:
    """Factories for the business objects of one lab org."""

    def __init__(self, posture: Posture, people: People, *, contacts: int, now: datetime, owners: int) -> None:
        self.posture = posture
        self.people = people
        self.contacts = contacts
        self.accounts = max(1, contacts // 5)
        self.now = now
        self.owners = max(1, owners)

    def _dates(self, rng: random.Random) -> tuple[datetime, datetime]:
        created = self.now - timedelta(days=rng.randrange(30, 2500))
        stale = self.posture.dirty_data and rng.random() < 0.25
        age = rng.randrange(800, 2000) if stale else rng.randrange(0, 80)
        modified = max(created, self.now - timedelta(days=age))
        return created, modified

    def _person(self, index: int, kind: str) -> tuple[random.Random, Person, Person]:
        """(rng, person, the person whose identity a dirty duplicate copies)."""
        rng = random.Random(f"{self.people.seed}:{kind}-row:{index}")
        person = self.people.person(index, kind=kind)
        duplicate_of = person
        if self.posture.dirty_data and index > 0 and rng.random() < 0.06:
            duplicate_of = self.people.person(index - 1, kind=kind)
        return rng, person, duplicate_of

    def _contact_channels(self, rng: random.Random, person: Person) -> tuple[str | None, str | None, str]:
        email: str | None = person.email
        phone: str | None = person.phone
        country = person.country
        if self.posture.dirty_data:
            roll = rng.random()
            if roll < 0.12:
                email = None
            elif roll < 0.17:
                email = person.email.replace("@", " at ")
            if rng.random() < 0.06:
                phone = f"{rng.randrange(10, 99)}-{rng.randrange(10, 99)}"
            if country in _COUNTRY_VARIANTS and rng.random() < 0.2:
                country = rng.choice(_COUNTRY_VARIANTS[country])
        return email, phone, country

    def contact(self, index: int) -> Record:
        """Contact number `index`."""
        rng, person, same = self._person(index, "contact")
        email, phone, country = self._contact_channels(rng, same)
        created, modified = self._dates(rng)
        account_index = index % self.accounts
        note = "Prefers email."
        if self.posture.dirty_data and rng.random() < 0.1:
            note = f"Call back on {person.mobile} after 6pm."
        return {
            "__type__": "Contact",
            "Id": record_id("003", index),
            "FirstName": same.first_name,
            "LastName": same.last_name,
            "Name": same.name,
            "Email": email,
            "Phone": phone,
            "MobilePhone": person.mobile,
            "MailingCity": person.city,
            "MailingCountry": country,
            "Birthdate": person.birthdate,
            "National_ID__c": person.national_id,
            "Description": note,
            "AccountId": record_id("001", account_index),
            "Account": self.account(account_index),
            "OwnerId": record_id("005", index % self.owners),
            "CreatedDate": created,
            "LastModifiedDate": modified,
        }

    def lead(self, index: int) -> Record:
        """Lead number `index`."""
        rng, _person, same = self._person(index, "lead")
        email, phone, country = self._contact_channels(rng, same)
        created, modified = self._dates(rng)
        return {
            "__type__": "Lead",
            "Id": record_id("00Q", index),
            "FirstName": same.first_name,
            "LastName": same.last_name,
            "Name": same.name,
            "Company": same.company,
            "Email": email,
            "Phone": phone,
            "Country": country,
            "Status": rng.choice(("Open", "Working", "Qualified", "Unqualified")),
            "Description": None,
            "CreatedDate": created,
            "LastModifiedDate": modified,
        }

    def account(self, index: int) -> Record:
        """Account number `index`."""
        rng = random.Random(f"{self.people.seed}:account:{index}")
        person = self.people.person(index, kind="account")
        created, modified = self._dates(rng)
        return {
            "__type__": "Account",
            "Id": record_id("001", index),
            "Name": person.company,
            "Phone": person.phone,
            "Website": f"https://www{index}.example.com",
            "Industry": rng.choice(("Technology", "Retail", "Banking")),
            "BillingCountry": person.country,
            "CreatedDate": created,
            "LastModifiedDate": modified,
        }

    def simple(self, object_name: str, prefix: str, index: int) -> Record:
        """An Opportunity or Case: just enough for adoption counts."""
        rng = random.Random(f"{self.people.seed}:{object_name}:{index}")
        created, modified = self._dates(rng)
        return {
            "__type__": object_name,
            "Id": record_id(prefix, index),
            "Name": f"{object_name} {index}",
            "CreatedDate": created,
            "LastModifiedDate": modified,
        }


def business_tables(posture: Posture, people: People, *, contacts: int, now: datetime, owners: int) -> dict[str, Table]:
    """Account, Contact, Lead, Opportunity and Case tables."""
    data = BusinessData(posture, people, contacts=contacts, now=now, owners=owners)
    simple_fields = ("Id", "Name", "CreatedDate", "LastModifiedDate")
    return {
        "Account": Table("Account", LazyRows(data.accounts, data.account), ACCOUNT_FIELDS),
        "Contact": Table("Contact", LazyRows(contacts, data.contact), CONTACT_FIELDS, {"Account": "Account"}),
        "Lead": Table("Lead", LazyRows(max(1, contacts // 2), data.lead), LEAD_FIELDS),
        "Opportunity": Table(
            "Opportunity",
            LazyRows(max(1, contacts // 4), lambda i: data.simple("Opportunity", "006", i)),
            simple_fields,
        ),
        "Case": Table("Case", LazyRows(max(1, contacts // 4), lambda i: data.simple("Case", "500", i)), simple_fields),
    }
