#!/usr/bin/env python3
"""A webhook receiver for drills and benchmarks, on loopback: answers 200 (after DELAY_MS) to every POST and appends one
JSON line per request to LOG: {"at": unix seconds (float), "id": webhook-id, "body": the payload}. Writes its port to
PORT_FILE once listening. Usage: receiver.py PORT_FILE LOG [DELAY_MS]"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_path = sys.argv[1], sys.argv[2]
delay = float(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0.0
lock = threading.Lock()
log = open(log_path, "a", buffering=1)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        at = time.time()
        with lock:
            log.write(json.dumps({"at": at, "id": self.headers.get("webhook-id"), "body": body}) + "\n")
        if delay:
            time.sleep(delay)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
