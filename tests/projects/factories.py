"""Kept for tests/subsidies/test_list_export_jobs.py: the world's bulk projects (tests.world.projects)."""

from tests.world import projects as bulk_projects

__all__ = ["bulk_projects"]
