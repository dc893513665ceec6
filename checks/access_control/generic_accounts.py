"""CRM-AC-006: no generic or shared user accounts."""

import re

from crmsec.plugin import Dimension, Evidence, Finding, JsonValue, Severity, Status, check, field_of

KEY = "identity.users"
GENERIC_WORDS = [
    "admin", "administrator", "test", "tester", "shared", "service", "info", "sales", "support", "temp",
    "generic", "noreply", "demo", "training", "guest", "office", "team", "公共", "测试", "临时", "管理员",
]  # fmt: skip
FILLER = frozenset({"user", "account", "crm", "the"})


@check(
    id="CRM-AC-006",
    title="No generic or shared user accounts",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"generic_account_words": GENERIC_WORDS},
    rationale=(
        "A shared login (admin@, sales@, test) cannot be tied to one person, so its actions are unaccountable and "
        "its password outlives every leaver who knew it."
    ),
    remediation=(
        "Replace generic accounts with named users (or with integration users for systems), then deactivate them. "
        "Tune the word list with generic_account_words."
    ),
    references=(
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
        "https://www.cisecurity.org/controls/account-management",
    ),
    frameworks={
        "iso27001_2022": ("A.5.16", "A.5.17"),
        "soc2": ("CC6.1", "CC6.2"),
        "nist_csf_2": ("PR.AA-01",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def generic_accounts(evidence: Evidence, *, generic_account_words: list[str]) -> list[Finding]:
    """FAIL per active human account whose username looks generic; one PASS when none does.

    The rule, chosen to spare people whose surname happens to be a listed word (`a.admin@...`): the local part of
    the username is split into words (digits dropped); the account is generic when its *first* word is listed, or
    when every word is listed or filler (user, account, crm). Non-Latin words match anywhere in the username.
    Guest and integration users are skipped: the platform creates the former, the integrations checks cover the latter.
    Masked usernames (`admin.j***@a***.com#...`, the default) keep the built-in role words, so the rule holds on them;
    a custom word outside those is masked away and matches only usernames collected with --show-identities.
    """
    words = {word.lower() for word in generic_account_words}
    judged, flagged = 0, []
    for user in evidence.records(KEY):
        if not field_of(user, "active", bool, key=KEY) or not _is_human(user):
            continue
        judged += 1
        username = field_of(user, "username", str, key=KEY)
        if _is_generic(username, words):
            flagged.append(username)
    if flagged:
        return [
            Finding(Status.FAIL, resource=name, message=f"{name} looks like a generic or shared account.",
                    details={"username": name})
            for name in sorted(flagged)
        ]  # fmt: skip
    details: dict[str, JsonValue] = {"judged_users": judged}
    return [Finding(Status.PASS, "organization", f"None of {judged} active users looks generic.", details)]


def _is_human(user: dict[str, JsonValue]) -> bool:
    return user.get("user_type") not in ("guest", "integration") and user.get("is_integration") is not True


def _is_generic(username: str, words: set[str]) -> bool:
    # A masked login that is no e-mail address ends in "#<hash>" right after the local part (`admin#8c6976e5`).
    local = username.split("@", 1)[0].split("#", 1)[0].lower()
    if any(not word.isascii() and word in username for word in words):
        return True
    parts = [re.sub(r"\d+", "", part) for part in re.split(r"[._\-+\s]+", local)]
    parts = [part for part in parts if part]
    if not parts:
        return False
    return parts[0] in words or all(part in words or part in FILLER for part in parts)
