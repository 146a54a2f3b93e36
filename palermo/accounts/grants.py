"""Which grants on an account need a second person's approval, and whether an approval still covers an account.

Plain data, no database. An account's *access profile* is what decides its reach into identifying data and its
power to approve: its role, organisation and countries, and whether it is a superuser. A profile is *sensitive*
when its role sees identifying data (the case worker) or when it is a superuser (the accounts that approve). A
sensitive profile takes effect only as far as a second person approved it: the approval records the profile it
approved, and the account's current profile must stay within it (same role, same organisation, no country added,
no superuser status added). Narrowing an account (a country removed) needs no approval; widening it does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from palermo.accounts.roles import IDENTIFYING_DATA_ROLES


@dataclass(frozen=True)
class AccessProfile:
    role: str
    organisation: int | None
    countries: frozenset[str] | None  # None: every country (the roles whose scope is every country)
    superuser: bool

    @classmethod
    def of(cls, *, role: str, organisation: int | None, countries: Iterable[str] | None,
           superuser: bool) -> AccessProfile:
        return cls(str(role), organisation, None if countries is None else frozenset(countries), bool(superuser))

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> AccessProfile | None:
        """The profile an approval recorded; ``None`` for no approval (an empty or malformed record)."""
        if not data or "role" not in data:
            return None
        countries = data.get("countries")
        return cls.of(role=str(data["role"]), organisation=data.get("organisation"),
                      countries=None if countries is None else [str(code) for code in countries],
                      superuser=bool(data.get("superuser")))

    def as_json(self) -> dict[str, Any]:
        return {"role": self.role, "organisation": self.organisation,
                "countries": None if self.countries is None else sorted(self.countries), "superuser": self.superuser}

    @property
    def identifying(self) -> bool:
        """The role reads identifying data (once approved)."""
        return self.role in IDENTIFYING_DATA_ROLES

    @property
    def sensitive(self) -> bool:
        """Reading identifying data, or approving other people's grants: both need a second person's approval."""
        return self.identifying or self.superuser


def _countries_within(current: frozenset[str] | None, approved: frozenset[str] | None) -> bool:
    if approved is None:
        return True
    return current is not None and current <= approved


def identifying_covered(current: AccessProfile, approved: AccessProfile | None) -> bool:
    """An identifying role reads identities only within the role, organisation and countries approved."""
    return (approved is not None and approved.identifying and current.role == approved.role
            and current.organisation == approved.organisation
            and _countries_within(current.countries, approved.countries))


def superuser_covered(approved: AccessProfile | None) -> bool:
    """A superuser approves others' grants only once another person approved the superuser status itself."""
    return approved is not None and approved.superuser


def covered(current: AccessProfile, approved: AccessProfile | None) -> bool:
    """Everything sensitive in ``current`` was approved (a profile with nothing sensitive is always covered)."""
    return ((not current.identifying or identifying_covered(current, approved))
            and (not current.superuser or superuser_covered(approved)))


def changes(before: AccessProfile | None, after: AccessProfile) -> dict[str, list[Any]]:
    """The fields a request would change, ``{field: [approved, proposed]}``, for the audit row and the page."""
    old = before.as_json() if before is not None else {}
    new = after.as_json()
    return {name: [old.get(name), value] for name, value in new.items() if old.get(name) != value}
