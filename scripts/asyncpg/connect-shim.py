"""One asyncpg connection, for the sslmode oracle (tests/oracle/sslmode-asyncpg.test.ts).

`connect-shim.py DSN` connects with asyncpg.connect(DSN) as an application does (the environment it is given is
all it reads: HOME for ~/.postgresql, no PG* variables), asks the server whether the connection is encrypted, and
prints one JSON object: {"connected", "encrypted", "protocol"?} or {"connected": false, "error": str(exception),
"type": its class}. `--versions` prints asyncpg's, Python's and its OpenSSL's versions.
"""

import asyncio
import json
import ssl
import sys

import asyncpg


async def attempt(dsn: str) -> dict:
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        row = await conn.fetchrow("select ssl, version from pg_stat_ssl where pid = pg_backend_pid()")
        out = {"connected": True, "encrypted": bool(row["ssl"])}
        if row["version"]:
            out["protocol"] = row["version"]
        return out
    finally:
        await conn.close()


def main(argv: list[str]) -> int:
    if argv == ["--versions"]:
        print(json.dumps({"asyncpg": asyncpg.__version__, "python": sys.version.split()[0],
                          "openssl": ssl.OPENSSL_VERSION}))
        return 0
    if len(argv) != 1:
        sys.stderr.write("connect-shim: usage: connect-shim.py DSN | --versions\n")
        return 64
    try:
        out = asyncio.run(attempt(argv[0]))
    except Exception as e:  # noqa: BLE001 - every failure is the outcome being recorded
        out = {"connected": False, "encrypted": False, "error": str(e), "type": type(e).__name__}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
