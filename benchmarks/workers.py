"""One company's follow-up run over N job workers (``ar_followup_queue_job``), measured.

Run through ``benchmarks/workers.sh`` (``make bench-workers``), on a copy of a bench database
per number of workers, with ``queue_job`` and the bridge installed on it:

    python workers.py CONFIG DB run --workers N   (plan, enqueue, N worker processes)
    python workers.py CONFIG DB worker             (one worker: jobs until none is left)
    python workers.py CONFIG DB digest             (what the run did, for the comparison)

A worker does what queue_job's job runner and its ``/queue_job/runjob`` controller do for a
job, without HTTP: it takes the next pending job of the channel (``SKIP LOCKED``, so two
workers never take the same one), marks it enqueued, then acquires, performs and finishes it
with the controller's own methods (the job's lock, its commit, its dependants). The time is
the wall-clock time from the plan's start to the last job's end; each worker prints its peak
memory and the seconds of each of its jobs.
"""

import argparse
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import time

from bench import bench_date, environment

from odoo import sql_db

CHANNEL = "root.ar_followup"
ACTIVE = ("pending", "enqueued", "started", "wait_dependencies")


def run(config, db, workers):
    """Plan and enqueue today's run of the main company, then work it with ``workers``
    processes; prints one JSON line."""
    env = environment(config, db)
    company = env.ref("base.main_company")
    env["ir.config_parameter"].sudo().set_param("ar_followup.batch_size", 500)
    company.ar_followup_jobs = True
    env.cr.commit()
    queries_before = sql_db.sql_counter
    started = time.time()
    Run = env["ar.followup.run"].with_company(company).sudo()._ar_in_company_lang()
    followup = Run._ar_locked_run(bench_date(), None)
    followup._ar_execute(None, commit=True)
    env.cr.commit()
    planned = time.time() - started
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, config, db, "worker"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _index in range(workers)
    ]
    reports = []
    for proc in procs:
        out, _err = proc.communicate()
        if proc.returncode:
            raise SystemExit(f"a worker failed ({proc.returncode})")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    seconds = time.time() - started
    followup.invalidate_recordset()
    env.cr.execute(
        "SELECT state, COUNT(*) FROM queue_job WHERE channel = %s GROUP BY state", [CHANNEL]
    )
    jobs = dict(env.cr.fetchall())
    batch_seconds = sorted(s for report in reports for s in report["job_seconds"])
    result = {
        "workers": workers,
        "seconds": round(seconds, 2),
        "plan_seconds": round(planned, 2),
        "queries": sql_db.sql_counter - queries_before + sum(r["queries"] for r in reports),
        "jobs": jobs,
        "run_state": followup.state,
        "customers": followup.partner_count,
        "emails": followup.email_count,
        "holds": followup.hold_count,
        "batch_seconds_median": batch_seconds[len(batch_seconds) // 2] if batch_seconds else 0,
        "batch_seconds_max": batch_seconds[-1] if batch_seconds else 0,
        "worker_jobs": [len(r["job_seconds"]) for r in reports],
        "worker_peak_mb": [r["peak_mb"] for r in reports],
        "worker_mb_after_first_job": [r["mb_after_first_job"] for r in reports],
    }
    env.cr.close()
    return result


def worker(config, db):
    """Take the channel's pending jobs one at a time until none is pending or waiting."""
    env = environment(config, db)
    # importable once the registry has set the add-ons' paths
    from odoo.addons.queue_job.controllers.main import RunJobController

    cr = env.cr
    job_seconds, first_mb = [], None
    queries = sql_db.sql_counter
    while True:
        cr.execute(
            """SELECT uuid FROM queue_job WHERE state = 'pending' AND channel = %s
                ORDER BY priority, date_created, id
                FOR NO KEY UPDATE SKIP LOCKED LIMIT 1""",
            [CHANNEL],
        )
        row = cr.fetchone()
        if not row:
            cr.execute(
                "SELECT COUNT(*) FROM queue_job WHERE state IN %s AND channel = %s",
                [ACTIVE, CHANNEL],
            )
            active = cr.fetchone()[0]
            cr.commit()
            if not active:
                break
            time.sleep(0.05)  # the others' jobs, or the finish waiting for them
            continue
        # the job runner's part: the job handed to this worker
        cr.execute("UPDATE queue_job SET state = 'enqueued' WHERE uuid = %s", row)
        cr.commit()
        started = time.time()
        job = RunJobController._acquire_job(env, row[0])
        if job is None:
            continue
        RunJobController._try_perform_job(env, job)
        RunJobController._enqueue_dependent_jobs(env, job)
        cr.commit()
        env.invalidate_all()
        job_seconds.append(round(time.time() - started, 2))
        if first_mb is None:
            first_mb = _peak_mb()
    result = {
        "pid": os.getpid(),
        "job_seconds": job_seconds,
        "queries": sql_db.sql_counter - queries,
        "peak_mb": _peak_mb(),
        "mb_after_first_job": first_mb,
    }
    cr.close()
    return result


def _peak_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# the random parts of links (statement links, access tokens) differ from one database to another
TOKENS = re.compile(r"[A-Za-z0-9_\-]{24,}")


def digest(config, db):
    """What today's run did, as comparable text: its history lines, e-mails (subject,
    recipients, body with its link tokens masked) and the customers on hold; ids of records
    the run created differ between two databases, so lines are named by what they are
    about, and sorted."""
    env = environment(config, db)
    cr = env.cr
    cr.execute(
        """SELECT h.partner_id, h.channel, h.date, COALESCE(h.level_id, 0),
                  COALESCE(h.delivery_state, ''),
                  ARRAY(SELECT r.move_id FROM ar_followup_history_move_rel r
                         WHERE r.history_id = h.id ORDER BY r.move_id)
             FROM ar_followup_history h JOIN ar_followup_run r ON r.id = h.run_id
            WHERE r.date = %s""",
        [bench_date()],
    )
    history = sorted(str(row) for row in cr.fetchall())
    cr.execute(
        """SELECT mm.res_id, mm.subject, m.body_html,
                  ARRAY(SELECT rel.res_partner_id FROM mail_mail_res_partner_rel rel
                         WHERE rel.mail_mail_id = m.id ORDER BY rel.res_partner_id)
             FROM mail_mail m JOIN mail_message mm ON mm.id = m.mail_message_id
            WHERE m.id IN (SELECT h.mail_id FROM ar_followup_history h
                             JOIN ar_followup_run r ON r.id = h.run_id WHERE r.date = %s)""",
        [bench_date()],
    )
    mails = sorted(
        f"{res_id} {subject} {recipients} "
        + hashlib.sha1(TOKENS.sub("*", body or "").encode()).hexdigest()
        for res_id, subject, body, recipients in cr.fetchall()
    )
    cr.execute(
        """SELECT partner_id, company_id, COALESCE(credit_hold_origin, '')
             FROM ar_customer_account WHERE credit_hold IS TRUE ORDER BY partner_id"""
    )
    holds = [str(row) for row in cr.fetchall()]
    cr.close()
    lines = [f"history {line}" for line in history]
    lines += [f"mail {line}" for line in mails]
    lines += [f"hold {pid}" for pid in holds]
    return {
        "history": len(history),
        "mails": len(mails),
        "holds": len(holds),
        "sha1": hashlib.sha1("\n".join(lines).encode()).hexdigest(),
        "lines": lines,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config")
    parser.add_argument("db")
    parser.add_argument("action", choices=["run", "worker", "digest"])
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.action == "run":
        result = run(args.config, args.db, args.workers)
    elif args.action == "worker":
        result = worker(args.config, args.db)
    else:
        result = digest(args.config, args.db)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
