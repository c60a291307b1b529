#!/usr/bin/env python3
"""The webhook benchmark's client (bench/webhooks.sh runs it): editors publish alerts through the CMI's form while a
receiver (bench/drills/receiver.py) logs each webhook. Usage: webhooks.py BASE_URL RECEIVED_LOG LATENCY_N BURST_N
1. Latency: LATENCY_N alerts one at a time, 200 ms apart; each from the CMI's acknowledgement to its webhook's arrival.
2. Burst: BURST_N alerts published by 4 editors at once, as fast as the CMI takes them; meanwhile another editor opens
   the CMI's dashboard every 100 ms (its response times say whether the CMI stays responsive). Delivered in order =
   the first arrivals' sequence numbers only ever grow.
Prints LATENCY …, BURST …, CMI … lines."""
import importlib.util
import json
import os
import sys
import threading
import time
import urllib.request

spec = importlib.util.spec_from_file_location("editor", os.path.join(os.path.dirname(__file__), "drills", "editor.py"))
editor = importlib.util.module_from_spec(spec)
spec.loader.exec_module(editor)

base, log_path, latency_n, burst_n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def arrivals():
    """item id → (first arrival time, sequence) of its content.published webhook."""
    seen = {}
    with open(log_path) as f:
        for line in f:
            r = json.loads(line)
            body = json.loads(r["body"])
            if body["type"] == "content.published":
                seen.setdefault(body["data"]["id"], (r["at"], body["data"]["sequence"]))
    return seen


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def wait_for(ids, timeout):
    until = time.time() + timeout
    while time.time() < until:
        got = arrivals()
        if all(i in got for i in ids):
            return got
        time.sleep(0.05)
    return arrivals()


# 1. Latency, one publication at a time.
e = editor.Editor(base)
acked = {}
for n in range(latency_n):
    item, why = e.publish(f"latency-{n}")
    if item:
        acked[item] = time.time()
    time.sleep(0.2)
got = wait_for(list(acked), 30)
latencies = [(got[i][0] - t) * 1000 for i, t in acked.items() if i in got]
print(f"LATENCY n={len(latencies)}/{len(acked)} p50_ms={pct(latencies, 0.5):.0f} p99_ms={pct(latencies, 0.99):.0f} max_ms={max(latencies):.0f}")

# 2. Burst, with the dashboard opened throughout.
stop = threading.Event()
cmi_times = []


def dashboard():
    viewer = editor.Editor(base)
    viewer.token = editor.sign_in(base, viewer.client)
    while not stop.is_set():
        t = time.time()
        with viewer.client.open(urllib.request.Request(base + "/admin"), timeout=10) as r:
            r.read()
        cmi_times.append((time.time() - t) * 1000)
        time.sleep(0.1)


burst_ids, lock = [], threading.Lock()


def publisher(k):
    mine = editor.Editor(base)
    for n in range(k, burst_n, 4):
        item, why = mine.publish(f"burst-{n}")
        if item:
            with lock:
                burst_ids.append(item)


viewer = threading.Thread(target=dashboard)
viewer.start()
started = time.time()
threads = [threading.Thread(target=publisher, args=(k,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
published_s = time.time() - started
got = wait_for(burst_ids, 120)
stop.set()
viewer.join()
mine = sorted((got[i] for i in burst_ids if i in got), key=lambda a: a[0])
in_order = all(a[1] < b[1] for a, b in zip(mine, mine[1:]))
last = max(a[0] for a in mine) - started if mine else float("nan")
print(f"BURST published={len(burst_ids)}/{burst_n} delivered={len(mine)} in_order={int(in_order)} "
      f"published_in_s={published_s:.1f} all_delivered_in_s={last:.1f}")
print(f"CMI dashboard_requests={len(cmi_times)} p50_ms={pct(cmi_times, 0.5):.0f} p99_ms={pct(cmi_times, 0.99):.0f} max_ms={max(cmi_times):.0f}")
