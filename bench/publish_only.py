"""Publish the benchmark quarter for the published pages' measurement, without timing it: the
board rows and scores are written by boards.services.quarter_publish, then the star ratings (the
pages show them) are stored in this process; the other follow-ups (notices, interviews, the
severity report) are not run. bench/publish.py is the publication benchmark.

    python -m bench.publish_only
"""

from __future__ import annotations

from bench import common


def main() -> None:
    common.setup()
    from boards import followups
    from boards.services import quarter_publish
    from branches.models import User
    from scoring.models import Quarter

    quarter = Quarter.objects.get(code=common.QUARTER)
    if quarter.is_published:
        print(f"   {quarter.code} is already published")
        return
    followups.follow_ups_queue = lambda *, ids: 0  # nothing queued: the jobs stay rows
    with common.timer() as elapsed:
        quarter = quarter_publish(quarter=quarter, user=User.objects.get(username="bench_dept"))
        stars = next(job for job in followups.registered() if "star_ratings" in job.name)
        stars.run(quarter=quarter)
    print(f"   published {quarter.code} and stored its star ratings in {elapsed():.1f} s")


if __name__ == "__main__":
    main()
