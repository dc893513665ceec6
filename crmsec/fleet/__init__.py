"""Fleet scans: many CRM orgs in one audit, sharded across machines by existing engines.

`plan` reads targets.yaml, `shard` picks a worker's deterministic slice, `runner` scans a slice on one
machine with bounded parallelism and a per-org API budget (`budget`), `merge` combines per-org bundles into
one fleet report, `render` writes it as JSON, Markdown and HTML, and `attestation` signs and verifies it.
"""
