"""python -m cvsm sync [DIR]: sends the runs a trainer kept on disk while the server was out
of reach (or refused its key), in order; a batch the server already has is stored once."""

import argparse
import logging
import os
import sys

from . import spool
from .delivery import replay
from .settings import default_spool_dir
from .transport import RequestFailed, Transport


def sync(directory: str, server=None, api_key=None, out=sys.stdout) -> int:
    """Replays every spool file in ``directory``; returns how many could not be sent."""
    failed = 0
    paths = spool.files(directory)
    if not paths:
        print(f"nothing to sync in {directory}", file=out)
    for path in paths:
        with open(path, encoding="utf-8") as f:
            header = f.readline()
        target = server or os.environ.get("CVSM_SERVER") or _header_server(header)
        transport = Transport(target, api_key or os.environ.get("CVSM_API_KEY"), 30.0)
        try:
            stored = replay(path, transport, lambda kind, message: print(f"{kind}: {message}", file=out))
            print(f"{os.path.basename(path)}: {stored} event(s) stored on {target}", file=out)
        except RequestFailed as error:
            failed += 1
            print(f"{os.path.basename(path)}: not sent ({error}); kept for the next sync", file=out)
        finally:
            transport.close()
    return failed


def _header_server(line: str) -> str:
    import json

    try:
        return json.loads(line).get("server") or "http://127.0.0.1:8000"
    except ValueError:
        return "http://127.0.0.1:8000"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cvsm")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("sync", help="send the events kept on disk to the server")
    p.add_argument("dir", nargs="?", default=os.environ.get("CVSM_SPOOL_DIR") or default_spool_dir())
    p.add_argument("--server", help="server URL (default: CVSM_SERVER, else the one each run used)")
    p.add_argument("--api-key", help="API key (default: CVSM_API_KEY)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    return 1 if sync(args.dir, args.server, args.api_key) else 0


if __name__ == "__main__":
    sys.exit(main())
