#!/usr/bin/env python3
"""A client webhook for the drills: answers 200 to every callback and appends one JSON line per callback
(kind, webhook-id, the message ids it carried) to the log file given, so a drill can count what arrived. While a file named
like the log plus ".down" exists, it answers 503 and logs nothing. Under /provider/ it plays the WhatsApp Cloud
API's messages endpoint: each call is logged (kind "provider", the text it carried, when it came) and answered with a
wamid."""
import os
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, log_path = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
log = open(log_path, "a", buffering=1)


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if os.path.exists(log_path + ".down"):
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/provider/"):
            with lock:
                log.write(json.dumps({"kind": "provider", "text": json.loads(body)["text"]["body"],
                                      "at": time.time()}) + "\n")
            answer = json.dumps({"messages": [{"id": f"wamid.{uuid.uuid4().hex}"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
            return
        kind = self.path.rsplit("/api/v1/", 1)[-1]
        message_ids = []
        if kind == "message/receive":
            message_ids = [m["id"] for m in json.loads(body)["messages"]]
        with lock:
            log.write(json.dumps({"kind": kind, "webhookId": self.headers.get("webhook-id"),
                                  "messageId": message_ids[0] if message_ids else None,
                                  "messageIds": message_ids}) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
