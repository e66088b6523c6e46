#!/usr/bin/env python3
"""Run a command against a freshly started Central emulator.

Starts ``python -m emulator`` on a free port with TLS and a generated CA, exports
the connection as roxctl's environment variables (ROX_ENDPOINT, ROX_API_TOKEN,
ROX_CA_CERT_FILE), runs the command, stops the emulator and exits with the
command's status.

    scripts/with_emulator.py [--state-dir DIR] -- COMMAND [ARG...]
"""

import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "emulator-admin-token"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state-dir", default=os.path.join(ROOT, ".build", "emulator"))
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    os.makedirs(args.state_dir, exist_ok=True)
    port_file = os.path.join(args.state_dir, "port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    log_path = os.path.join(args.state_dir, "emulator.log")
    server = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--port-file", port_file,
         "--cert-dir", args.state_dir, "--token", TOKEN, "--log-file", log_path],
        cwd=ROOT)
    try:
        deadline = time.time() + 30
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            if server.poll() is not None or time.time() > deadline:
                sys.exit("the emulator did not start; see %s" % log_path)
            time.sleep(0.1)
        port = open(port_file).read().strip()
        env = dict(os.environ)
        env.update(ROX_ENDPOINT="https://127.0.0.1:%s" % port, ROX_API_TOKEN=TOKEN,
                   ROX_CA_CERT_FILE=os.path.join(args.state_dir, "ca.pem"))
        print("Central emulator listening on https://127.0.0.1:%s (log: %s)" % (port, log_path), flush=True)
        return subprocess.call(command, env=env)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
