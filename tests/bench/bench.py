#!/usr/bin/env python3
"""`make bench`: the key pages and writes of cppcc-perf under load, beside a
TechEmpower-style baseline served by the same binary.

For each dataset (an office of `demo --scale --years N`, generated once into
its own data directory and kept), the release server runs on its embedded
PostgreSQL (unix socket) with the baseline route switched on, and wrk loads it
over loopback. Measured per endpoint: throughput at concurrency 8/32/128, each
run next to a baseline run of the same concurrency (baseline, page, baseline,
page, ...), latency p50/p99 at half the best throughput, statements per
request from pg_stat_statements, and the server's RSS. Every run is bounded
by --seconds; the server and the cluster are stopped at the end.

Only the standard library, wrk and psql are needed.
"""

import argparse
import concurrent.futures
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "Demo@2026pass"
CONCURRENCIES = (8, 32, 128)
TARGETS = {
    "throughput_ratio": 0.35,
    "p99_ms": 25.0,
    "queries": 4,
    "rss_steady_mib": 80,
    "rss_peak_mib": 200,
    "ten_vs_one_year": 0.15,
}


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# --- the dataset and the server ------------------------------------------------


class Server:
    """The release binary serving one data directory on a loopback port."""

    def __init__(self, binary, data_dir, port):
        self.binary, self.data_dir, self.port = binary, data_dir, port
        self.process = None

    def cli(self, *args, env=None):
        return subprocess.run(
            [self.binary, "--data-dir", self.data_dir, *args],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "LOG_LEVEL": "warn,sqlx=error", **(env or {})},
        ).stdout

    @property
    def superuser_url(self):
        socket_dir = os.path.join(os.path.abspath(self.data_dir), "postgres-run")
        return f"postgres://cppcc_admin@localhost/cppcc?host={socket_dir}"

    def sql(self, query):
        out = subprocess.run(
            ["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", self.superuser_url, "-c", query],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def prepare(self, years):
        """Generates the dataset once into a pristine copy, then gives each
        run a fresh copy of it: the writes change it."""
        pristine = self.data_dir + ".pristine"
        marker = os.path.join(pristine, "bench-dataset")
        if not os.path.exists(marker):
            shutil.rmtree(pristine, ignore_errors=True)
            log(f"generating {years} year(s) of office data in {pristine} ...")
            started = time.time()
            generator = Server(self.binary, pristine, self.port)
            log(generator.cli("demo", "--scale", "--years", str(years)))
            generator.cli("cluster", "start")  # the embedded cluster loads pg_stat_statements
            generator.sql("vacuum analyze")
            generator.cli("cluster", "stop")
            with open(marker, "w") as f:
                f.write(f"{years} years, generated in {time.time() - started:.0f} s\n")
        shutil.rmtree(self.data_dir, ignore_errors=True)
        subprocess.run(["cp", "-a", pristine, self.data_dir], check=True)

    def start(self):
        env = {
            **os.environ,
            "BENCH_BASELINE": "true",
            "LOG_LEVEL": "warn,sqlx=error",
            # The background task would run at start, in the middle of the measurements.
            "TASK_INTERVAL_SECS": "0",
            "MAX_CONCURRENT_REQUESTS": "1024",
        }
        env.pop("DATABASE_URL", None)
        self.process = subprocess.Popen(
            [self.binary, "--data-dir", self.data_dir, "--bind", f"127.0.0.1:{self.port}", "serve"], env=env
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if get(self.port, "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        else:
            raise RuntimeError("the server did not become ready in 60 s")
        self.sql("create extension if not exists pg_stat_statements")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def rss_mib(self, field="VmRSS"):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return 0.0


# --- HTTP as a browser does it -----------------------------------------------------


def get(port, path, cookie=None):
    return request(port, "GET", path, cookie=cookie)


def request(port, method, path, cookie=None, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    all_headers = {"Accept-Language": "zh-CN", **(headers or {})}
    if cookie:
        all_headers["Cookie"] = cookie
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read().decode("utf-8", "replace")
    result = (response.status, dict(response.getheaders()), data)
    connection.close()
    return result


def session_cookie(headers):
    match = re.search(r"cppcc_session=([^;]+)", headers.get("set-cookie", headers.get("Set-Cookie", "")))
    return f"cppcc_session={match.group(1)}" if match else None


def csrf_token(page):
    match = re.search(r'name="csrf-token" content="([^"]+)"', page) or re.search(
        r'name="_csrf" value="([^"]+)"', page
    )
    return match.group(1)


class Visitor:
    """A signed-in person: the session cookie and the CSRF token."""

    def __init__(self, port, username):
        status, headers, page = get(port, "/login")
        cookie = session_cookie(headers)
        form = urllib.parse.urlencode({"_csrf": csrf_token(page), "username": username, "password": PASSWORD})
        status, headers, _ = request(
            port,
            "POST",
            "/login",
            cookie=cookie,
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 303:
            raise RuntimeError(f"signing in as {username}: {status}")
        self.username = username
        self.cookie = session_cookie(headers) or cookie
        status, _, page = get(port, "/", cookie=self.cookie)
        if status != 200:
            raise RuntimeError(f"home page of {username}: {status}")
        self.csrf = csrf_token(page)


# --- requests for wrk --------------------------------------------------------------

BOUNDARY = "----cppccbench7d1f"


def multipart(fields):
    parts = []
    for name, value in fields:
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n')
    parts.append(f"--{BOUNDARY}--\r\n")
    return "".join(parts)


def page_request(visitor, path):
    return ("GET", path, {"Cookie": visitor.cookie, "Accept-Language": "zh-CN"}, "")


def submit_request(visitor, target_id, period_start):
    body = multipart(
        [
            ("_csrf", visitor.csrf),
            ("period_start", period_start),
            ("reported_value", "9"),
            ("state", "on_track"),
            ("narrative", "本月按计划完成，<b>台账</b>已更新。"),
            ("problems", ""),
            ("next_steps", "继续推进"),
            ("version", "0"),
        ]
    )
    headers = {"Cookie": visitor.cookie, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    return ("POST", f"/monitor/targets/{target_id}/reports", headers, body)


def verify_request(visitor, report_id, version, value):
    body = urllib.parse.urlencode(
        {"_csrf": visitor.csrf, "version": version, "audited_value": value, "comment": "属实"}
    )
    headers = {"Cookie": visitor.cookie, "Content-Type": "application/x-www-form-urlencoded"}
    return ("POST", f"/monitor/reports/{report_id}/verify", headers, body)


def lua_string(text):
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char in "\\\"":
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def write_requests(path, items):
    with open(path, "w") as f:
        f.write("return {\n")
        for method, target, headers, body in items:
            header_table = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
            f.write(f"  {{{lua_string(method)}, {lua_string(target)}, {{{header_table}}}, {lua_string(body)}}},\n")
        f.write("}\n")


class Wrk:
    def __init__(self, port, seconds, work_dir):
        self.port, self.seconds, self.work_dir = port, seconds, work_dir

    def run(self, items, connections, delay_ms=0, seconds=None):
        requests_file = os.path.join(self.work_dir, "requests.lua")
        write_requests(requests_file, items)
        threads = 2 if connections >= 2 else 1
        env = {
            **os.environ,
            "BENCH_REQUESTS": requests_file,
            "BENCH_THREADS": str(threads),
            "BENCH_DELAY_MS": str(delay_ms),
        }
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds or self.seconds}s",
                "--timeout",
                "10s",
                "-s",
                os.path.join(HERE, "wrk.lua"),
                f"http://127.0.0.1:{self.port}",
            ],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            timeout=(seconds or self.seconds) + 30,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        errors = sum(result[k] for k in result if k.startswith("errors_"))
        result["rps"] = (result["requests"] - errors) / (result["duration_us"] / 1e6)
        result["errors"] = errors
        log(f"  {items[0][0]} {items[0][1]} c={connections} delay={delay_ms}: {result['rps']:.0f}/s, "
            f"p50 {result['p50_us'] / 1000:.1f} ms, p99 {result['p99_us'] / 1000:.1f} ms, {errors} errors")
        return result


# --- measurements --------------------------------------------------------------------


# Statements of the application's database, BEGIN/COMMIT apart. sqlx looks up
# the catalog (pg_type, pg_enum) once per connection for each enum type; those
# are a new connection's warm-up, not the page's, and are left out.
STATEMENT_COUNTS = (
    "select coalesce(sum(calls) filter (where query !~* '^\\s*(begin|commit|rollback)'), 0), "
    "coalesce(sum(calls) filter (where query ~* '^\\s*(begin|commit|rollback)'), 0) "
    "from pg_stat_statements s join pg_database d on d.oid = s.dbid "
    "where d.datname = 'cppcc' and query !~* 'pg_stat_statements' and query !~ 'FROM pg_catalog\\.pg_'"
)


def statements_per_request(server, item, repeat=20, expect=200):
    """Statements the database ran per request (pg_stat_statements), session
    load and save included; BEGIN/COMMIT counted apart. Writes are sent once
    (repeat=1): each changes what the next would find."""
    method, path, headers, body = item
    server.sql("select pg_stat_statements_reset()")
    for _ in range(repeat):
        status, _, page = request(server.port, method, path, headers=headers, body=body.encode("utf-8") or None)
        if status != expect:
            raise RuntimeError(f"{method} {path}: {status}\n{page[:2000]}")
    queries, transaction = (float(x) / repeat for x in server.sql(STATEMENT_COUNTS)[0])
    return queries, transaction


def find_ids(server):
    """The targets and reports the pages and writes use."""
    (staff_target,) = server.sql(
        "select t.id from target t join target_set s on s.id = t.set_id join cycle c on c.id = s.cycle_id "
        "join person p on p.id = s.person_id where p.username = 's01002' and c.stage = 'implementation' "
        "order by t.sort_order limit 1"
    )[0]
    period = server.sql("select to_char(date_trunc('month', now() at time zone 'Asia/Shanghai'), 'YYYY-MM-DD')")[0][0]
    reportable = server.sql(
        "select p.username, t.id from target t join target_set s on s.id = t.set_id and s.level = 'person' "
        "and s.status = 'approved' join cycle c on c.id = s.cycle_id and c.stage = 'implementation' "
        "join person p on p.id = s.person_id "
        f"where p.username not like 's__001' and not exists (select 1 from progress_report r "
        f"where r.target_id = t.id and r.period_start = '{period}') "
        "order by p.username, t.sort_order"
    )
    return int(staff_target), period, reportable


def verifiable(server):
    return server.sql(
        "select h.username, r.id, r.version, coalesce(r.reported_value, 0) from progress_report r join target t on t.id = r.target_id "
        "join target_set s on s.id = t.set_id join cycle c on c.id = s.cycle_id and c.stage = 'implementation' "
        "join person h on h.department_id = s.department_id and h.username like 's__001' "
        "where r.status = 'submitted' and t.owner_id <> h.id order by h.username, r.id"
    )


def sign_in_many(port, usernames):
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        visitors = dict(zip(usernames, pool.map(lambda name: Visitor(port, name), usernames)))
    log(f"  signed in {len(visitors)} people in {time.time() - started:.0f} s")
    return visitors


def bench_dataset(args, years, full):
    data_dir = os.path.join(args.work, f"data-{years}y")
    server = Server(args.binary, data_dir, args.port)
    server.prepare(years)
    server.start()
    try:
        return measure(args, server, years, full)
    finally:
        server.stop()
        try:
            server.cli("cluster", "stop")
        except subprocess.CalledProcessError:
            pass


def measure(args, server, years, full):
    wrk = Wrk(server.port, args.seconds, args.work)
    staff, head, perf = (Visitor(server.port, u) for u in ("s01002", "s01001", "perf"))
    staff_target, period, reportable = find_ids(server)
    baseline = ("GET", "/bench/fortunes", {}, "")
    pages = [
        ("staff to-do (/)", page_request(staff, "/")),
        ("my targets", page_request(staff, "/plan/my")),
        ("department board", page_request(head, "/monitor/department")),
        ("office board", page_request(perf, "/monitor/office")),
        ("target detail", page_request(staff, f"/plan/targets/{staff_target}")),
        ("approval queue", page_request(head, "/plan/queue")),
    ]
    for name, item in pages:
        status, _, _ = request(server.port, item[0], item[1], headers=item[2])
        if status != 200:
            raise RuntimeError(f"{name}: {status}")
    # Warm the caches and the pool.
    wrk.run([baseline], 32, seconds=2)
    for _, item in pages:
        wrk.run([item], 32, seconds=1)
    results = {"years": years, "rows": dataset_rows(server), "pages": [], "writes": []}
    results["rss_idle_mib"] = server.rss_mib()
    def throughput(items_for_run):
        """Throughput at each concurrency, each beside a baseline run."""
        runs = []
        for c in CONCURRENCIES:
            base = wrk.run([baseline], c)
            run = wrk.run(items_for_run(c), c)
            runs.append({"c": c, "rps": run["rps"], "errors": run["errors"], "baseline_rps": base["rps"],
                         "ratio": run["rps"] / base["rps"] if base["rps"] else 0.0,
                         "p99_ms": run["p99_us"] / 1000})
        return runs

    def at_half_load(items, best_rps):
        """p50/p99 with 16 connections paced to half the best throughput."""
        connections = 16
        delay = max(1, round(1000 * connections / (0.5 * max(best_rps, 1.0))))
        run = wrk.run(items, connections, delay_ms=delay)
        return {"rps": run["rps"], "p50_ms": run["p50_us"] / 1000, "p99_ms": run["p99_us"] / 1000,
                "errors": run["errors"]}

    def compared(item):
        """The best of two page runs at c=32 as a share of the baseline run
        before each: the figure the datasets are compared by."""
        ratios = []
        for _ in range(2):
            base = wrk.run([baseline], 32)
            run = wrk.run([item], 32)
            ratios.append((run["rps"] / base["rps"] if base["rps"] else 0.0, run["rps"]))
        ratio, rps = max(ratios)
        return {"ratio": ratio, "rps": rps}

    base_queries = statements_per_request(server, baseline)
    results["baseline"] = {"queries": base_queries[0]}
    for name, item in pages:
        log(f"{years}y: {name}")
        entry = {"name": name, "path": item[1], "compare": compared(item)}
        if full:
            entry["queries"], entry["transaction"] = statements_per_request(server, item)
            entry["runs"] = throughput(lambda c, item=item: [item])
            best = max(r["rps"] for r in entry["runs"])
            entry["half_load"] = at_half_load([item], best)
            entry["baseline_half_load"] = at_half_load([baseline], max(r["baseline_rps"] for r in entry["runs"]))
            entry["rss_peak_mib"] = server.rss_mib("VmHWM")
        results["pages"].append(entry)
    results["rss_steady_mib"] = server.rss_mib()
    if full:
        results["writes"] = bench_writes(server, wrk, reportable, period, throughput, at_half_load)
    results["rss_peak_mib"] = server.rss_mib("VmHWM")
    return results


def bench_writes(server, wrk, reportable, period, throughput, at_half_load):
    """Submitting a progress report (as its owner) and verifying one (as the
    head): every request a different report, so each one is a real write."""
    log("writes: signing in the reporting staff ...")
    # Enough distinct reports for four runs at a few hundred writes a second.
    rows = reportable[: 600 * wrk.seconds * (len(CONCURRENCIES) + 1)]
    visitors = sign_in_many(server.port, sorted({u for u, _ in rows}))
    submits = [submit_request(visitors[u], int(t), period) for u, t in rows]
    probe = submits.pop()
    queries, transaction = statements_per_request(server, probe, repeat=1, expect=303)
    cursor = {"next": 0}

    def take(count):
        start = cursor["next"]
        cursor["next"] += count
        return submits[start:start + count]

    runs = throughput(lambda c: take(len(submits) // (len(CONCURRENCIES) + 1)))
    best = max(r["rps"] for r in runs)
    half = at_half_load(take(len(submits) - cursor["next"]), best)
    writes = [{"name": "submit a progress report", "queries": queries, "transaction": transaction,
               "runs": runs, "half_load": half}]

    log("writes: signing in the heads ...")
    reports = verifiable(server)
    heads = sign_in_many(server.port, sorted({h for h, _, _, _ in reports}))
    verifies = [verify_request(heads[h], int(r), int(v), value) for h, r, v, value in reports]
    probe = verifies.pop()
    queries, transaction = statements_per_request(server, probe, repeat=1, expect=303)
    submits[:] = verifies
    cursor["next"] = 0
    runs = throughput(lambda c: take(len(submits) // (len(CONCURRENCIES) + 1)))
    best = max(r["rps"] for r in runs)
    half = at_half_load(take(len(submits) - cursor["next"]), best)
    writes.append({"name": "verify a progress report", "queries": queries, "transaction": transaction,
                   "runs": runs, "half_load": half})
    return writes


def dataset_rows(server):
    tables = ["person", "target", "progress_report", "supervision_item", "ledger_record", "audit_log"]
    query = " union all ".join(f"select '{t}', count(*) from {t}" for t in tables)
    return {name: int(count) for name, count in server.sql(query)}


# --- the report -------------------------------------------------------------------------


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    # The results table itself (docs/) does not make the measured code dirty.
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs"], capture_output=True, text=True
    )
    if dirty.stdout.strip():
        commit += " (with uncommitted changes)"
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024),
        "kernel": platform.release(),
        "commit": commit or "unknown",
        "date": datetime.date.today().isoformat(),
        "postgres": pg,
    }


def verdict(ok):
    return "✅" if ok else "❌"


def report(results, machine_info, seconds):
    ten, one = results.get("full"), results.get("small")
    lines = [
        f"Run of {machine_info['date']} on {machine_info['cpu']}, {machine_info['cores']} cores, "
        f"{machine_info['memory_gib']} GiB, Linux {machine_info['kernel']}; commit {machine_info['commit']}; "
        f"{machine_info['postgres']}. wrk runs of {seconds} s on loopback, sharing the cores with the server "
        "and PostgreSQL.",
        "",
        f"Dataset ({ten['years']} years): "
        + ", ".join(f"{name} {count:,}" for name, count in ten["rows"].items())
        + ".",
        "",
        "| endpoint | queries / request | req/s c=8 | req/s c=32 | req/s c=128 | × baseline (worst) "
        "| p50 / p99 at 50 % load | targets |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for entry in ten["pages"] + ten["writes"]:
        runs = {r["c"]: r for r in entry["runs"]}
        worst = min(r["ratio"] for r in entry["runs"])
        half = entry["half_load"]
        is_write = entry in ten["writes"]
        checks = [
            entry["queries"] <= TARGETS["queries"],
            half["p99_ms"] <= TARGETS["p99_ms"],
        ]
        if not is_write:
            checks.append(worst >= TARGETS["throughput_ratio"])
        tx = f" + {entry['transaction']:.0f} tx" if entry["transaction"] else ""
        lines.append(
            f"| {entry['name']} | {entry['queries']:.1f}{tx} | "
            + " | ".join(f"{runs[c]['rps']:,.0f}" + (f" ({runs[c]['errors']} err)" if runs[c]["errors"] else "")
                         for c in CONCURRENCIES)
            + f" | {worst:.2f} | {half['p50_ms']:.1f} / {half['p99_ms']:.1f} ms | {verdict(all(checks))} |"
        )
    base = {r["c"]: r["baseline_rps"] for r in ten["pages"][0]["runs"]}
    base_half = ten["pages"][0]["baseline_half_load"]
    lines.append(
        f"| baseline (fortunes) | {ten['baseline']['queries']:.1f} | "
        + " | ".join(f"{base[c]:,.0f}" for c in CONCURRENCIES)
        + f" | 1.00 | {base_half['p50_ms']:.1f} / {base_half['p99_ms']:.1f} ms | |"
    )
    lines += [
        "",
        f"App RSS: {ten['rss_idle_mib']:.0f} MiB after warm-up, {ten['rss_steady_mib']:.0f} MiB after the page runs "
        f"(target ≤ {TARGETS['rss_steady_mib']}: {verdict(ten['rss_steady_mib'] <= TARGETS['rss_steady_mib'])}), "
        f"peak {ten['rss_peak_mib']:.0f} MiB over the whole run with c=128 "
        f"(target ≤ {TARGETS['rss_peak_mib']}: {verdict(ten['rss_peak_mib'] <= TARGETS['rss_peak_mib'])}).",
    ]
    if one:
        lines += [
            "",
            f"Pages on the {ten['years']}-year dataset against the {one['years']}-year one "
            f"({one['rows']['progress_report']:,} reports): the best of two runs at c=32, each as a share "
            "of the baseline run just before it.",
            "",
            f"| page | req/s {one['years']}y | × baseline {one['years']}y | req/s {ten['years']}y "
            f"| × baseline {ten['years']}y | change | within 15 % |",
            "|---|---|---|---|---|---|---|",
        ]
        for small, big in zip(one["pages"], ten["pages"]):
            a, b = small["compare"], big["compare"]
            change = b["ratio"] / a["ratio"] - 1 if a["ratio"] else 0.0
            lines.append(
                f"| {small['name']} | {a['rps']:,.0f} | {a['ratio']:.3f} | {b['rps']:,.0f} | {b['ratio']:.3f} "
                f"| {change:+.0%} | {verdict(change >= -TARGETS['ten_vs_one_year'])} |"
            )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default="target/release/cppcc-perf")
    parser.add_argument("--work", default="target/bench")
    parser.add_argument("--port", type=int, default=18090)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--compare-years", type=int, default=1, help="0 to skip the small dataset")
    parser.add_argument("--output", default="docs/BENCHMARKS.md")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    args.work = os.path.abspath(args.work)

    results = {"full": bench_dataset(args, args.years, full=True)}
    if args.compare_years:
        results["small"] = bench_dataset(args, args.compare_years, full=False)
    info = machine()
    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump({"machine": info, **results}, f, indent=2, ensure_ascii=False)
    table = report(results, info, args.seconds)
    print(table)
    replace_section(args.output, table)


def replace_section(path, table):
    """Puts the table between the markers of docs/BENCHMARKS.md."""
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    with open(path) as f:
        text = f.read()
    if start not in text or end not in text:
        raise SystemExit(f"{path} has no {start} … {end} section")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    with open(path, "w") as f:
        f.write(before + start + "\n" + table + end + after)


if __name__ == "__main__":
    main()
