"""The lab server's mutable state: the token, API usage and the fault plan (see `crmsec.lab.server`).

Which fault a request suffers is drawn from `random.Random(f"{seed}:{attempt}:{request}")`, so the same seed
gives every request the same faults whatever order concurrent requests arrive in.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field

from crmsec.lab import oauth
from crmsec.lab.org import LabOrg

FAULT_KINDS = ("server_error", "unavailable", "rate_limited", "truncated", "slow")
"""500, 503 with Retry-After, 429 with Retry-After, a body cut off halfway, a body sent in two halves with a pause."""
FAULT_SCOPES = ("api", "all")


@dataclass(slots=True)
class ServerState:
    """Mutable server-wide state: the token, API usage, fault settings and a seeded fault generator."""

    token: str
    org: LabOrg
    oauth: oauth.OAuthSettings
    latency_seconds: float = 0.0
    fault_rate: float = 0.0
    expire_after: int | None = None
    daily_limit: int = 100_000
    used: int = 1_000
    authenticated_requests: int = 0
    fault_seed: int = 0
    fault_kinds: tuple[str, ...] = FAULT_KINDS
    fault_scope: str = "api"
    query_batch_size: int = 2000
    """The most records a query page holds (a client's `Sforce-Query-Options: batchSize` may ask for fewer)."""
    lock: threading.Lock = threading.Lock()  # noqa: RUF009 -- replaced per server, see LabServer
    attempts: Counter[str] = field(default_factory=Counter)

    def count_call(self) -> tuple[int, int]:
        """Count one API call; (used, limit) afterwards."""
        with self.lock:
            self.used += 1
            return self.used, self.daily_limit

    def accept(self, token: str | None) -> bool:
        """True when `token` is the lab's token and it has not expired yet."""
        with self.lock:
            if token != self.token:
                return False
            self.authenticated_requests += 1
            return self.expire_after is None or self.authenticated_requests <= self.expire_after

    def draw_fault(self, request: str) -> str | None:
        """Which fault (if any) this attempt at `request` suffers (see the module docstring)."""
        with self.lock:
            if self.fault_rate <= 0 or not self.fault_kinds:
                return None
            attempt = self.attempts[request]
            self.attempts[request] = attempt + 1
            seed, rate, kinds = self.fault_seed, self.fault_rate, self.fault_kinds
        draw = random.Random(f"{seed}:{attempt}:{request}")  # a reproducible fault, not a secret
        return draw.choice(kinds) if draw.random() < rate else None

    def configure_faults(
        self,
        *,
        seed: int,
        rate: float,
        kinds: tuple[str, ...] = FAULT_KINDS,
        scope: str = "api",
        latency_seconds: float = 0.0,
        expire_after: int | None = None,
    ) -> None:
        """Set the fault plan for the next requests and start counting attempts and token uses afresh."""
        unknown = sorted(set(kinds) - set(FAULT_KINDS))
        if unknown or scope not in FAULT_SCOPES or not 0.0 <= rate <= 1.0:
            raise ValueError(f"bad fault plan: kinds {unknown}, scope {scope!r}, rate {rate}")
        with self.lock:
            self.fault_seed, self.fault_rate, self.fault_kinds, self.fault_scope = seed, rate, kinds, scope
            self.latency_seconds, self.expire_after = latency_seconds, expire_after
            self.attempts.clear()
            self.authenticated_requests = 0
