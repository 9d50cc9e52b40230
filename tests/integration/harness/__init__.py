"""Helpers for the integration tests: server processes, a raw Jute client, CLIs."""
