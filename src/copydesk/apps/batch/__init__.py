"""Batches: many stories in, one report per line out; resumable, parallel, on Ray if asked.

``copydesk batch`` is :func:`copydesk.apps.batch.command.batch_command`; docs/batch.md explains it.
"""

from copydesk.apps.batch.checking import check_stories
from copydesk.apps.batch.records import story_from_record
from copydesk.apps.batch.runner import Summary, run_batch

__all__ = ["Summary", "check_stories", "run_batch", "story_from_record"]
