"""CRM-PII-003: objects holding personal data are not readable by guests or very broad profiles."""

import re

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

# --- PII field discovery. Checks import only crmsec.plugin, so this block is repeated verbatim in
# checks/pii/*.py and checks/audit_logging/pii_field_history.py; change it everywhere at once.
SCHEMA = "schema.objects"
SAMPLES = "data.samples"
ALL_CATEGORIES = (
    "email", "phone", "cn_resident_id", "payment_card", "iban", "us_ssn", "passport",
    "ip_address", "date_of_birth", "person_name", "street_address",
)  # fmt: skip
_HINTS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("email", (("email",), ("e", "mail"))),
    ("phone", (("phone",), ("mobile",), ("telephone",), ("fax",), ("cellphone",))),
    ("cn_resident_id", (("national", "id"), ("resident", "id"), ("citizen", "id"), ("id", "card"), ("idcard",))),
    ("payment_card", (("card", "number"), ("card", "no"), ("credit", "card"), ("debit", "card"), ("cardnumber",))),
    ("iban", (("iban",),)),
    ("us_ssn", (("ssn",), ("social", "security"))),
    ("passport", (("passport",),)),
    ("ip_address", (("ip",), ("ipaddress",))),
    ("date_of_birth", (("birthdate",), ("birthday",), ("birth",), ("dob",))),
    ("person_name", (("first", "name"), ("last", "name"), ("middle", "name"), ("full", "name"), ("surname",))),
    ("street_address", (("street",), ("address",))),
)
# Tokens that make a name a flag, counter or setting about PII rather than PII (HasOptedOutOfEmail, Phone_Type__c).
_NEGATIVE = frozenset(
    {"is", "has", "opt", "opted", "bounced", "verified", "template", "count", "type", "status", "domain", "format",
     "valid", "invalid", "consent", "preference", "code", "country", "extension", "expiry", "expiration", "hash"}
)  # fmt: skip
_EXCLUDED_BY = {"street_address": frozenset({"email", "mail", "ip", "web"}), "payment_card": frozenset({"id"})}
_TYPE_HINTS = {"email": "email", "phone": "phone"}


def _tokens(name: str) -> list[str]:
    base = re.sub(r"__c$", "", name)
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", base)
    return [token for token in re.split(r"[^a-z0-9]+", spaced.lower()) if token]


def _name_hints(name: str) -> set[str]:
    tokens = _tokens(name)
    if _NEGATIVE.intersection(tokens):
        return set()
    windows = {tuple(tokens[start : start + size]) for size in (1, 2) for start in range(len(tokens) - size + 1)}
    return {
        category
        for category, patterns in _HINTS
        if windows.intersection(patterns) and not _EXCLUDED_BY.get(category, frozenset()).intersection(tokens)
    }


def _schema_fields(evidence: Evidence) -> dict[str, dict[str, JsonValue]]:
    """Every described field as "Object.Field" -> its schema.objects record."""
    fields: dict[str, dict[str, JsonValue]] = {}
    for record in evidence.records(SCHEMA):
        object_name = field_of(record, "name", str, key=SCHEMA)
        for item in field_of(record, "fields", list, key=SCHEMA):
            if not isinstance(item, dict):
                raise EvidenceError(f"{SCHEMA}: {object_name} has a field that is not an object")
            fields[f"{object_name}.{field_of(item, 'name', str, key=SCHEMA)}"] = item
    return fields


def _detections(evidence: Evidence) -> dict[str, set[str]]:
    """PII categories seen in sampled values, as "Object.Field" -> categories (empty without data.samples)."""
    found: dict[str, set[str]] = {}
    for sample in evidence.records(SAMPLES) if evidence.has(SAMPLES) else []:
        name = f"{field_of(sample, 'object', str, key=SAMPLES)}.{field_of(sample, 'field', str, key=SAMPLES)}"
        counts = field_of(sample, "detections", dict, key=SAMPLES)
        seen = {category for category, count in counts.items() if isinstance(count, int) and count > 0}
        found.setdefault(name, set()).update(seen.intersection(ALL_CATEGORIES))
    return found


def _pii_fields(evidence: Evidence, categories: list[str]) -> dict[str, list[str]]:
    """PII fields by name hint, field type and sampled values, as "Object.Field" -> categories in scope."""
    found = _detections(evidence)
    for qualified, record in _schema_fields(evidence).items():
        hinted = _name_hints(qualified.split(".", 1)[1])
        kind = record.get("type")
        if isinstance(kind, str) and kind.lower() in _TYPE_HINTS:
            hinted.add(_TYPE_HINTS[kind.lower()])
        found.setdefault(qualified, set()).update(hinted)
    scope = set(categories)
    return {
        name: sorted(seen & scope, key=ALL_CATEGORIES.index) for name, seen in sorted(found.items()) if seen & scope
    }


# --- end of PII field discovery.


PERMISSIONS = "access.object_permissions"
PROFILES = "identity.profiles"
PERMISSION_SETS = "identity.permission_sets"


@check(
    id="CRM-PII-003",
    title="PII objects are not readable by guests or very broad profiles",
    dimension=Dimension.PII,
    severity=Severity.HIGH,
    requires=(PERMISSIONS, SCHEMA),
    optional=(PROFILES, PERMISSION_SETS, SAMPLES),
    params={"max_profile_users": 500, "categories": list(ALL_CATEGORIES)},
    rationale=(
        "A guest profile that can read contacts publishes personal data to anyone on the internet, and a profile "
        "shared by hundreds of users turns one compromised account into a bulk leak."
    ),
    remediation=(
        "Remove Read on the reported objects from guest (unauthenticated) profiles, and split profiles or "
        "permission sets held by more than max_profile_users users into narrower ones."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.networks_guest_user_profile_security.htm&type=5",
        "https://gdpr-info.eu/art-25-gdpr/",
    ),
    frameworks={
        "iso27001_2022": ("A.5.15", "A.8.3"),
        "gdpr": ("Art. 25", "Art. 32"),
        "pipl": ("Art. 51",),
        "soc2": ("CC6.1", "CC6.3"),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2", "8.1.4.11"),
    },
)
def pii_broad_read_access(evidence: Evidence, *, max_profile_users: int, categories: list[str]) -> list[Finding]:
    """One finding per PII object: FAIL for guest read, WARN for broad profiles, MANUAL when sizes are unknown."""
    objects = sorted({name.split(".", 1)[0] for name in _pii_fields(evidence, categories)})
    if not objects:
        message = "No object holding PII was found by name, type or sampled values."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    readers = _readers(evidence)
    sizes = _profile_sizes(evidence)
    return [_judge(name, readers.get(name, {}), sizes, max_profile_users) for name in objects]


def _readers(evidence: Evidence) -> dict[str, dict[str, str]]:
    """object -> {profile: user_type} for every profile granted Read."""
    readers: dict[str, dict[str, str]] = {}
    for row in evidence.records(PERMISSIONS):
        if field_of(row, "read", bool, key=PERMISSIONS):
            object_name = field_of(row, "object", str, key=PERMISSIONS)
            profile = field_of(row, "profile", str, key=PERMISSIONS)
            readers.setdefault(object_name, {})[profile] = str(row.get("user_type") or "standard")
    return readers


def _profile_sizes(evidence: Evidence) -> dict[str, int | None]:
    """Holders of each profile (user_count) and permission set (assignee_count): object permissions name either."""
    sizes: dict[str, int | None] = {}
    for key, count_field in ((PERMISSION_SETS, "assignee_count"), (PROFILES, "user_count")):
        for record in evidence.records(key) if evidence.has(key) else []:
            count = record.get(count_field)
            if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
                raise EvidenceError(f"{key}: {count_field} should be an integer or null")
            sizes[field_of(record, "name", str, key=key)] = count
    return sizes


def _judge(object_name: str, readers: dict[str, str], sizes: dict[str, int | None], limit: int) -> Finding:
    guests = sorted(profile for profile, kind in readers.items() if kind == "guest")
    internal = [profile for profile, kind in readers.items() if kind != "guest"]
    broad = sorted(profile for profile in internal if (sizes.get(profile) or 0) > limit)
    unknown = sorted(profile for profile in internal if sizes.get(profile) is None)
    details: dict[str, JsonValue] = {
        "guest_profiles": guests[:20],
        "broad_profiles": {profile: sizes[profile] for profile in broad[:20]},
        "profiles_of_unknown_size": unknown[:20],
        "max_profile_users": limit,
    }
    if guests:
        message = f"{object_name} holds PII and is readable by guest profile(s): {', '.join(guests[:5])}."
        return Finding(Status.FAIL, resource=object_name, message=message, details=details)
    if broad:
        names = ", ".join(broad[:5])
        message = f"{object_name} holds PII and is readable by profile(s) with over {limit} users: {names}."
        return Finding(Status.WARN, resource=object_name, message=message, details=details)
    if unknown:
        message = f"{object_name} holds PII; the size of {len(unknown)} profile(s) reading it is unknown."
        return Finding(Status.MANUAL, resource=object_name, message=message, details=details)
    message = f"{object_name} holds PII; no guest and no profile over {limit} users can read it."
    return Finding(Status.PASS, resource=object_name, message=message, details=details)
