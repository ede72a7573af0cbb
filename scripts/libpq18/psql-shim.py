"""A psql stand-in over real libpq: the libpq (and OpenSSL) bundled in psycopg's binary wheel.

Takes the arguments the sslmode oracle passes to psql (`-X -w -At -c SQL CONNINFO`) and behaves as psql does
for them: on success it prints the query's rows (`|` between columns, nothing for NULL); when the connection
fails it prints `psql: error: ` and PQerrorMessage (its final newline replaced by psql's own) to stderr and
exits with 2. `--versions` prints the libpq, OpenSSL and psycopg versions as JSON.
"""

import ctypes
import glob
import json
import os
import sys

import psycopg
import psycopg_binary
from psycopg import pq


def openssl_version() -> str:
    libs = os.path.join(os.path.dirname(os.path.dirname(psycopg_binary.__file__)), "psycopg_binary.libs")
    found = sorted(glob.glob(os.path.join(libs, "libcrypto-*.so*")))
    if not found:
        raise SystemExit(f"psql-shim: no libcrypto in {libs}")
    crypto = ctypes.CDLL(found[0])
    crypto.OpenSSL_version.restype = ctypes.c_char_p
    crypto.OpenSSL_version.argtypes = [ctypes.c_int]
    return crypto.OpenSSL_version(0).decode()


def libpq_version() -> str:
    v = pq.version()
    return f"{v // 10000}.{v % 10000}"


def main(argv: list[str]) -> int:
    if argv == ["--versions"]:
        print(json.dumps({"libpq": libpq_version(), "openssl": openssl_version(), "psycopg": psycopg.__version__,
                          "pqImplementation": pq.__impl__}))
        return 0
    sql = None
    positional = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "-c":
            sql = argv[i + 1]
            i += 2
            continue
        if a in ("-X", "-w", "-At"):
            i += 1
            continue
        if a.startswith("-"):
            sys.stderr.write(f"psql-shim: unsupported option {a}\n")
            return 64
        positional.append(a)
        i += 1
    if sql is None or len(positional) != 1:
        sys.stderr.write("psql-shim: usage: psql-shim.py -X -w -At -c SQL CONNINFO\n")
        return 64
    conn = pq.PGconn.connect(positional[0].encode())
    if conn.status != pq.ConnStatus.OK:
        message = conn.error_message.decode("utf-8", "replace")
        sys.stderr.write("psql: error: " + (message[:-1] if message.endswith("\n") else message) + "\n")
        conn.finish()
        return 2
    res = conn.exec_(sql.encode())
    if res.status != pq.ExecStatus.TUPLES_OK:
        sys.stderr.write("ERROR: " + res.error_message.decode("utf-8", "replace"))
        conn.finish()
        return 1
    for row in range(res.ntuples):
        cells = [res.get_value(row, col) for col in range(res.nfields)]
        print("|".join("" if c is None else c.decode() for c in cells))
    conn.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
