"""CRM-PII-003: objects holding personal data are not readable by guests or very broad profiles."""

from crmsec.plugin import (
    DATA_SAMPLES,
    PII_CATEGORIES,
    SCHEMA_OBJECTS,
    Dimension,
    Evidence,
    EvidenceError,
    Finding,
    JsonValue,
    Severity,
    Status,
    check,
    field_of,
    pii_fields,
)

PERMISSIONS = "access.object_permissions"
PROFILES = "identity.profiles"
PERMISSION_SETS = "identity.permission_sets"


@check(
    id="CRM-PII-003",
    title="PII objects are not readable by guests or very broad profiles",
    dimension=Dimension.PII,
    severity=Severity.HIGH,
    requires=(PERMISSIONS, SCHEMA_OBJECTS),
    optional=(PROFILES, PERMISSION_SETS, DATA_SAMPLES),
    params={"max_profile_users": 500, "categories": list(PII_CATEGORIES)},
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
    objects = sorted({name.split(".", 1)[0] for name in pii_fields(evidence, categories)})
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
