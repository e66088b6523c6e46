"""Command line: ``python -m emulator --host 127.0.0.1 --port 8443 [options]``."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from .server import DEFAULT_ADMIN_PASSWORD, DEFAULT_TOKEN, EmulatorServer


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m emulator",
        description="Emulate StackRox / ACS Central's image integration API (/v1/imageintegrations).")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8443, help="TCP port; 0 picks a free one (default: %(default)s)")
    parser.add_argument("--no-tls", action="store_true", help="serve plain HTTP instead of HTTPS")
    parser.add_argument("--cert-dir", help="directory holding or receiving ca.pem, server.pem, server-key.pem "
                                           "(default: a new temporary directory)")
    parser.add_argument("--token", action="append", default=[], metavar="TOKEN",
                        help=f"API token with Integration view+modify; repeatable (default: {DEFAULT_TOKEN})")
    parser.add_argument("--read-only-token", action="append", default=[], metavar="TOKEN",
                        help="API token with Integration view only; repeatable")
    parser.add_argument("--admin-password", help=f"password for basic auth as admin (default: {DEFAULT_ADMIN_PASSWORD})")
    parser.add_argument("--port-file", help="write the listening port to this file once ready")
    parser.add_argument("--log-file", help="append one line per request here instead of stderr")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    server = EmulatorServer(host=args.host, port=args.port, tls=not args.no_tls, cert_dir=args.cert_dir,
                            tokens=args.token, read_only_tokens=args.read_only_token,
                            admin_password=args.admin_password, log_file=args.log_file)
    server.bind()
    if args.port_file:
        tmp = f"{args.port_file}.tmp{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(f"{server.port}\n")
        os.replace(tmp, args.port_file)

    def _stop(signum, _frame):
        server.shutdown()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    server._log_raw(f"central emulator listening on {server.url}"
                    + (f" (CA: {server.ca_path})" if server.ca_path else ""))
    try:
        server.serve_forever()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
