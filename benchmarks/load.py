"""Load: ``palermo serve`` (gunicorn, production settings) on PostgreSQL holding N cases and the demo portfolio,
driven by Locust (headless, bounded in time, 127.0.0.1 only) with a realistic mix (benchmarks/load_mix/).

    .venv/bin/python benchmarks/load.py --cases 20000 --duration 60     # a quick run
    .venv/bin/python benchmarks/load.py                                 # 1,000,000 cases, 100 users, 180 s

The database (default ``postgres://postgres@127.0.0.1:5432/palermo_load_<N>``, created if missing) and the work
folder are kept between runs: the cases are generated and imported once per size. Every simulated person signs
in through the pages first (case workers with a TOTP code from their own authenticator device); then Locust runs
for the given time and only what follows the last user's arrival is counted. ``/healthz`` on the same server,
under the same load, is the baseline. Progress goes to stderr; the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).with_name("load_mix")))
from pages import BASELINE, PAGES, headers  # noqa: E402 (plain Python, no Locust)

LOCUSTFILE = Path(__file__).with_name("load_mix") / "locustfile.py"
PASSWORD = "Load-test-password-2026"  # noqa: S105 (synthetic accounts of a throw-away database)
FIELD_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"palermo load benchmark, synthetic data").digest()).decode()
COUNTRIES = ("AL", "BA", "BG", "GR", "HR", "MD", "ME", "MK", "RO", "RS", "XK")
GOAL_P95_MS = 250
COST_REPEATS = 5


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def environment(workdir: Path, database_url: str) -> dict[str, str]:
    """Production settings, secrets in files, as docs/deployment.md sets them (benchmark keys, kept per folder)."""
    secret = workdir / "secret_key"
    if not secret.exists():
        secret.write_text(base64.urlsafe_b64encode(os.urandom(48)).decode())
    field_key = workdir / "field_encryption_key"
    field_key.write_text(FIELD_KEY)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PALERMO_", "DATABASE_URL", "DJANGO_"))}
    return {
        **clean,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
        "DJANGO_SETTINGS_MODULE": "palermo.settings",
        "PALERMO_PRODUCTION": "1",
        "PALERMO_SECRET_KEY_FILE": str(secret),
        "PALERMO_FIELD_ENCRYPTION_KEY_FILE": str(field_key),
        "PALERMO_AUDIT_KEY": "palermo load benchmark audit key, synthetic data",
        "PALERMO_ALLOWED_HOSTS": "127.0.0.1",
        "PALERMO_VAR_DIR": str(workdir / "var"),
        "DATABASE_URL": database_url,
        "PALERMO_DB_CONN_MAX_AGE": "60",
        "PALERMO_LOG_LEVEL": "WARNING",
        "PALERMO_STATIC_COMPRESSION_LEVEL": "5",
        "PALERMO_LOGIN_FAILURE_LIMIT": "1000",
        "PALERMO_IMPORT_MAX_ROWS": "2000000",  # one file per country: Romania's holds 391,002 cases
        "PALERMO_IMPORT_MAX_BYTES": str(2 * 1024**3),
    }


def palermo(env: dict[str, str], *args: str) -> None:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "palermo.cli", *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"palermo {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    log(f"palermo {' '.join(args[:3])}: {time.perf_counter() - started:.0f} s")


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            log(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def shares(total: int) -> dict[str, int]:
    """The cases of each country, in the proportions of the demo (official yearly victims)."""
    from palermo.cases.demo import load_profiles

    weights = {code: profile["mean_yearly_victims"] for code, profile in sorted(load_profiles().items())}
    whole = sum(weights.values())
    counts = {code: int(total * weight / whole) for code, weight in weights.items()}
    counts[max(weights, key=weights.__getitem__)] += total - sum(counts.values())
    return counts


def write_cases(path: Path, code: str, count: int, seed: int) -> None:
    from palermo.cases.demo import DESTINATIONS, load_profiles
    from palermo.cases.importing.records import ROW_KEY
    from palermo.cases.samples import HTCDS_COLUMNS, Profile, synthetic_row

    data = load_profiles()[code]
    profile = Profile(country=code, sex_age=data["sex_age"], forms=data["forms"], destination=code in DESTINATIONS)
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HTCDS_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for index in range(count):
            row = synthetic_row(rng, index, profile, 2014 + index % 12)
            row.pop(ROW_KEY, None)
            writer.writerow(row)


def prepare(env: dict[str, str], workdir: Path, cases: int) -> int:
    """Migrate, load the demo, import the load cases (once per size), refresh the snapshot; returns all cases."""
    palermo(env, "migrate", "--noinput")
    from palermo.cases.models import Case
    from palermo.partners.models import Organisation

    if not Case.objects.filter(source__startswith="demo").exists():
        palermo(env, "demo")
    imported = False
    for code, count in shares(cases).items():
        source = f"load-{cases}-{code}"
        if count == 0 or Case.objects.filter(source=source).count() == count:
            continue
        organisation = Organisation.objects.get(short_name=f"NGO-{code}")
        path = workdir / f"cases-{code}.csv"
        log(f"{code}: generating {count} cases")
        write_cases(path, code, count, seed=COUNTRIES.index(code))
        palermo(env, "import", "cases", str(path), "--format", "htcds", "--source", source,
                "--organisation", str(organisation.pk), "--country", code, "--no-progress")
        path.unlink()
        imported = True
    vacuum_if_never_done()
    from palermo.diagnostics.snapshot import snapshot_path

    if imported or not snapshot_path().exists():
        palermo(env, "diagnostics", "refresh")
    from palermo.ops.staticfiles import missing_static_files

    if missing_static_files():
        palermo(env, "collectstatic", "--noinput", "-v", "0")
    return Case.objects.count()


def vacuum_if_never_done() -> None:
    """VACUUM (ANALYZE) the case tables once, as autovacuum does after a load on a server where it is on (the
    default; this benchmark's server may have it off): planner statistics, and the visibility map that lets a count
    read the index alone."""
    from django.db import connection

    from palermo.cases.importing.bulk import case_tables

    tables = case_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_user_tables WHERE relname = ANY(%s) AND last_vacuum IS NULL "
                       "AND last_autovacuum IS NULL", [tables])
        if cursor.fetchone()[0] == 0:
            return
    started = time.perf_counter()
    connection.ensure_connection()
    previous = connection.get_autocommit()
    connection.set_autocommit(True)  # VACUUM runs outside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(connection.ops.quote_name(t) for t in tables)}")
    finally:
        connection.set_autocommit(previous)
    log(f"VACUUM (ANALYZE) of the case tables: {time.perf_counter() - started:.0f} s")


def accounts(pools: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Accounts of the simulated people (created once): staff, case workers with their authenticator device,
    API clients with a token."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from palermo.accounts.access import SYSTEM
    from palermo.accounts.models import User
    from palermo.accounts.roles import Role
    from palermo.accounts.services import approve_as_system
    from palermo.partners.models import Organisation
    from palermo.reference.models import Country

    password = make_password(PASSWORD)
    ngos = {o.short_name: o for o in Organisation.objects.filter(short_name__startswith="NGO-")}
    people: dict[str, list[dict[str, Any]]] = {kind: [] for kind in pools}
    for kind, count in pools.items():
        for number in range(count):
            code = COUNTRIES[number % len(COUNTRIES)]
            role, organisation = {
                "staff": (Role.PROGRAMME_MANAGER if number % 2 == 0 else Role.NATIONAL_COORDINATOR, None),
                "caseworker": (Role.CASE_WORKER, ngos[f"NGO-{code}"]),
                "api-portfolio": (Role.NATIONAL_COORDINATOR, None),
                "api-analyst": (Role.ANALYST, None),
            }[kind]
            username = f"load-{kind}-{number:03d}"
            user, created = User.objects.get_or_create(
                username=username, defaults={"role": role, "organisation": organisation, "password": password})
            if created and role not in (Role.PROGRAMME_MANAGER,):
                user.countries.set(Country.objects.filter(code=code))
            approve_as_system(acting_user=SYSTEM.running("benchmark"), user=user)  # case workers' identities
            person: dict[str, Any] = {"username": username, "language": "fr" if number % 3 == 0 else "en"}
            if user.needs_two_factor:  # case workers and programme managers
                device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
                if device is None:
                    device = TOTPDevice.objects.create(user=user, name="load authenticator", confirmed=True)
                person["totp_key"] = device.key
            if kind.startswith("api"):
                person["token"] = Token.objects.get_or_create(user=user)[0].key
            people[kind].append(person)
    return people


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(env: dict[str, str], command: list[str], logfile: Path) -> subprocess.Popen[bytes]:
    with logfile.open("wb") as output:
        return subprocess.Popen([sys.executable, "-m", "palermo.cli", *command], env=env, cwd=ROOT, stdout=output,
                                stderr=subprocess.STDOUT, start_new_session=True)


def start_server(env: dict[str, str], port: int, workers: int | None, threads: int | None,
                 logfile: Path) -> subprocess.Popen[bytes]:
    """``palermo serve``, ready (``/readyz`` 200: a ``palermo worker`` must be running too)."""
    command = ["serve", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers)] if workers else []
    command += ["--threads", str(threads)] if threads else []
    process = start(env, command, logfile)
    import requests

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"palermo serve stopped:\n{logfile.read_text()[-3000:]}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"palermo serve is not ready:\n{logfile.read_text()[-3000:]}")


def sign_in(base: str, person: dict[str, Any]) -> tuple[dict[str, Any], float]:
    """Sign in through the pages as a browser would (second factor included); the session cookie is the result."""
    import requests
    from django_otp.oath import TOTP

    started = time.perf_counter()
    session = requests.Session()
    session.headers.update({"X-Forwarded-Proto": "https", "Accept-Language": person["language"]})

    def post(path: str, data: dict[str, str]) -> requests.Response:
        page = session.get(f"{base}{path}", allow_redirects=False)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or found is None:
            raise SystemExit(f"{person['username']}: {path} answered {page.status_code}")
        unsecure_cookies(session)
        return session.post(f"{base}{path}", data={"csrfmiddlewaretoken": found.group(1), **data},
                            headers={"Referer": f"https://{urlsplit(base).netloc}{path}"}, allow_redirects=False)

    response = post("/accounts/login/", {"username": person["username"], "password": PASSWORD})
    unsecure_cookies(session)
    if response.status_code != 302:
        raise SystemExit(f"{person['username']}: sign-in answered {response.status_code}")
    if "totp_key" in person:
        for _attempt in range(3):
            totp = TOTP(bytes.fromhex(person["totp_key"]))
            totp.time = time.time()
            response = post("/accounts/two-factor/", {"token": f"{totp.token():06d}"})
            unsecure_cookies(session)
            if response.status_code == 302:
                break
            time.sleep(30 - time.time() % 30 + 1)  # a code is accepted once: wait for the next one
        else:
            raise SystemExit(f"{person['username']}: the second factor was refused")
    home = session.get(f"{base}/", allow_redirects=False)
    if home.status_code != 200:
        raise SystemExit(f"{person['username']}: home answered {home.status_code} after signing in")
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies if c.name in ("sessionid", "csrftoken"))
    return {"cookie": cookie, "language": person["language"], "username": person["username"]}, (
        time.perf_counter() - started)


def unsecure_cookies(session: Any) -> None:
    """The benchmark speaks plain HTTP to 127.0.0.1 in nginx's place: keep sending the Secure cookies."""
    for cookie in session.cookies:
        cookie.secure = False


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def rank(q: float) -> float:  # nearest rank
        return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)], 1) if ordered else 0.0

    return {"p50_ms": rank(0.50), "p95_ms": rank(0.95), "p99_ms": rank(0.99)}


def summarise(samples: list[list[Any]], since: float) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    pages: dict[str, dict[str, Any]] = {}
    for start, name, milliseconds, ok in samples:
        if start < since:
            continue
        page = pages.setdefault(name, {"times": [], "errors": 0})
        page["times"].append(milliseconds)
        page["errors"] += 0 if ok else 1
    table = {name: {"requests": len(p["times"]), "errors": p["errors"], **percentiles(p["times"])}
             for name, p in sorted(pages.items())}
    baseline = table.pop(BASELINE, {"requests": 0, "errors": 0, **percentiles([])})
    every = [t for name, p in pages.items() if name != BASELINE for t in p["times"]]
    overall = {"requests": len(every), "errors": sum(p["errors"] for p in table.values()), **percentiles(every)}
    return table, overall, baseline


def _cpu_seconds(pid: int) -> float:
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(master: int) -> list[int]:
    found = []
    for child in Path("/proc").glob("[0-9]*"):
        try:
            if int((child / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(child.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


class CpuMeter:
    """CPU seconds spent by the server (gunicorn's master and workers) and by the PostgreSQL sessions of the
    benchmark database: what the requests cost, whatever else the machine is doing."""

    def __init__(self, master: int, database_url: str) -> None:
        self.master, self.database_url = master, database_url

    def sample(self) -> dict[str, dict[int, float]]:
        import psycopg

        server = {pid: _cpu_seconds(pid) for pid in [self.master, *_children(self.master)]}
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            pids = [row[0] for row in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")]
        return {"server": server, "database": {pid: _cpu_seconds(pid) for pid in pids}}

    @staticmethod
    def spent(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
        return {part: round(sum(max(0.0, seconds - before[part].get(pid, 0.0))
                                for pid, seconds in after[part].items()), 3) for part in after}


def page_costs(base: str, sessions: dict[str, list[dict[str, Any]]], meter: CpuMeter) -> dict[str, dict[str, float]]:
    """Each page alone, a few times in a row on a quiet server: server and database CPU milliseconds per request
    (the capacity of a 2-core machine is about 2,000 ms of CPU per second) and the time of the median request.
    Cached pages whose address varies (a random country or figure) are mostly first requests here, in each of the
    workers: ``cpu_ms_per_request_under_load`` says what the mix costs once the caches are warm."""
    import requests

    costs: dict[str, dict[str, float]] = {}
    pages = [(kind, name, url) for kind, members in PAGES.items() for name, _weight, url in members]
    pages.append(("staff", BASELINE, lambda: "/healthz"))
    with requests.Session() as http:
        for kind, name, url in pages:
            sent = headers(sessions[kind][0])
            before, times = meter.sample(), []
            for _ in range(COST_REPEATS):
                started = time.perf_counter()
                response = http.get(f"{base}{url()}", headers=sent, allow_redirects=False, timeout=120)
                times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: {url()} answered {response.status_code} before the load began")
            spent = CpuMeter.spent(before, meter.sample())
            key = name if name == BASELINE or name not in costs else f"{name} ({kind})"
            costs[key] = {"server_cpu_ms": round(spent["server"] * 1000 / COST_REPEATS, 1),
                          "database_cpu_ms": round(spent["database"] * 1000 / COST_REPEATS, 1),
                          "median_ms": round(sorted(times)[COST_REPEATS // 2], 1)}
    return costs


def mix_cost(costs: dict[str, dict[str, float]], pools: dict[str, int]) -> float:
    """CPU milliseconds (server and database) of the average request of the mix: each person asks for pages at
    about the same rate, each page as often as its weight (with /healthz at weight 1)."""
    people = sum(pools.values())
    total = 0.0
    for kind, members in PAGES.items():
        weights = [(name, weight) for name, weight, _url in members] + [(BASELINE, 1)]
        whole = sum(weight for _name, weight in weights)
        for name, weight in weights:
            cost = costs.get(f"{name} ({kind})") or costs[name]
            total += pools[kind] / people * weight / whole * (cost["server_cpu_ms"] + cost["database_cpu_ms"])
    return total


def worker_memory_mb(master: int) -> list[int]:
    sizes = []
    for pid in _children(master):
        try:
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
            rss = next(line for line in status if line.startswith("VmRSS"))
        except (OSError, StopIteration):
            continue
        sizes.append(int(rss.split()[1]) // 1024)
    return sorted(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases imported besides the demo's")
    parser.add_argument("--users", type=int, default=100, help="concurrent simulated people")
    parser.add_argument("--duration", type=int, default=180, help="seconds of load after every user has arrived")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--think", default="1,5", help="seconds between two pages of one person: MIN,MAX")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: PALERMO_SERVE_WORKERS)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: PALERMO_SERVE_THREADS)")
    parser.add_argument("--database-url", help="PostgreSQL database (default: .../palermo_load_<cases>)")
    parser.add_argument("--workdir", help="folder kept between runs (default: <tmp>/palermo-load-<cases>)")
    parser.add_argument("--prepare-only", action="store_true", help="load the database and the accounts, then stop")
    args = parser.parse_args()
    database_url = args.database_url or f"postgres://postgres@127.0.0.1:5432/palermo_load_{args.cases}"
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the load benchmark runs on PostgreSQL: give --database-url postgres://...")
    workdir = Path(args.workdir or Path(tempfile.gettempdir()) / f"palermo-load-{args.cases}")
    workdir.mkdir(parents=True, exist_ok=True)
    env = environment(workdir, database_url)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("PALERMO_", "DATABASE_URL", "DJANGO_"))})

    try:
        ensure_database(database_url)
    except Exception as error:
        log(f"PostgreSQL is not usable at {database_url}: {error}")
        print(json.dumps({"skipped": f"the load benchmark needs PostgreSQL ({database_url})"}))
        return
    import django

    django.setup()
    total_cases = prepare(env, workdir, args.cases)
    staff, caseworkers = round(args.users * 0.45), round(args.users * 0.30)
    api_portfolio = round(args.users * 0.12)
    pools = {"staff": staff, "caseworker": caseworkers, "api-portfolio": api_portfolio,
             "api-analyst": args.users - staff - caseworkers - api_portfolio}
    people = accounts(pools)
    from django.db import connections

    connections.close_all()
    if args.prepare_only:
        log(f"prepared: {total_cases} cases in {database_url}")
        return

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    worker = start(env, ["worker", "--worker-id", f"load-{port}"], workdir / "worker.log")
    server = start_server(env, port, args.workers, args.threads, workdir / "server.log")
    try:
        log(f"server ready on {base}; signing in {sum(pools.values())} people through the pages")
        sessions: dict[str, list[dict[str, Any]]] = {kind: [] for kind in pools}
        sign_in_seconds: list[float] = []
        with ThreadPoolExecutor(max_workers=4) as pool:
            for kind, members in people.items():
                for person in members:
                    if "token" in person:
                        sessions[kind].append({"token": person["token"], "language": person["language"]})
                for result, seconds in pool.map(lambda p: sign_in(base, p), [p for p in members if "token" not in p]):
                    sessions[kind].append(result)
                    sign_in_seconds.append(seconds * 1000)
        (workdir / "sessions.json").write_text(json.dumps(sessions))
        meter = CpuMeter(server.pid, database_url)
        log("each page alone: CPU per request")
        costs = page_costs(base, sessions, meter)
        before_load = meter.sample()
        samples_path = workdir / "samples.json"
        samples_path.unlink(missing_ok=True)
        ramp = args.users / args.spawn_rate
        log(f"Locust: {args.users} users, {ramp:.0f} s arrival, then {args.duration} s counted")
        locust = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", base,
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{int(ramp + args.duration + 1)}s",
             "--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            env={**os.environ, "PALERMO_LOAD_SESSIONS": str(workdir / "sessions.json"),
                 "PALERMO_LOAD_SAMPLES": str(samples_path), "PALERMO_LOAD_THINK": args.think},
            cwd=workdir, capture_output=True, text=True, check=False,
        )
        (workdir / "locust.log").write_text(locust.stdout + locust.stderr)
        if not samples_path.exists():
            raise SystemExit(f"Locust wrote no samples (exit {locust.returncode}):\n{locust.stderr[-3000:]}")
        memory = worker_memory_mb(server.pid)
        load_cpu = CpuMeter.spent(before_load, meter.sample())
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            process.wait(timeout=120)
    recorded = json.loads(samples_path.read_text())
    since = recorded["marks"].get("spawned", 0.0)
    table, overall, baseline = summarise(recorded["samples"], since)
    counted = max(1.0, max((s[0] for s in recorded["samples"]), default=since) - since)
    think = [float(value) for value in args.think.split(",")]
    mean_cpu_ms = mix_cost(costs, pools)
    result = {
        "cases": total_cases, "load_cases": args.cases, "database": "postgresql", "users": args.users,
        "think_seconds": args.think, "seconds_counted": round(counted), "server": f"palermo serve on {base}",
        "workers": args.workers or int(os.environ.get("PALERMO_SERVE_WORKERS", 3)),
        "threads": args.threads or int(os.environ.get("PALERMO_SERVE_THREADS", 4)),
        "worker_rss_mb": memory, "load_average_after": [round(x, 1) for x in os.getloadavg()],
        "sign_in": {"people": len(sign_in_seconds), **percentiles(sign_in_seconds)},
        "requests": overall["requests"], "errors": overall["errors"],
        "requests_per_second": round(overall["requests"] / counted, 1),
        "cpu_seconds_during_load": load_cpu,
        "mix_cpu_ms_per_request": round(mean_cpu_ms, 1),
        # Measured: CPU (server and database) spent during the load over every request made in it (/healthz too).
        "cpu_ms_per_request_under_load": round(
            (load_cpu["server"] + load_cpu["database"]) * 1000 / max(1, len(recorded["samples"])), 1),
        # What the machine could serve if the benchmark had it to itself, and what the people ask for.
        "capacity_rps_estimate": round((os.cpu_count() or 1) * 1000 / mean_cpu_ms, 1),
        "offered_rps_estimate": round(args.users / (sum(think) / len(think)), 1),
        "overall": overall, "baseline_healthz": baseline,
        "ratio_p95_to_baseline": round(overall["p95_ms"] / baseline["p95_ms"], 1) if baseline["p95_ms"] else None,
        "goal": f"p95 < {GOAL_P95_MS} ms with 0 errors",
        "goal_met": overall["p95_ms"] < GOAL_P95_MS and overall["errors"] == 0,
        "pages": table,
        "page_costs_alone": costs,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
