#!/usr/bin/env python3
"""tlsd: a loopback HTTPS server for the TLS scenarios of the fault matrix.

Binds 127.0.0.1 only, on an ephemeral port written to --port-file. For
every connection it loads the key and certificate from CERT_DIR/server.pem
(both in one file), so a test can swap a trusted certificate for a
self-signed one (or back) between polls by renaming one file. GET /files/NAME
serves ROOT/NAME as application/json; anything else is a 404. The standard
library only; exits after --max-seconds or on SIGTERM.

Usage: tlsd.py --root DIR --cert-dir DIR --port-file FILE [--max-seconds N]
"""
import argparse
import http.server
import os
import socketserver
import ssl
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        root = self.server.root
        name = self.path.split("?", 1)[0]
        if not name.startswith("/files/") or ".." in name:
            self.send_error(404)
            return
        path = os.path.join(root, name[len("/files/"):])
        try:
            with open(path, "rb") as f:
                body = f.read()
        except OSError:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass  # quiet: a failed handshake is the expected outcome


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def get_request(self):
        sock, addr = self.socket.accept()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(self.cert_dir, "server.pem"))
        # The handshake happens in the handler thread, on first read.
        return ctx.wrap_socket(sock, server_side=True,
                               do_handshake_on_connect=False), addr

    def handle_error(self, request, client_address):
        pass  # a client refusing our certificate is not a server error


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--cert-dir", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--max-seconds", type=float, default=120)
    a = p.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    srv.root = a.root
    srv.cert_dir = a.cert_dir
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    threading.Timer(a.max_seconds, lambda: os._exit(0)).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
