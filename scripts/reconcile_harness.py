#!/usr/bin/env python3
"""HTTP side of scripts/chaos-kill.sh and scripts/bench-reconcile.sh (stdlib only).

The shell scripts start and kill the processes; this file talks to them: it PUTs resources
through the ccplane API, waits for them to become Ready, checks the emulator holds exactly one
client per resource with the desired properties, and samples CPU, memory and call rates.

Every subcommand prints one `RESULT_JSON {...}` line (besides human-readable progress on stderr)
and exits 0 on success, 1 on a failed check or a timeout, 2 on a usage or connection error.
"""

import argparse
import collections
import concurrent.futures
import datetime
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

POOL = "us-east-1_examplePoolId"
FIXTURES = ["seed-basic.json", "seed-advanced.json", "seed-analytics.json", "seed-custom-auth.json"]
# Properties a chaos update sets on every K-th resource (a new generation, applied by UpdateResource).
UPDATE_SET = {"RefreshTokenValidity": 7}
# A property the chaos update removes where present (the reconciler must remove it in AWS too).
UPDATE_REMOVE = "LogoutURLs"
# An API token for ccplane (`ccplane token create`), sent as a Bearer token when set.
TOKEN = os.environ.get("CCPLANE_TOKEN", "")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --- HTTP -------------------------------------------------------------------------------------

class Http:
    """Keep-alive JSON client, one connection per thread; reconnects once on a dropped connection."""

    def __init__(self, base, timeout=30.0):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port or 80
        self.timeout = timeout
        self.local = threading.local()

    def _conn(self):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.local.conn = conn
        return conn

    def request(self, method, path, body=None):
        """Returns (status, parsed JSON or text, or None when empty). A 429 is waited out (its
        Retry-After, at most 5 s a time) and retried, up to 20 times."""
        for _ in range(20):
            status, parsed, retry_after = self._request(method, path, body)
            if status != 429:
                break
            try:
                wait = float(retry_after or 1)
            except ValueError:
                wait = 1.0
            time.sleep(min(max(wait, 0.05), 5.0))
        return status, parsed

    def request_with(self, method, path, body, content_type):
        """`request` with a body of another media type (a JSON merge patch)."""
        for _ in range(20):
            status, parsed, retry_after = self._request(method, path, body, content_type)
            if status != 429:
                break
            time.sleep(min(max(float(retry_after or 1), 0.05), 5.0))
        return status, parsed

    def _request(self, method, path, body, content_type="application/json"):
        data = None if body is None else json.dumps(body).encode()
        headers = {"content-type": content_type} if data is not None else {}
        if TOKEN:
            headers["authorization"] = f"Bearer {TOKEN}"
        for attempt in (1, 2):
            conn = self._conn()
            try:
                conn.request(method, path, body=data, headers=headers)
                resp = conn.getresponse()
                raw = resp.read()
                break
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        text = raw.decode("utf-8", "replace")
        ctype = resp.getheader("content-type", "")
        parsed = json.loads(text) if raw and "json" in ctype else (text or None)
        return resp.status, parsed, resp.getheader("retry-after")

    def get_json(self, path):
        status, body = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {body}")
        return body


def collection(ns):
    return f"/v1/namespaces/{urllib.parse.quote(ns)}/user-pool-clients"


def list_all(api, ns, phase=None):
    """Every resource of a namespace, following nextCursor (bounded at 1,000 pages)."""
    items, cursor = [], None
    for _ in range(1000):
        q = {"limit": "500"}
        if phase:
            q["phase"] = phase
        if cursor:
            q["cursor"] = cursor
        page = api.get_json(f"{collection(ns)}?{urllib.parse.urlencode(q)}")
        items.extend(page.get("items", []))
        cursor = page.get("nextCursor")
        if not cursor:
            return items
    raise RuntimeError("more than 1,000 pages")


def metrics(api):
    """The Prometheus text of /metrics as {series: value}."""
    status, text = api.request("GET", "/metrics")
    if status != 200:
        raise RuntimeError(f"/metrics: {status}")
    out = {}
    for line in (text or "").splitlines():
        if line and not line.startswith("#"):
            series, _, value = line.rpartition(" ")
            try:
                out[series] = float(value)
            except ValueError:
                pass
    return out


def ready_gauge(api):
    return int(metrics(api).get('ccplane_resources{phase="Ready"}', 0))


# --- desired documents ------------------------------------------------------------------------

def documents(count, prefix, fixtures_dir, pools=None, plain=False):
    """{name: properties}: one in five plain, the others the repository's fixtures, renamed;
    spread round-robin over `pools` (default: the one seeded pool). `plain`: no fixtures."""
    fixtures = []
    for f in FIXTURES:
        with open(os.path.join(fixtures_dir, f)) as fh:
            fixtures.append(json.load(fh))
    pools = pools or [POOL]
    docs = {}
    for i in range(count):
        variant = 0 if plain else i % (len(fixtures) + 1)
        props = {} if variant == 0 else json.loads(json.dumps(fixtures[variant - 1]))
        props["UserPoolId"] = pools[i % len(pools)]
        props["ClientName"] = f"{prefix}-{i}"
        docs[f"{prefix}-{i:05d}"] = props
    return docs


def put_all(api, ns, docs, threads):
    """PUTs every document with a thread pool (`threads` 0: a plain loop in this thread); returns
    (seconds, {status: count}, first errors)."""
    codes = collections.Counter()
    errors = []
    lock = threading.Lock()

    def put(item):
        name, props = item
        try:
            status, body = api.request("PUT", f"{collection(ns)}/{name}", {"properties": props})
        except Exception as e:  # noqa: BLE001 - any failure is counted and reported
            status, body = "error", str(e)
        with lock:
            codes[status] += 1
            if status not in (200, 201) and len(errors) < 5:
                errors.append({"name": name, "status": status, "body": body})

    started = time.monotonic()
    if threads == 0:
        # A plain loop, one request after another, the way a simple script or CI job sends them.
        for item in docs.items():
            put(item)
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(put, docs.items()))
    return time.monotonic() - started, dict(codes), errors


# --- property comparison ----------------------------------------------------------------------

def canonical(v):
    return json.dumps(v, sort_keys=True)


def mismatches(desired, actual, path=""):
    """Where `actual` differs from `desired`: every desired key must match; lists compare as
    multisets (Cognito's list settings are sets); extra keys in `actual` are server defaults."""
    if isinstance(desired, dict):
        if not isinstance(actual, dict):
            return [f"{path or '/'}: want object, got {canonical(actual)}"]
        out = []
        for k, v in desired.items():
            if k not in actual:
                out.append(f"{path}/{k}: missing (want {canonical(v)})")
            else:
                out.extend(mismatches(v, actual[k], f"{path}/{k}"))
        return out
    if isinstance(desired, list):
        if not isinstance(actual, list) or sorted(map(canonical, desired)) != sorted(map(canonical, actual)):
            return [f"{path}: want {canonical(desired)}, got {canonical(actual)}"]
        return []
    if desired != actual or type(desired) is bool and type(actual) is not bool:
        return [f"{path}: want {canonical(desired)}, got {canonical(actual)}"]
    return []


# --- subcommands ------------------------------------------------------------------------------

def cmd_put(a):
    api = Http(a.api)
    docs = documents(a.count, a.prefix, a.fixtures)
    secs, codes, errors = put_all(api, a.ns, docs, a.threads)
    with open(a.desired, "w") as fh:
        json.dump({"generations": {n: 1 for n in docs}, "removed": {}, "properties": docs}, fh)
    ok = sum(v for k, v in codes.items() if k in (200, 201))
    log(f"put {ok}/{len(docs)} in {secs:.2f} s ({len(docs) / secs:.0f}/s), codes {codes}")
    for e in errors:
        log(f"  PUT failed: {e}")
    emit({"put": ok, "total": len(docs), "seconds": secs, "codes": codes})
    return 0 if ok == len(docs) else 1


def cmd_update(a):
    """A new generation for every K-th resource: UPDATE_SET applied, UPDATE_REMOVE removed."""
    api = Http(a.api)
    with open(a.desired) as fh:
        state = json.load(fh)
    changed = {}
    for i, name in enumerate(sorted(state["properties"])):
        if i % a.every != 0:
            continue
        props = dict(state["properties"][name], **UPDATE_SET)
        props["ClientName"] = props["ClientName"] + "-v2"
        if props.pop(UPDATE_REMOVE, None) is not None:
            state["removed"][name] = [UPDATE_REMOVE]
        changed[name] = props
    secs, codes, errors = put_all(api, a.ns, changed, a.threads)
    for name, props in changed.items():
        state["properties"][name] = props
        state["generations"][name] += 1
    with open(a.desired, "w") as fh:
        json.dump(state, fh)
    ok = codes.get(200, 0) + codes.get(201, 0)
    log(f"updated {ok}/{len(changed)} in {secs:.2f} s, codes {codes}")
    for e in errors:
        log(f"  PUT failed: {e}")
    emit({"updated": ok, "total": len(changed), "codes": codes})
    return 0 if ok == len(changed) else 1


def converged(item, generations):
    s = item.get("status") or {}
    want = generations.get(item["name"], item["metadata"]["generation"]) if generations else item["metadata"]["generation"]
    return (s.get("phase") == "Ready" and s.get("observedGeneration") == want
            and item["metadata"]["generation"] == want and not s.get("currentOperation"))


def cmd_wait_ready(a):
    """Waits until `count` resources are Ready at their latest generation (listing the namespace)."""
    api = Http(a.api)
    generations = None
    if a.desired:
        with open(a.desired) as fh:
            generations = json.load(fh)["generations"]
    started = time.monotonic()
    last_log, done = 0.0, 0
    while True:
        try:
            done = sum(1 for it in list_all(api, a.ns, "Ready") if converged(it, generations))
        except (RuntimeError, OSError, http.client.HTTPException) as e:
            log(f"wait-ready: {e}")
        elapsed = time.monotonic() - started
        if done >= a.count:
            log(f"wait-ready: {done}/{a.count} converged after {elapsed:.1f} s")
            emit({"ready": done, "seconds": elapsed})
            return 0
        if elapsed > a.timeout:
            log(f"wait-ready: TIMEOUT after {elapsed:.0f} s, {done}/{a.count} converged")
            emit({"ready": done, "seconds": elapsed, "timeout": True})
            return 1
        if elapsed - last_log >= 10:
            log(f"wait-ready: {done}/{a.count} after {elapsed:.0f} s")
            last_log = elapsed
        time.sleep(a.interval)


def emulator_stats(emu):
    return emu.get_json("/_emulator/stats")


def pool_clients(stats, pool=POOL):
    return sum(p["clients"] for p in stats.get("pools", []) if p["user_pool_id"] == pool)


def calls_table(stats):
    return {f'{c["operation"]}:{c["outcome"]}': c["count"] for c in stats.get("calls", [])}


def requests_table(stats):
    return {f'{r["operation"]}:{r["status"]}': r["count"] for r in stats.get("requests", [])}


def cmd_verify(a):
    """Exactly one emulator client per resource, with the desired properties; no concurrent ops."""
    api, emu = Http(a.api), Http(a.emulator)
    with open(a.desired) as fh:
        state = json.load(fh)
    desired, generations, removed = state["properties"], state["generations"], state["removed"]
    failures = []

    def fail(msg):
        failures.append(msg)

    items = {it["name"]: it for it in list_all(api, a.ns)}
    if set(items) != set(desired):
        fail(f"resources in the API: {len(items)}, desired {len(desired)}; "
             f"missing {sorted(set(desired) - set(items))[:5]}, extra {sorted(set(items) - set(desired))[:5]}")
    by_client = collections.defaultdict(list)
    bad = []
    for name, props in sorted(desired.items()):
        it = items.get(name)
        if it is None:
            continue
        s = it.get("status") or {}
        problems = []
        if not converged(it, generations):
            problems.append(f"not converged: phase={s.get('phase')} observedGeneration={s.get('observedGeneration')} "
                            f"generation={it['metadata']['generation']} want={generations[name]} "
                            f"currentOperation={canonical(s.get('currentOperation'))} lastError={canonical(s.get('lastError'))}")
        cid = s.get("clientId")
        if not cid:
            problems.append("no clientId")
        else:
            by_client[cid].append(name)
            status, model = emu.request("GET", f"/_emulator/pools/{POOL}/clients/{cid}")
            if status != 200:
                problems.append(f"client {cid} not in the emulator ({status})")
            else:
                problems.extend(mismatches(props, model))
                for key in removed.get(name, []):
                    if key in model:
                        problems.append(f"/{key}: removed from the document but still {canonical(model[key])}")
        if problems:
            bad.append(name)
            if len(bad) <= 10:
                fail(f"{name}: " + "; ".join(problems))
    if len(bad) > 10:
        fail(f"... {len(bad)} resources with problems in all")
    shared = {c: n for c, n in by_client.items() if len(n) > 1}
    if shared:
        fail(f"client ids shared by several resources: {list(shared.items())[:5]}")

    stats = emulator_stats(emu)
    clients = pool_clients(stats)
    requests = requests_table(stats)
    creates_ok = requests.get("CREATE:SUCCESS", 0)
    if clients != len(desired):
        fail(f"the pool holds {clients} clients for {len(desired)} resources")
    if creates_ok > len(desired):
        fail(f"{creates_ok} CreateResource requests succeeded for {len(desired)} resources (a client was created twice)")
    if stats["concurrent_operation_exceptions"]:
        fail(f"{stats['concurrent_operation_exceptions']} ConcurrentOperationExceptions")
    result = {
        "ok": not failures,
        "resources": len(desired),
        "updated": sum(1 for g in generations.values() if g > 1),
        "converged": len(desired) - len(bad),
        "pool_clients": clients,
        "duplicates": clients - len(desired),
        "concurrent_operation_exceptions": stats["concurrent_operation_exceptions"],
        "client_token_conflict_exceptions": stats["client_token_conflict_exceptions"],
        "total_calls": stats["total_calls"],
        "calls": calls_table(stats),
        "requests": requests,
    }
    for f in failures:
        log(f"verify: FAIL {f}")
    if failures and a.dump:
        dump_failed(api, a.ns, [n for n in bad[:3]], a.dump)
    emit(result)
    return 0 if not failures else 1


def dump_failed(api, ns, names, path):
    """The status and events of a few failed resources, for the report."""
    out = {}
    for name in names:
        try:
            out[name] = {
                "resource": api.get_json(f"{collection(ns)}/{name}"),
                "events": api.get_json(f"{collection(ns)}/{name}/events?limit=100"),
            }
        except Exception as e:  # noqa: BLE001
            out[name] = {"error": str(e)}
    with open(path, "w") as fh:
        json.dump(out, fh, indent=2)
    log(f"verify: status and events of {len(out)} failed resources written to {path}")


# --- /proc sampling ---------------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def machine_busy():
    """(busy, total) jiffies of all cores, from the first line of /proc/stat."""
    with open("/proc/stat") as fh:
        v = [int(x) for x in fh.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return sum(v) - idle, sum(v)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cmd_converge(a):
    """Benchmark: PUT `count` new resources (unless --no-put), then wait (via /metrics) until all are Ready.

    Wall time runs from the first PUT to the last Ready; CPU is the ccplane process's utime+stime
    over the same span (the emulator is another process and is not counted)."""
    api, emu = Http(a.api), Http(a.emulator)
    docs = documents(a.count, a.prefix, a.fixtures)
    stats0 = emulator_stats(emu)
    cpu0 = cpu_seconds(a.pid)
    emu_cpu0 = cpu_seconds(a.emulator_pid) if a.emulator_pid else 0.0
    busy0 = machine_busy()
    started = time.monotonic()
    max_rss = rss_mb(a.pid)
    put_secs, cpu_put = 0.0, 0.0
    if not a.no_put:
        put_secs, codes, errors = put_all(api, a.ns, docs, a.threads)
        cpu_put = cpu_seconds(a.pid) - cpu0
        ok = codes.get(201, 0) + codes.get(200, 0)
        log(f"converge: PUT {ok}/{a.count} in {put_secs:.2f} s, codes {codes}")
        for e in errors:
            log(f"  PUT failed: {e}")
    ready, last_log, timed_out = 0, 0.0, False
    while True:
        ready = ready_gauge(api)
        max_rss = max(max_rss, rss_mb(a.pid))
        elapsed = time.monotonic() - started
        if ready >= a.count:
            break
        if elapsed > a.timeout:
            timed_out = True
            break
        if elapsed - last_log >= 10:
            log(f"converge: {ready}/{a.count} Ready after {elapsed:.0f} s")
            last_log = elapsed
        time.sleep(a.interval)
    wall = time.monotonic() - started
    cpu = cpu_seconds(a.pid) - cpu0
    emu_cpu = cpu_seconds(a.emulator_pid) - emu_cpu0 if a.emulator_pid else None
    busy1 = machine_busy()
    machine = (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1])
    stats = emulator_stats(emu)
    m = metrics(api)
    calls = calls_table(stats)
    before = calls_table(stats0)
    delta = {k: v - before.get(k, 0) for k, v in calls.items() if v - before.get(k, 0)}
    by_op = collections.Counter()
    for k, v in delta.items():
        by_op[k.split(":")[0]] += v
    result = {
        "resources": a.count,
        "ready": ready,
        "timeout": timed_out,
        "put_seconds": put_secs,
        "wall_seconds": wall,
        "converged_per_second": ready / wall,
        "cpu_seconds": cpu,
        "cpu_put_seconds": cpu_put,
        "cpu_ms_per_resource": cpu * 1000 / a.count,
        "emulator_cpu_seconds": emu_cpu,
        "machine_busy_percent": 100 * machine,
        "max_rss_mb": max_rss,
        "pool_clients": pool_clients(stats),
        "duplicates": pool_clients(stats) - a.count,
        "concurrent_operation_exceptions": stats["concurrent_operation_exceptions"],
        "client_token_conflict_exceptions": stats["client_token_conflict_exceptions"],
        "total_calls": stats["total_calls"] - stats0["total_calls"],
        "calls": delta,
        "calls_by_operation": dict(by_op),
        "throttling_exceptions": sum(v for k, v in delta.items() if k.endswith(":ThrottlingException")),
        "ccplane_metrics": {k: v for k, v in m.items()
                            if k.startswith(("ccplane_cloud_calls_total", "ccplane_operation_polls_sum",
                                             "ccplane_throttles", "ccplane_operations_",
                                             "ccplane_retries_total"))},
    }
    emit(result)
    return 0 if ready >= a.count else 1


def queue_due(api):
    """ccplane's count of resources due for a step (drift checks included), or None."""
    try:
        return int(metrics(api).get("ccplane_queue_due", -1))
    except (RuntimeError, OSError, http.client.HTTPException):
        return None


def cmd_idle(a):
    """Benchmark: samples the emulator's call count and ccplane's RSS once a second."""
    api, emu = Http(a.api), Http(a.emulator)
    due_before = queue_due(api)
    samples = []
    started = time.monotonic()
    cpu0 = cpu_seconds(a.pid)
    deadline = started + a.seconds
    while True:
        now = time.monotonic()
        st = emulator_stats(emu)
        by = calls_table(st)
        samples.append((now - started, st["total_calls"], rss_mb(a.pid),
                        sum(v for k, v in by.items() if k.startswith("GetResource:")),
                        sum(v for k, v in by.items() if k.endswith(":ThrottlingException"))))
        if now >= deadline:
            break
        time.sleep(max(0.0, min(1.0, deadline - time.monotonic())))
    cpu = cpu_seconds(a.pid) - cpu0
    t0, c0, _, g0, th0 = samples[0]
    t1, c1, _, g1, th1 = samples[-1]
    span = t1 - t0
    # Highest rate over any 5-second stretch of the samples.
    peak5 = 0.0
    for i in range(len(samples)):
        for j in range(i + 1, len(samples)):
            if samples[j][0] - samples[i][0] >= 5:
                peak5 = max(peak5, (samples[j][1] - samples[i][1]) / (samples[j][0] - samples[i][0]))
                break
    result = {
        "seconds": span,
        "calls": c1 - c0,
        "calls_per_second": (c1 - c0) / span if span else 0.0,
        "peak_5s_calls_per_second": peak5,
        "get_resource_calls": g1 - g0,
        "throttling_exceptions": th1 - th0,
        "max_rss_mb": max(s[2] for s in samples),
        "last_rss_mb": samples[-1][2],
        "cpu_percent": 100 * cpu / span if span else 0.0,
        "queue_due_before": due_before,
        "queue_due_after": queue_due(api),
    }
    emit(result)
    return 0


# Statuses each request of the soak may get besides success: a name may be missing, taken by a
# deletion in progress, or already gone. Anything else (5xx, 408, a dropped connection) is a failure.
SOAK_EXPECTED = {
    "PUT": {200, 201, 409},
    "PATCH": {200, 404, 409},
    "GET": {200, 404},
    "LIST": {200},
    "DELETE": {202, 404},
}


def cmd_soak(a):
    """Benchmark: COUNT mixed requests (PUT, PATCH, GET, list, DELETE) from THREADS threads over
    NAMES names while the workers converge; latency of every request, and the slow ones."""
    import random
    api = Http(a.api)
    docs = documents(a.names, a.prefix, a.fixtures)
    names = sorted(docs)
    weights = [("PUT", 30), ("PATCH", 15), ("GET", 25), ("LIST", 15), ("DELETE", 15)]
    kinds = [k for k, w in weights for _ in range(w)]
    latencies = collections.defaultdict(list)
    unexpected, slow = collections.Counter(), []
    lock = threading.Lock()

    def one(i):
        rng = random.Random(a.seed * 1_000_003 + i)
        kind = rng.choice(kinds)
        name = rng.choice(names)
        path = f"{collection(a.ns)}/{name}"
        props = dict(docs[name], ClientName=f"{name}-{i}")
        started = time.monotonic()
        try:
            if kind == "PUT":
                status, _ = api.request("PUT", path, {"properties": props})
            elif kind == "PATCH":
                status, _ = api.request_with("PATCH", path, {"properties": {"ClientName": f"{name}-p{i}"}},
                                             "application/merge-patch+json")
            elif kind == "GET":
                status, _ = api.request("GET", path)
            elif kind == "LIST":
                status, _ = api.request("GET", f"{collection(a.ns)}?limit=50")
            else:
                status, _ = api.request("DELETE", path)
        except Exception as e:  # noqa: BLE001 - counted and reported
            status = f"error: {e}"
        took = time.monotonic() - started
        with lock:
            latencies[kind].append(took)
            if status not in SOAK_EXPECTED[kind]:
                unexpected[f"{kind} {status}"] += 1
            if took > 1.0:
                slow.append({"kind": kind, "name": name, "status": status, "seconds": round(took, 3)})

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.threads) as pool:
        list(pool.map(one, range(a.count)))
    wall = time.monotonic() - started

    def pct(xs, q):
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000 if xs else None

    every = [x for xs in latencies.values() for x in xs]
    result = {
        "requests": len(every),
        "seconds": wall,
        "per_second": len(every) / wall,
        "p50_ms": pct(every, 0.50),
        "p99_ms": pct(every, 0.99),
        "max_ms": max(every) * 1000,
        "over_1s": len(slow),
        "slow": slow[:10],
        "unexpected": dict(unexpected),
        "by_kind": {k: {"n": len(v), "p50_ms": pct(v, 0.5), "p99_ms": pct(v, 0.99), "max_ms": max(v) * 1000}
                    for k, v in sorted(latencies.items())},
    }
    log(f"soak: {len(every)} requests in {wall:.1f} s, p99 {result['p99_ms']:.1f} ms, "
        f"max {result['max_ms']:.0f} ms, {len(slow)} over 1 s, unexpected {dict(unexpected)}")
    emit(result)
    return 0 if not slow and not unexpected else 1


# --- platform scale: several namespaces, pools and accounts ---------------------------------------

def parse_pools(spec):
    """`--pools` as [(account or None, pool id)]: comma-separated, each `POOL` or `ACCOUNT:POOL`
    (the emulator's `--user-pool` spelling)."""
    out = []
    for item in (spec or POOL).split(","):
        account, _, pool = item.strip().rpartition(":")
        out.append((account or None, pool))
    return out


def clients_in(stats, pools):
    """{pool id: clients} of the emulator's pools among `pools` (account-aware when one is named)."""
    out = {}
    for account, pool in pools:
        out[pool] = sum(p["clients"] for p in stats.get("pools", [])
                        if p["user_pool_id"] == pool and (account is None or p.get("account") == account))
    return out


def converged_names(api, ns, names):
    """How many of `names` are Ready at their latest generation in namespace `ns`."""
    return sum(1 for it in list_all(api, ns, "Ready") if it["name"] in names and converged(it, None))


def calls_delta(before, after):
    """Cloud Control calls between two stats snapshots: by operation:outcome, by operation, throttled."""
    b, c = calls_table(before), calls_table(after)
    delta = {k: v - b.get(k, 0) for k, v in c.items() if v - b.get(k, 0)}
    by_op = collections.Counter()
    for k, v in delta.items():
        by_op[k.split(":")[0]] += v
    throttled = sum(v for k, v in delta.items() if k.endswith(":ThrottlingException"))
    return delta, dict(by_op), throttled


# The stats keys this harness knows; anything else the emulator reports (per-account quota
# categories with their call and throttle counts, once it models them) is passed through as is.
KNOWN_STATS = {"total_calls", "concurrent_operation_exceptions", "client_token_conflict_exceptions",
               "max_status_polls_per_request", "requests_per_second", "uptime_seconds", "calls",
               "role_arns", "pools", "requests"}


def scale_metrics(api):
    """ccplane's budget, throttle and drift series from /metrics."""
    return {k: v for k, v in metrics(api).items()
            if k.startswith(("ccplane_budget_", "ccplane_throttles_total", "ccplane_drift_",
                             "ccplane_assume_role_total", "ccplane_queue_due"))}


def cmd_fleet(a):
    """Benchmark: PUT COUNT new resources in one namespace, spread over --pools, and time them to
    Ready, counting that namespace's resources alone (others may be busy at the same time; while
    they also turn Ready, the timeline's counts run ahead, not the final time)."""
    api, emu = Http(a.api), Http(a.emulator)
    pools = parse_pools(a.pools)
    docs = documents(a.count, a.prefix, a.fixtures, [p for _, p in pools], a.plain)
    names = set(docs)
    stats0 = emulator_stats(emu)
    clients0 = clients_in(stats0, pools)
    # Listing thousands of resources every second would load the server under test; the Ready gauge
    # (one count) says when to look, and a listing of this namespace confirms.
    baseline = ready_gauge(api)
    started = time.monotonic()
    put_secs, codes, errors = put_all(api, a.ns, docs, a.threads)
    ok = codes.get(201, 0) + codes.get(200, 0)
    log(f"fleet {a.ns}: PUT {ok}/{a.count} in {put_secs:.2f} s ({'a plain loop' if a.threads == 0 else f'{a.threads} threads'}), codes {codes}")
    for e in errors:
        log(f"  PUT failed: {e}")
    # progress: [seconds, Ready, the emulator's calls so far] every 2 s or so, for a timeline.
    ready, last_log, last_sample, timed_out, progress = 0, 0.0, -2.0, False, []
    while True:
        try:
            ready = max(0, min(a.count, ready_gauge(api) - baseline))
            if ready >= a.count:
                ready = converged_names(api, a.ns, names)
        except (RuntimeError, OSError, http.client.HTTPException) as e:
            log(f"fleet {a.ns}: {e}")
        elapsed = time.monotonic() - started
        if ready >= a.count:
            break
        if elapsed > a.timeout:
            timed_out = True
            break
        if elapsed - last_sample >= 2:
            progress.append([round(elapsed, 1), ready, emulator_stats(emu)["total_calls"] - stats0["total_calls"]])
            last_sample = elapsed
        if elapsed - last_log >= 10:
            log(f"fleet {a.ns}: {ready}/{a.count} Ready after {elapsed:.0f} s")
            last_log = elapsed
        time.sleep(a.interval)
    wall = time.monotonic() - started
    stats = emulator_stats(emu)
    clients1 = clients_in(stats, pools)
    added = {p: clients1[p] - clients0.get(p, 0) for p in clients1}
    delta, by_op, throttled = calls_delta(stats0, stats)
    emit({
        "namespace": a.ns,
        "resources": a.count,
        "ready": ready,
        "timeout": timed_out,
        "put_seconds": put_secs,
        "put_codes": codes,
        "wall_seconds": wall,
        "progress": progress,
        "pool_clients_added": added,
        "duplicates": sum(added.values()) - a.count,
        "concurrent_operation_exceptions": stats["concurrent_operation_exceptions"] - stats0["concurrent_operation_exceptions"],
        "total_calls": stats["total_calls"] - stats0["total_calls"],
        "calls": delta,
        "calls_by_operation": by_op,
        "throttling_exceptions": throttled,
        "emulator_quotas": {k: v for k, v in stats.items() if k not in KNOWN_STATS},
        "ccplane_metrics": scale_metrics(api),
    })
    return 0 if ready >= a.count else 1


def applied(item, generation):
    s = item.get("status") or {}
    return (s.get("phase") == "Ready" and s.get("observedGeneration") == generation
            and item["metadata"]["generation"] == generation and not s.get("currentOperation"))


def cmd_intent(a):
    """Benchmark: a user's intent while other work is due. PUTs one new client (--new) and renames
    an existing one (--rename: a new ClientName, so a new generation), both at once, and times each
    from its PUT until it is applied: Ready, observedGeneration == generation, and (for the rename)
    the new name in the emulator's client."""
    api, emu = Http(a.api), Http(a.emulator)
    new_path, old_path = f"{collection(a.ns)}/{a.new}", f"{collection(a.ns)}/{a.rename}"
    current = api.get_json(old_path)
    props = dict(current["properties"])
    props["ClientName"] = props["ClientName"] + "-renamed"
    pool = props["UserPoolId"]
    new_props = {"UserPoolId": a.pool or pool, "ClientName": a.new}
    t0 = time.monotonic()
    s_new, b_new = api.request("PUT", new_path, {"properties": new_props})
    t_new = time.monotonic()
    s_old, b_old = api.request("PUT", old_path, {"properties": props})
    t_old = time.monotonic()
    if s_new not in (200, 201) or s_old != 200:
        log(f"intent: PUT answered {s_new} {b_new} and {s_old} {b_old}")
        emit({"error": f"PUT answered {s_new} and {s_old}"})
        return 1
    want_new, want_old = b_new["metadata"]["generation"], b_old["metadata"]["generation"]
    done = {}
    while len(done) < 2:
        now = time.monotonic()
        for key, path, want, since in (("new", new_path, want_new, t_new), ("rename", old_path, want_old, t_old)):
            if key in done:
                continue
            it = api.get_json(path)
            if applied(it, want):
                if key == "rename":
                    cid = it["status"].get("clientId")
                    status, model = emu.request("GET", f"/_emulator/pools/{pool}/clients/{cid}"
                                                + (f"?account={a.account}" if a.account else ""))
                    if status != 200 or model.get("ClientName") != props["ClientName"]:
                        continue
                done[key] = {"seconds": now - since, "generation": want,
                             "phase": it["status"]["phase"]}
        if len(done) < 2 and now - t0 > a.timeout:
            for key, path, want in (("new", new_path, want_new), ("rename", old_path, want_old)):
                if key not in done:
                    it = api.get_json(path)
                    s = it.get("status") or {}
                    done[key] = {"seconds": None, "timeout": True, "generation": want,
                                 "phase": s.get("phase"), "observedGeneration": s.get("observedGeneration"),
                                 "lastError": s.get("lastError")}
            break
        time.sleep(a.interval)
    log(f"intent {a.ns}: new client {done['new'].get('seconds')}, rename {done['rename'].get('seconds')} s")
    emit({"namespace": a.ns, "new": done["new"], "rename": done["rename"],
          "new_seconds": done["new"]["seconds"] if done["new"]["seconds"] is not None else -1,
          "rename_seconds": done["rename"]["seconds"] if done["rename"]["seconds"] is not None else -1,
          "ccplane_metrics": scale_metrics(api)})
    return 0 if all(d["seconds"] is not None for d in done.values()) else 1


MUTATING = ("CreateResource", "UpdateResource", "DeleteResource")


def mutating_calls(before, after):
    """Calls that change a client between two stats snapshots, whatever their outcome."""
    _, by_op, _ = calls_delta(before, after)
    return sum(by_op.get(op, 0) for op in MUTATING)


def cmd_onboard(a):
    """Benchmark: bring a pool made out of band under management. Makes COUNT clients in --pool
    through the emulator's control API (--service of them named as OpenSearch names its own),
    starts a discovery, and --intent-after s later PUTs a new client in namespace --other-ns
    (pool --other-pool) and times it to Ready; waits for the discovery to complete (its own
    createdAt → finishedAt), adopts `all` in one request, and waits until every adopted resource
    is Ready at its generation and its plan is `none`. Counts the mutating Cloud Control calls of
    the discovery and of the adoption (the other namespace's create is counted apart)."""
    api, emu = Http(a.api), Http(a.emulator)
    prefixes = ["AWSElasticsearch-logs-us-east-1-", "AmazonOpenSearchService-search-us-east-1-"]
    for i in range(a.count):
        name = f"{prefixes[i % 2]}{i:04d}" if i < a.service else f"Legacy app {i:04d}"
        status, body = emu.request("POST", f"/_emulator/pools/{a.pool}/clients",
                                   {"UserPoolId": a.pool, "ClientName": name,
                                    "GenerateSecret": i % 3 == 0,
                                    "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]})
        if status != 201:
            emit({"error": f"creating a client out of band answered {status} {body}"})
            return 2
    stats0 = emulator_stats(emu)
    path = f"/v1/namespaces/{urllib.parse.quote(a.ns)}/discoveries"
    status, started = api.request("POST", path, {"userPoolId": a.pool})
    if status != 202:
        emit({"error": f"POST discoveries answered {status} {started}"})
        return 1
    discovery = f"{path}/{started['id']}"
    t0 = time.monotonic()
    intent, intent_stats = None, None
    other = f"{collection(a.other_ns)}/onboarding-bystander"
    while True:
        now = time.monotonic()
        if intent is None and now - t0 >= a.intent_after:
            before = emulator_stats(emu)
            s_put, b_put = api.request("PUT", other, {"properties": {"UserPoolId": a.other_pool,
                                                                      "ClientName": "bystander"}})
            intent = {"put": s_put, "since": time.monotonic(), "seconds": None, "before": before}
        if intent is not None and intent["seconds"] is None:
            it = api.get_json(other)
            if applied(it, 1):
                intent["seconds"] = time.monotonic() - intent["since"]
                intent_stats = emulator_stats(emu)
        d = api.get_json(discovery)
        if d["phase"] in ("Complete", "Failed") and (intent is None or intent["seconds"] is not None):
            break
        if now - t0 > a.timeout:
            emit({"error": "timed out", "discovery": {k: d[k] for k in ("phase", "progress")}})
            return 1
        time.sleep(a.interval)
    d = api.get_json(discovery)
    # The server's own clock: from the POST's commit to the last client read.
    stamp = lambda t: datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
    created, finished = stamp(d["createdAt"]), stamp(d["finishedAt"])
    discovery_seconds = finished - created
    stats_discovered = emulator_stats(emu)
    other_creates = mutating_calls(intent["before"], intent_stats) if intent_stats else 0
    discovery_mutations = mutating_calls(stats0, stats_discovered) - other_creates
    log(f"onboard: discovery {d['phase']} in {discovery_seconds:.1f} s: {d['progress']}; "
        f"the other namespace's client Ready in {intent['seconds']:.2f} s")
    t_adopt = time.monotonic()
    status, adopted = api.request("POST", f"{discovery}/adopt", {"all": True, "labels": {"onboarded": "bench"}})
    adopt_seconds = time.monotonic() - t_adopt
    if status != 201:
        emit({"error": f"adopt answered {status} {adopted}"})
        return 1
    names = {x["name"] for x in adopted["adopted"]}
    log(f"onboard: adopted {len(names)} in one request ({adopt_seconds:.2f} s), skipped {len(adopted['skipped'])}")
    ready = 0
    while time.monotonic() - t_adopt < a.timeout:
        ready = converged_names(api, a.ns, names)
        if ready >= len(names):
            break
        time.sleep(a.interval)
    ready_seconds = time.monotonic() - t_adopt
    plans = collections.Counter()

    def plan(name):
        it = api.get_json(f"{collection(a.ns)}/{name}")
        doc = {k: v for k, v in it.items() if k not in ("namespace", "name", "metadata", "status", "warnings")}
        for _ in range(20):
            st, body = api.request("POST", f"{collection(a.ns)}/{name}/plan", doc)
            if st != 503:
                break
            time.sleep(1)
        return body.get("action") if st == 200 else f"HTTP {st}"

    # Four at a time: the plans read the pool at its 5/s, and more would only wait out the budget.
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for action in pool.map(plan, sorted(names)):
            plans[action] += 1
    stats1 = emulator_stats(emu)
    adoption_mutations = mutating_calls(stats_discovered, stats1)
    emit({
        "count": a.count,
        "discovery": {"phase": d["phase"], "progress": d["progress"], "pages": d["pages"]},
        "discovery_seconds": discovery_seconds,
        "discovery_calls": calls_delta(stats0, stats_discovered)[1],
        "discovery_mutations": discovery_mutations,
        "other_namespace_seconds": intent["seconds"] if intent["seconds"] is not None else -1,
        "other_namespace_calls": other_creates,
        "adopted": len(names),
        "skipped": [x["reason"] for x in adopted["skipped"]],
        "adopt_request_seconds": adopt_seconds,
        "adopted_ready": ready,
        "adopted_ready_seconds": ready_seconds,
        "plans": dict(plans),
        "adoption_mutations": adoption_mutations,
        "adoption_calls": calls_delta(stats_discovered, stats1)[1],
        "ccplane_metrics": scale_metrics(api),
    })
    return 0 if ready >= len(names) and plans.get("none", 0) == len(names) else 1


def cmd_settings(a):
    """PUTs a namespace's settings (an admin token on `*`), so it is GETtable with its drift coverage."""
    api = Http(a.api)
    status, body = api.request("PUT", f"/v1/namespaces/{urllib.parse.quote(a.ns)}", json.loads(a.body))
    if status not in (200, 201):
        log(f"settings {a.ns}: {status} {body}")
    emit({"namespace": a.ns, "status": status})
    return 0 if status in (200, 201) else 1


def cmd_coverage(a):
    """A namespace's drift coverage (GET /v1/namespaces/{ns}) and ccplane's drift and budget metrics,
    plus the emulator's call rate over --seconds (how much of the budget the drift checks spend)."""
    api, emu = Http(a.api), Http(a.emulator)
    st0, t0 = emulator_stats(emu), time.monotonic()
    time.sleep(a.seconds)
    st1, t1 = emulator_stats(emu), time.monotonic()
    _, by_op, throttled = calls_delta(st0, st1)
    ns = api.get_json(f"/v1/namespaces/{urllib.parse.quote(a.ns)}")
    emit({"namespace": a.ns, "drift_coverage": ns.get("driftCoverage"),
          "window_seconds": t1 - t0,
          "calls_per_second": (st1["total_calls"] - st0["total_calls"]) / (t1 - t0),
          "calls_by_operation": by_op, "throttling_exceptions": throttled,
          "ccplane_metrics": scale_metrics(api)})
    return 0


def cmd_sts_probe(a):
    """Whether the emulator answers sts:AssumeRole (AWS Query protocol) on its port."""
    emu = Http(a.emulator)
    conn = emu._conn()
    form = urllib.parse.urlencode({"Action": "AssumeRole", "Version": "2011-06-15",
                                   "RoleArn": a.role_arn, "RoleSessionName": "ccplane-bench-probe"})
    # The emulator reads the caller's account from the access key id of the SigV4 header.
    auth = ("AWS4-HMAC-SHA256 Credential=AKIDCCPLANEEMULATOR/20260101/us-east-1/sts/aws4_request, "
            "SignedHeaders=host, Signature=0")
    try:
        conn.request("POST", "/", body=form, headers={
            "content-type": "application/x-www-form-urlencoded", "authorization": auth})
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
    except (http.client.HTTPException, OSError) as e:
        emit({"sts": False, "answer": str(e)})
        return 0
    ok = resp.status == 200 and "AssumeRoleResult" in text
    emit({"sts": ok, "status": resp.status, "answer": text[:200]})
    return 0


def emit(obj):
    print("RESULT_JSON " + json.dumps(obj, sort_keys=True), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--api", default="http://127.0.0.1:8080", help="ccplane base URL")
    p.add_argument("--emulator", default="http://127.0.0.1:4566", help="emulator base URL")
    p.add_argument("--ns", default="default", help="namespace")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("put", help="PUT COUNT new resources and record their desired state")
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--prefix", default="c")
    s.add_argument("--fixtures", default="tests/fixtures")
    s.add_argument("--threads", type=int, default=16, help="PUT threads; 0: a plain loop")
    s.add_argument("--desired", required=True, help="file the desired state is written to")
    s.set_defaults(fn=cmd_put)

    s = sub.add_parser("update", help="a new generation for every K-th resource")
    s.add_argument("--desired", required=True)
    s.add_argument("--every", type=int, default=4)
    s.add_argument("--threads", type=int, default=16)
    s.set_defaults(fn=cmd_update)

    s = sub.add_parser("wait-ready", help="wait until COUNT resources are Ready at their latest generation")
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--timeout", type=float, default=180)
    s.add_argument("--interval", type=float, default=1.0)
    s.add_argument("--desired", help="the desired-state file (its generations must be observed)")
    s.set_defaults(fn=cmd_wait_ready)

    s = sub.add_parser("verify", help="one emulator client per resource, with the desired properties")
    s.add_argument("--desired", required=True)
    s.add_argument("--dump", help="file for the status and events of failed resources")
    s.set_defaults(fn=cmd_verify)

    s = sub.add_parser("converge", help="benchmark: PUT COUNT resources and time them to Ready")
    s.add_argument("--pid", type=int, required=True, help="the ccplane serve process")
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--prefix", default="b")
    s.add_argument("--fixtures", default="tests/fixtures")
    s.add_argument("--threads", type=int, default=16)
    s.add_argument("--timeout", type=float, default=300)
    s.add_argument("--interval", type=float, default=0.2)
    s.add_argument("--emulator-pid", type=int, help="the emulator process, for its CPU time")
    s.add_argument("--no-put", action="store_true",
                   help="the resources exist already: only time them to Ready (--pid: a `--role worker` process)")
    s.set_defaults(fn=cmd_converge)

    s = sub.add_parser("soak", help="benchmark: COUNT mixed requests while the workers converge")
    s.add_argument("--count", type=int, default=20000)
    s.add_argument("--names", type=int, default=500)
    s.add_argument("--threads", type=int, default=16)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--prefix", default="s")
    s.add_argument("--fixtures", default="tests/fixtures")
    s.set_defaults(fn=cmd_soak)

    s = sub.add_parser("idle", help="benchmark: sample call rate and RSS for SECONDS")
    s.add_argument("--pid", type=int, required=True, help="the ccplane serve process")
    s.add_argument("--seconds", type=float, default=60)
    s.set_defaults(fn=cmd_idle)

    s = sub.add_parser("fleet", help="benchmark: PUT COUNT resources in one namespace and time them to Ready")
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--prefix", default="f")
    s.add_argument("--pools", help="comma-separated POOL or ACCOUNT:POOL, round-robin (default: the seeded pool)")
    s.add_argument("--plain", action="store_true", help="only UserPoolId and ClientName (no fixtures)")
    s.add_argument("--fixtures", default="tests/fixtures")
    s.add_argument("--threads", type=int, default=16, help="PUT threads; 0: a plain loop")
    s.add_argument("--timeout", type=float, default=300)
    s.add_argument("--interval", type=float, default=0.2)
    s.set_defaults(fn=cmd_fleet)

    s = sub.add_parser("intent", help="benchmark: PUT one new client and rename another; time each to applied")
    s.add_argument("--new", required=True, help="name of the new resource")
    s.add_argument("--rename", required=True, help="name of an existing Ready resource to rename")
    s.add_argument("--pool", help="pool of the new client (default: the renamed one's)")
    s.add_argument("--account", help="the emulator account of the pool (default: its default account)")
    s.add_argument("--timeout", type=float, default=120)
    s.add_argument("--interval", type=float, default=0.1)
    s.set_defaults(fn=cmd_intent)

    s = sub.add_parser("onboard", help="benchmark: discover a pool made out of band and adopt it")
    s.add_argument("--pool", required=True)
    s.add_argument("--count", type=int, default=200)
    s.add_argument("--service", type=int, default=3, help="of them, clients named as OpenSearch names its own")
    s.add_argument("--other-ns", default="bystander")
    s.add_argument("--other-pool", required=True)
    s.add_argument("--intent-after", type=float, default=5)
    s.add_argument("--timeout", type=float, default=300)
    s.add_argument("--interval", type=float, default=0.1)
    s.set_defaults(fn=cmd_onboard)

    s = sub.add_parser("settings", help="PUT a namespace's settings (admin token)")
    s.add_argument("--body", default="{}")
    s.set_defaults(fn=cmd_settings)

    s = sub.add_parser("coverage", help="a namespace's drift coverage, metrics and call rate over SECONDS")
    s.add_argument("--seconds", type=float, default=10)
    s.set_defaults(fn=cmd_coverage)

    s = sub.add_parser("sts-probe", help="whether the emulator answers sts:AssumeRole")
    s.add_argument("--role-arn", default="arn:aws:iam::111122223333:role/ccplane")
    s.set_defaults(fn=cmd_sts_probe)

    a = p.parse_args()
    try:
        return a.fn(a)
    except (RuntimeError, OSError, http.client.HTTPException) as e:
        log(f"{a.cmd}: {e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
