"""Where generated reports are kept: Django's `reports` storage (STORAGES in settings).

Local disk under REPORTS_ROOT by default, an S3-compatible bucket when DJANGO_S3_BUCKET is set
(baiyin_eval/settings/sharing.py): a report a worker built on one machine downloads from any web
process.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class ReportsFileSystemStorage(FileSystemStorage):
    """The file system under REPORTS_ROOT, read when used (tests and operators change it)."""

    @property
    def base_location(self):  # type: ignore[override]
        return self._value_or_setting(self._location, settings.REPORTS_ROOT)

    @property
    def location(self):  # type: ignore[override]
        import os

        return os.path.abspath(self.base_location)


def reports_storage() -> Storage:
    return storages["reports"]
