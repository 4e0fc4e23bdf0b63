"""The demo's exports: finished jobs with files, through the job path, for the demo users."""

import pytest

from fireledger.exports import demo, services
from fireledger.exports.models import ExportJob

pytestmark = pytest.mark.django_db


def test_demo_exports_are_finished_jobs_with_files(users, places, log):
    log(users["street_officer"], places["mall"])
    made = demo.generate_demo_exports()
    assert made == {"street:hazards": 1, "district:listed": 0, "district:rectifications": 0}
    assert all(services.job_file(job) for job in ExportJob.objects.all())
    demo.delete_exports()
    assert not ExportJob.objects.exists()
