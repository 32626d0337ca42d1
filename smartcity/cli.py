"""python -m smartcity ...: a thin command line over the package.

Exit codes: 0 success; 1 when a file was rejected whole (ingest) or the command failed;
2 on a usage error.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from smartcity.errors import SmartCityError
from smartcity.ingest.result import Problem
from smartcity.settings import db_path


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2024-10-07 (YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m smartcity", description="Kotim Smart City action-plan dashboard")
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="language of messages (default id)")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="load action-plan spreadsheets as a new snapshot")
    ingest.add_argument("files", nargs="+", type=Path, metavar="FILE")
    ingest.add_argument("--db", type=Path, help="DuckDB file (default SMARTCITY_DB or data/smartcity.duckdb)")
    ingest.add_argument("--as-of", type=_date, default=None, help="snapshot date YYYY-MM-DD (default today)")
    ingest.add_argument("--json", action="store_true", help="print the result as JSON")
    ingest.add_argument("--profile", metavar="NAME", help="read every file with the saved column profile NAME")
    ingest.add_argument("--dry-run", action="store_true",
                        help="show what would load (per pillar and agency, rejected rows, changes against each "
                             "agency's current snapshot) and write nothing")

    report = sub.add_parser("report", help="print the summary per pillar and the KPIs")
    report.add_argument("--db", type=Path)
    report.add_argument("--as-of", type=_date, default=None, help="date YYYY-MM-DD (default the latest with data)")
    report.add_argument("--json", action="store_true")

    review = sub.add_parser("review", help="what changed since a date, per agency, and who has not reported")
    review.add_argument("--since", type=_date, default=None,
                        help="the previous review date YYYY-MM-DD (default the snapshot date before --as-of)")
    review.add_argument("--as-of", type=_date, default=None, help="date YYYY-MM-DD (default the latest with data)")
    review.add_argument("--stalled-weeks", type=int, default=2, metavar="N",
                        help="an action is stalled when its numbers did not move for N weeks (default 2)")
    review.add_argument("--db", type=Path)
    review.add_argument("--json", action="store_true")

    user = sub.add_parser("user", help="manage accounts: add, list, disable, set-password")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    # --db after the user command's own arguments (user add NAME --role R --db PATH), as everywhere else.
    user_db = argparse.ArgumentParser(add_help=False)
    user_db.add_argument("--db", type=Path)
    add = user_sub.add_parser("add", help="create a user (the password is asked for, or read from SMARTCITY_PASSWORD)",
                              parents=[user_db])
    add.add_argument("username")
    add.add_argument("--role", choices=("admin", "editor", "viewer"), required=True)
    add.add_argument("--agency", action="append", default=[], help="agency code an editor may write (repeatable)")
    add.add_argument("--name", help="display name")
    user_sub.add_parser("list", help="list users", parents=[user_db])
    disable = user_sub.add_parser("disable", help="disable a user", parents=[user_db])
    disable.add_argument("username")
    setpw = user_sub.add_parser("set-password", help="set a user's password", parents=[user_db])
    setpw.add_argument("username")

    briefing = sub.add_parser("briefing", help="write the one-page briefing for the Bupati as PDF or PPTX")
    briefing.add_argument("--out", type=Path, required=True, help="FILE.pdf or FILE.pptx")
    briefing.add_argument("--as-of", type=_date, default=None, help="date YYYY-MM-DD (default the latest with data)")
    briefing.add_argument("--since", type=_date, default=None, help="the previous briefing date (default the snapshot before)")
    briefing.add_argument("--db", type=Path)

    backup = sub.add_parser("backup", help="write a consistent backup (database + raw uploaded files)")
    backup.add_argument("--out", type=Path, required=True, help="a new, empty folder")
    backup.add_argument("--db", type=Path)
    restore = sub.add_parser("restore", help="restore a backup into a new (empty) database location")
    restore.add_argument("backup_dir", type=Path)
    restore.add_argument("--db", type=Path)

    demo = sub.add_parser("demo", help="rebuild the demo database from the spreadsheets in data/demo")
    demo.add_argument("--db", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"ingest": cmd_ingest, "report": cmd_report, "review": cmd_review, "user": cmd_user,
                "briefing": cmd_briefing, "backup": cmd_backup, "restore": cmd_restore, "demo": cmd_demo}[args.command](args)
    except SmartCityError as e:
        print(e.message(args.lang), file=sys.stderr)
        return 1


def cmd_ingest(args) -> int:
    """Load (or with --dry-run, preview) each file; exit 1 when any file was rejected whole.

    A dry run opens an existing database only to compare with it (every write is rolled back);
    without a database it compares with an empty one in memory. Each file is previewed against
    the database as it is, not after the files before it.
    """
    from smartcity.pipeline import SYSTEM_ACTOR, UploadOutcome, load_file, preview_file
    from smartcity.store import Store, open_store

    target = db_path(args.db)
    if args.dry_run:
        store = Store(":memory:") if not Path(target).exists() else open_store(target)
    else:
        store = _open_or_wait(target, args)
        if store is None:
            return _queue_for_dashboard(target, args)
    outcomes: list[UploadOutcome] = []
    previews: dict[int, object] = {}
    with store:
        profile = _named_profile(store, args)
        if profile is False:
            return 2
        for path in args.files:
            try:
                content = path.read_bytes()
            except OSError as e:
                problem = Problem("err.file_unreadable", {"file": path.name, "detail": e.strerror or str(e)}, file=path.name)
                outcomes.append(UploadOutcome(path.name, "rejected", problems=[problem]))
                continue
            as_of = args.as_of or date.today()
            if args.dry_run:
                preview = preview_file(store, content, path.name, as_of, SYSTEM_ACTOR, profile=profile)
                previews[len(outcomes)] = preview
                outcomes.append(preview.outcome)
            else:
                outcomes.append(load_file(store, content, path.name, as_of, SYSTEM_ACTOR, profile=profile))
    if args.json:
        files = [dict(o.as_json(args.lang), **(_preview_json(previews[i]) if i in previews else {}))
                 for i, o in enumerate(outcomes)]
        body = {"dry_run": True, "files": files} if args.dry_run else {"files": files}
        print(json.dumps(body, ensure_ascii=False, indent=2, default=str))
    else:
        for i, o in enumerate(outcomes):
            print(f"{o.file_name}: {o.status} ({o.rows_loaded} loaded, {o.rows_rejected} rejected)")
            for p in o.problems:
                print(f"  - {p.located(args.lang)}")
            if i in previews:
                _print_preview(previews[i])
    return 1 if any(o.status == "rejected" for o in outcomes) else 0


def _open_or_wait(target: Path, args):
    """The store, waiting while the dashboard (another process) holds it; None if it stays busy."""
    from smartcity.i18n import t
    from smartcity.inbox import open_store_waiting
    from smartcity.settings import setting

    def tell() -> None:
        print(t("cli.busy_waiting", args.lang, seconds=int(setting("busy_wait_s"))), file=sys.stderr)

    return open_store_waiting(target, float(setting("busy_wait_s")), on_wait=tell)


def _queue_for_dashboard(target: Path, args) -> int:
    """Leave each readable file in the inbox; the dashboard loads them on its next page run."""
    from smartcity.i18n import t
    from smartcity.inbox import enqueue, inbox_dir

    files = []
    for path in args.files:
        try:
            content = path.read_bytes()
        except OSError as e:
            message = t("err.file_unreadable", args.lang, file=path.name, detail=e.strerror or str(e))
            files.append({"file": path.name, "status": "rejected", "rows_loaded": 0, "rows_rejected": 0,
                          "errors": [{"sheet": None, "row": None, "column": None, "message": message}]})
            continue
        enqueue(target, content, path.name, args.as_of or date.today())
        files.append({"file": path.name, "status": "queued", "rows_loaded": 0, "rows_rejected": 0, "errors": []})
    if args.json:
        print(json.dumps({"files": files}, ensure_ascii=False, indent=2))
    else:
        for f in files:
            print(f"{f['file']}: {f['status']}" + "".join(f"\n  - {e['message']}" for e in f["errors"]))
    print(t("cli.queued", args.lang, folder=str(inbox_dir(target))), file=sys.stderr)
    return 1 if any(f["status"] == "rejected" for f in files) else 0


def _named_profile(store, args):
    """profile={"columns": ...} for --profile NAME; None without it; False (after a message) when unknown."""
    if not args.profile:
        return None
    from smartcity.i18n import t
    from smartcity.mappings import column_profiles, get_profile

    found = get_profile(store, args.profile)
    if found is None:
        known = ", ".join(p.name for p in column_profiles(store)) or "-"
        print(t("err.profile.unknown", args.lang, name=args.profile, known=known), file=sys.stderr)
        return False
    return {"columns": found.mapping, "columns_name": found.name}


_CHANGE_COLUMNS = ["kind", "agency_code", "action_code", "activity", "pillar", "status_before", "status_after",
                   "actual_before", "actual_after", "spent_before", "spent_after"]


def _preview_json(preview) -> dict:
    by = preview.by_pillar_agency
    changes = preview.changes
    return {
        "by_pillar_agency": [] if by.empty else by[["agency_code", "pillar", "actions"]].to_dict("records"),
        "changes": [] if changes.empty else changes[[c for c in _CHANGE_COLUMNS if c in changes]]
        .astype(object).where(changes[[c for c in _CHANGE_COLUMNS if c in changes]].notna(), None).to_dict("records"),
    }


def _print_preview(preview) -> None:
    data = _preview_json(preview)
    if data["by_pillar_agency"]:
        print("  would load / akan dimuat:")
        for r in data["by_pillar_agency"]:
            print(f"    {r['agency_code']:15} {r['pillar']:15} {r['actions']:4}")
    changes = [c for c in data["changes"] if c["kind"] != "unchanged"]
    if changes:
        print("  changes / perubahan:")
        for c in changes:
            print(f"    [{c['kind']}] {c['agency_code']} {c['action_code']} {c['activity']} "
                  f"({c['status_before']} -> {c['status_after']})")


def cmd_report(args) -> int:
    from smartcity.report import summary_report
    from smartcity.store import open_store

    with open_store(db_path(args.db)) as store:
        report = summary_report(store, args.as_of)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"As of {report['as_of']}: {report['actions']} actions, {report['agencies']} agencies, "
          f"budget Rp {report['budget']:,.0f}, spent Rp {report['budget_spent']:,.0f}")
    for pillar, p in report["pillars"].items():
        ach = "-" if p["achievement"] is None else f"{p['achievement']:.1f}%"
        print(f"  {pillar:15} {p['actions']:4} actions  achievement {ach:>7}  status {p['status']}")
    for k in report["kpis"]:
        value = "-" if k["value"] is None else f"{k['value']:.1f}"
        print(f"  KPI {k['id']:28} {value:>8}  target {k['target']}  {k['status']}")
    return 0


def cmd_review(args) -> int:
    from smartcity.report import latest_as_of
    from smartcity.review import previous_snapshot, reminder_text, review_since
    from smartcity.store import open_store

    # The same defaults as the Tinjauan Mingguan page: the latest date against the snapshot before it.
    with open_store(db_path(args.db)) as store:
        as_of = args.as_of or latest_as_of(store)
        since = args.since or (previous_snapshot(store, as_of) if as_of else None)
        if since is None:
            print("no earlier snapshot to compare with; give --since YYYY-MM-DD", file=sys.stderr)
            return 1
        review = review_since(store, since, as_of, stalled_weeks=args.stalled_weeks)
    data = review.as_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"Review {data['since']} -> {data['as_of']}: {data['counts']}")
    for agency in data["agencies"]:
        print(f"  {agency['name']}")
        for c in agency["changes"]:
            print(f"    [{c['kind']}] {c['action_code']} {c['activity']} ({c['status_before']} -> {c['status_after']})")
    if len(review.not_reported):
        print()
        print(reminder_text(review.not_reported, review.as_of, args.lang))
    return 0


def _password() -> str:
    import getpass
    import os

    return os.environ.get("SMARTCITY_PASSWORD") or getpass.getpass("Kata sandi / password: ")


def cmd_user(args) -> int:
    from smartcity.auth import SYSTEM_ACTOR
    from smartcity.store import open_store
    from smartcity import users

    # The command line is run by the server's operator: it acts as the system administrator.
    with open_store(db_path(args.db)) as store:
        if args.user_command == "add":
            users.add_user(store, SYSTEM_ACTOR, args.username, _password(), args.role, args.agency, args.name)
            print(f"user {args.username} added ({args.role})")
        elif args.user_command == "list":
            for u in users.list_users(store):
                state = "active" if u["active"] else "disabled"
                print(f"{u['username']:20} {u['role']:8} {state:9} {', '.join(u['agencies'])}")
        elif args.user_command == "disable":
            users.set_active(store, SYSTEM_ACTOR, args.username, False)
            print(f"user {args.username} disabled")
        elif args.user_command == "set-password":
            users.set_password(store, SYSTEM_ACTOR, args.username, _password())
            print(f"password of {args.username} changed")
    return 0


def cmd_briefing(args) -> int:
    from smartcity.briefing import render_briefing
    from smartcity.store import open_store

    with open_store(db_path(args.db)) as store:
        out = render_briefing(store, args.out, as_of=args.as_of, lang=args.lang, since=args.since)
    print(f"briefing written to {out}")
    return 0


def cmd_backup(args) -> int:
    from smartcity.backup import backup_connection
    from smartcity.store import open_store

    with open_store(db_path(args.db)) as store:
        manifest = backup_connection(store._conn, args.out)
    print(f"backup written to {args.out}: {sum(manifest['tables'].values())} rows, {len(manifest['files'])} files")
    return 0


def cmd_restore(args) -> int:
    from smartcity.backup import restore

    target = db_path(args.db)
    manifest = restore(args.backup_dir, target)
    print(f"restored {sum(manifest['tables'].values())} rows and {len(manifest['files'])} files into {target}")
    return 0


def cmd_demo(args) -> int:
    from smartcity.demo import DemoDataError, build_demo_db

    target = db_path(args.db)
    try:
        build_demo_db(target)
    except DemoDataError as e:
        print(f"demo data did not load cleanly: {e}", file=sys.stderr)
        return 1
    print(f"demo database written to {target}")
    return 0
