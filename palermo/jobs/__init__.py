"""Durable background jobs on the database: queue, worker, progress, recovery (docs/jobs.md)."""
