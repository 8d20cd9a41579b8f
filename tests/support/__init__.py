"""Helpers that build the tests' world for real: a desktop session, servers, processes."""
