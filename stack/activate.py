"""Run a command as systemd runs a socket-activated service (a unit with a .socket beside it).

    python -m stack.activate FD COMMAND [ARG ...]

The listening socket inherited as FD becomes file descriptor 3, LISTEN_FDS=1 and LISTEN_PID=this process's
id are set, and the command replaces this process (so the id stays the one LISTEN_PID names). gunicorn then
serves the socket instead of binding its own. The stack holds the socket, as systemd does, so it outlives a
restart of the web process.
"""

import os
import sys

SD_LISTEN_FDS_START = 3


def main(argv: list[str]) -> None:
    inherited, command = int(argv[0]), argv[1:]
    if inherited != SD_LISTEN_FDS_START:
        os.dup2(inherited, SD_LISTEN_FDS_START)  # inheritable, as a passed socket must be
        os.close(inherited)
    os.environ["LISTEN_FDS"] = "1"
    os.environ["LISTEN_PID"] = str(os.getpid())
    os.execvp(command[0], command)  # noqa: S606 (a command of the deploy files, as systemd runs it)


if __name__ == "__main__":
    main(sys.argv[1:])
