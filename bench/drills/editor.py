#!/usr/bin/env python3
"""An editor for drills: signs in to a server's CMI and publishes alerts through the same form a person uses.
A publication is *acknowledged* when the CMI answered with the redirect to the saved item (what the editor sees as
"Published"). Usage:
  editor.py publish BASE_URL TITLE...        prints "ID TITLE" per acknowledged publication ("- TITLE" otherwise)
  editor.py check BASE_URL ID...             prints the ids the server's API does not serve (nothing: all there)
  editor.py delete BASE_URL ID               deletes an item through the CMI (exit 0 when confirmed)
  editor.py upload BASE_URL PATH FILE        uploads a media file (exit 0 when stored)
  editor.py editors STOPFILE OUT URL_A CNF_A URL_B CNF_B
                                             editors publishing on both servers at once (only a master's CMI takes it) until
                                             STOPFILE exists, and a watcher counting writers (a server whose application
                                             answers as the master and takes writes, on a writable database) every 0.2 s;
                                             writes OUT (JSON):
                                             every acknowledged publication with its server and time, and writers_max
  editor.py drill MASTER STANDBY SECONDS     publishes an alert a second for SECONDS, timing each acknowledged one until the
                                             standby serves it; then checks every acknowledged one on both servers. Last line:
                                             PUBLISHING published=N acknowledged=N lost=N visible_on_standby_p50_ms=… p99_ms=…
"""
import http.cookiejar
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "Pair-Admin-Password-1"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def sign_in(base, client):
    body = json.dumps({"userName": "admin", "password": PASSWORD}).encode()
    request = urllib.request.Request(base + "/admin/api/session", data=body, headers={"Content-Type": "application/json"})
    with client.open(request, timeout=5) as response:
        return json.load(response)["antiforgeryToken"]


class Editor:
    """Stays signed in, as a person at the CMI does; signs in again only when the session is gone."""

    def __init__(self, base):
        self.base, self.client, self.token = base, opener(), None

    def publish(self, title):
        """The new item's id when the CMI acknowledged the publication; else None and why."""
        try:
            self.token = self.token or sign_in(self.base, self.client)
            form = urllib.parse.urlencode({
                "type": "Alert", "TitlePart.Title": title, "LocalizationPart.Culture": "en", "Alert.Severity": "info",
                "__RequestVerificationToken": self.token,
            }).encode()
            request = urllib.request.Request(self.base + "/admin/content/edit/new?type=Alert&handler=Publish", data=form)
            try:
                self.client.open(request, timeout=5)
                return None, "the form came back"
            except urllib.error.HTTPError as e:
                location = e.headers.get("Location", "")
                if e.code == 302 and "/admin/content/edit/" in location:
                    return location.rsplit("/", 1)[-1], None
                if e.code in (302, 400, 401, 403):
                    self.token = None  # the session or its token is gone: sign in again next time
                return None, f"HTTP {e.code}"
        except urllib.error.HTTPError as e:  # signing in failed
            return None, f"sign-in HTTP {e.code}"
        except (urllib.error.URLError, OSError, KeyError, ValueError) as e:
            return None, type(e).__name__  # the server is away: the session cookie stays good (keys persist)


    def delete(self, item):
        """Deletes an item through the CMI form (the "yes, delete" box ticked); True when the CMI confirmed it."""
        self.token = self.token or sign_in(self.base, self.client)
        form = urllib.parse.urlencode({"confirmDelete": "true", "__RequestVerificationToken": self.token}).encode()
        request = urllib.request.Request(f"{self.base}/admin/content/edit/{item}?handler=Delete", data=form)
        try:
            self.client.open(request, timeout=5)
            return False
        except urllib.error.HTTPError as e:
            return e.code == 302 and "/admin/content/" in e.headers.get("Location", "")

    def upload(self, path, data):
        """Uploads a media file through the editors' API; True when stored."""
        self.token = self.token or sign_in(self.base, self.client)
        request = urllib.request.Request(f"{self.base}/admin/api/media/{path}", data=data, method="PUT",
                                         headers={"X-CSRF-TOKEN": self.token, "Content-Type": "application/octet-stream"})
        try:
            with self.client.open(request, timeout=30) as response:
                return response.status in (200, 201)
        except urllib.error.HTTPError as e:
            return e.code in (200, 201)


def publish(base, titles):
    editor = Editor(base)
    for title in titles:
        item, why = editor.publish(title)
        print(f"{item} {title}" if item else f"- {title} ({why})")
        sys.stdout.flush()


def check(base, ids):
    for item in ids:
        try:
            with urllib.request.urlopen(f"{base}/api/v1/items/{item}?culture=en", timeout=5) as response:
                if response.status == 200:
                    continue
        except (urllib.error.URLError, OSError):
            pass
        print(item)


def served(base, item):
    try:
        with urllib.request.urlopen(f"{base}/api/v1/items/{item}?culture=en", timeout=3) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def drill(master, standby, seconds):
    import time
    editor = Editor(master)
    started, attempted, acknowledged, delays = time.monotonic(), 0, [], []
    while time.monotonic() - started < seconds:
        tick = time.monotonic()
        attempted += 1
        item, why = editor.publish(f"drill-{attempted}")
        print(f"{tick - started:6.1f}s {item or '- ' + str(why)}", file=sys.stderr)
        if item:
            acknowledged.append(item)
            while not served(standby, item) and time.monotonic() - tick < 10:
                time.sleep(0.02)
            delays.append((time.monotonic() - tick) * 1000)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    time.sleep(3)  # the last ones reach the standby
    lost = {i for i in acknowledged if not served(master, i) or not served(standby, i)}
    delays.sort()
    pct = lambda p: delays[min(len(delays) - 1, int(len(delays) * p))] if delays else 0
    print(f"PUBLISHING published={attempted} acknowledged={len(acknowledged)} lost={len(lost)} "
          f"visible_on_standby_p50_ms={pct(0.5):.0f} p99_ms={pct(0.99):.0f}")


def editors(stopfile, out, servers):
    """servers: [(name, url, mariadb defaults file)]."""
    import os
    import subprocess
    import threading
    import time
    acks, samples, lock = [], [], threading.Lock()

    def publishing(name, url):
        editor, n = Editor(url), 0
        while not os.path.exists(stopfile):
            n += 1
            sent = time.time()
            item, _ = editor.publish(f"{name}-{n}-{int(sent * 1000)}")
            if item:
                with lock:
                    acks.append({"server": name, "sent": sent, "acked": time.time(), "id": item})
            else:
                time.sleep(0.2)
            time.sleep(0.1)

    def accepts(url):
        """The application answers as the master and takes writes (not paused, not read-only: docs/adr/0012)."""
        try:
            with urllib.request.urlopen(url + "/health/live", timeout=2) as response:
                live = json.load(response)
                return live.get("role") == "Master" and live.get("writable") is True
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def writable(cnf):
        try:
            r = subprocess.run(["mariadb", f"--defaults-file={cnf}", "-N", "-e", "SELECT @@global.read_only"],
                               capture_output=True, text=True, timeout=3)
            return r.returncode == 0 and r.stdout.strip() == "0"
        except subprocess.TimeoutExpired:
            return False

    def watching():
        while not os.path.exists(stopfile):
            count = sum(1 for name, url, cnf in servers if accepts(url) and writable(cnf))
            samples.append(count)
            time.sleep(0.2)

    threads = [threading.Thread(target=publishing, args=(n, u)) for n, u, _ in servers] + [threading.Thread(target=watching)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Two writers by their acknowledgements too: once the second server has acknowledged, the first must not again.
    overlap = 0
    first = {}
    for a in sorted(acks, key=lambda a: a["acked"]):
        first.setdefault(a["server"], a["acked"])
    if len(first) == 2:
        later = max(first, key=first.get)
        earlier = min(first, key=first.get)
        overlap = sum(1 for a in acks if a["server"] == earlier and a["acked"] > first[later])
    with open(out, "w") as f:
        json.dump({"acks": acks, "writers_max": max(samples or [0]), "overlapping_acks": overlap}, f)


if __name__ == "__main__":
    if sys.argv[1] == "editors":
        a = sys.argv[2:]
        editors(a[0], a[1], [("A", a[2].rstrip("/"), a[3]), ("B", a[4].rstrip("/"), a[5])])
        sys.exit(0)
    verb, base, rest = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3:]
    if verb == "publish":
        publish(base, rest)
    elif verb == "delete":
        sys.exit(0 if Editor(base).delete(rest[0]) else 1)
    elif verb == "upload":
        with open(rest[1], "rb") as f:
            sys.exit(0 if Editor(base).upload(rest[0], f.read()) else 1)
    elif verb == "check":
        check(base, rest)
    else:
        drill(base, rest[0].rstrip("/"), float(rest[1]))
