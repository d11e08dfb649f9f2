"""`python -m stack`: run the production shape on 127.0.0.1 until Ctrl-C.

`python -m stack render DEST [NAME=VALUE ...]` writes deploy/'s nginx site and systemd units filled in
with production values (stack.render.PRODUCTION), each overridable, for copying to the server.
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from stack.render import PRODUCTION, render_deploy
from stack.services import Stack, StackError

BANNER = """
Schoolplein, the production stack: basisschool De Schakel runs on {url}
nginx -> two gunicorn processes (ports {web}), PostgreSQL database {database}, Redis db {redis_db},
two RQ workers, tick every {tick} s, media in S3 (moto on port {s3}, presigned redirects),
mail caught by an SMTP sink in {mail}. All demo accounts share the password "schoolplein-demo".
Click a link to sign in as a persona:

{links}

Press Ctrl-C to stop everything.
"""


def render(args) -> int:
    values = dict(PRODUCTION)
    for item in args.values:
        name, _, value = item.partition("=")
        values[name] = value
    for name, path in render_deploy(Path(args.dest), values).items():
        print(f"{name}: {path}")
    return 0


def run(args) -> int:
    stack = Stack(port=args.port, tick_seconds=args.tick, keep=args.keep)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        stack.start()
    except StackError as error:
        print(f"The stack did not start: {error}", file=sys.stderr)
        return 1
    web = ", ".join(name.removeprefix("web-") for name in stack.processes if name.startswith("web-"))
    print(
        BANNER.format(
            url=stack.url,
            web=web,
            database=stack.database,
            redis_db=stack.redis_db,
            tick=args.tick,
            s3=stack.s3_port,
            mail=stack.mail_dir,
            links="\n".join(stack.links),
        ),
        flush=True,
    )
    try:
        while not (dead := [name for name in stack.dead() if name != "tick"]):
            time.sleep(0.5)
        print(f"{', '.join(dead)} stopped unexpectedly; stopping the rest.", file=sys.stderr)
        for name in dead:
            print(stack.log_tail(name), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping the stack…", file=sys.stderr)
        return 0
    finally:
        stack.stop()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m stack", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("STACK_PORT", "8080")))
    parser.add_argument("--tick", type=int, default=60, help="seconds between tick runs")
    parser.add_argument("--keep", action="store_true", help="keep the stack's folder (logs, mail) afterwards")
    commands = parser.add_subparsers(dest="command")
    render_parser = commands.add_parser("render", help="write deploy/ filled in with production values")
    render_parser.add_argument("dest")
    render_parser.add_argument("values", nargs="*", metavar="NAME=VALUE")
    args = parser.parse_args()
    return render(args) if args.command == "render" else run(args)


if __name__ == "__main__":
    sys.exit(main())
