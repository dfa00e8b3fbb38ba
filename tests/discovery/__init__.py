"""Tests of interpreter discovery (roost.discovery)."""
