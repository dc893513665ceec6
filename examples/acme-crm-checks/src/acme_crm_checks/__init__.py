"""ACME's house rules for CRM deployments, as a crmsec check pack."""

from acme_crm_checks.passwords import password_length_house_rule
from acme_crm_checks.service_accounts import service_accounts_named

__all__ = ["password_length_house_rule", "service_accounts_named"]
