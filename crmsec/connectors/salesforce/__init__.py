"""The Salesforce connector (REST, Tooling and Metadata APIs); see `connector.py` and docs/salesforce.md."""

from __future__ import annotations

from crmsec.connectors.salesforce.connector import SalesforceConnector

__all__ = ["SalesforceConnector"]
