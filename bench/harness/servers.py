"""The servers the benchmarks talk to: a generated nginx on loopback that answers restore
POSTs with the documented example body, and the two reads of dcsctl's pre-flight check
(ShowInstance, ListBackupRecords) with a RUNNING master/standby instance and its one
restorable backup (no signature check, so only the client is measured); and the
dcs-emulator for the realistic runs."""

from __future__ import annotations

import getpass
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

# The documented RestoreInstance example response, byte for byte.
RESTORE_BODY = '{"restore_id" : "a6155972-800c-4170-a479-3231e907d2f6"}'
# What the pre-flight check reads: the instance (RUNNING, not single-node) and its backup
# records, holding the benchmark's backup (succeeded, restorable). Fields as dcs-api.md
# lists them (§1.3, §1.6); no single quote, since nginx's return takes them quoted.
INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
BACKUP = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"
INSTANCE_BODY = json.dumps(
    {
        "instance_id": INSTANCE,
        "name": "dcs-bench",
        "engine": "Redis",
        "engine_version": "5.0",
        "status": "RUNNING",
        "sub_status": "normal",
        "cache_mode": "ha",
        "product_type": "generic",
        "capacity": 2,
        "launched_at": "2024-01-01T00:00:00.000Z",
    }
)
BACKUPS_BODY = json.dumps(
    {
        "total_num": 1,
        "backup_record_response": [
            {
                "backup_id": BACKUP,
                "instance_id": INSTANCE,
                "backup_name": "backup_20240101000000",
                "backup_type": "manual",
                "backup_format": "rdb",
                "status": "succeed",
                "is_support_restore": "TRUE",
                "progress": "100.00",
                "size": 1024,
                "created_at": "2024-01-01T00:00:00.000Z",
                "updated_at": "2024-01-01T00:00:10.000Z",
                "execution_at": "2024-01-01T00:00:00.000Z",
                "remark": "",
            }
        ],
    }
)

NGINX_CONF = """\
daemon off;
master_process on;
worker_processes 1;
user {user};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    server {{
        listen 127.0.0.1:{port} reuseport backlog=4096;
        location ~ ^/v2/[^/]+/instances/[^/]+/restores$ {{
            if ($request_method != POST) {{ return 405; }}
            default_type application/json;
            add_header X-Request-Id $request_id always;
            return 200 '{body}';
        }}
        location ~ ^/v2/[^/]+/instances/[^/]+/backups$ {{
            if ($request_method != GET) {{ return 405; }}
            default_type application/json;
            add_header X-Request-Id $request_id always;
            return 200 '{backups}';
        }}
        location ~ ^/v2/[^/]+/instances/[^/]+$ {{
            if ($request_method != GET) {{ return 405; }}
            default_type application/json;
            add_header X-Request-Id $request_id always;
            return 200 '{instance}';
        }}
        location / {{ return 404; }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class Nginx:
    """nginx from a config in a temp dir; one worker, so the client keeps the other core."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="dcs-bench-nginx-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        conf = NGINX_CONF.format(
            user=getpass.getuser(),
            dir=self.dir,
            port=self.port,
            body=RESTORE_BODY,
            backups=BACKUPS_BODY,
            instance=INSTANCE_BODY,
        )
        (self.dir / "nginx.conf").write_text(conf)
        self.proc = subprocess.Popen(
            [
                nginx_binary(),
                "-p",
                str(self.dir),
                "-e",
                str(self.dir / "error.log"),
                "-c",
                str(self.dir / "nginx.conf"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def version(self) -> str:
        out = subprocess.run(
            [nginx_binary(), "-v"], check=False, capture_output=True, text=True
        )
        return out.stderr.strip().split("/")[-1]

    def cpu_seconds(self) -> float:
        """User+system CPU of the nginx master and its workers so far."""
        pids = [self.proc.pid]
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


class Emulator:
    """build/dcs-emulator --demo --timings fast, optionally over TLS with a fresh
    self-signed certificate (returned as ca_file for the clients)."""

    def __init__(
        self, binary: Path, tls: bool = False, state_only: bool = False
    ) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="dcs-bench-emu-"))
        args = [str(binary), "--listen", "127.0.0.1:0", "--demo", "--timings", "fast"]
        if state_only:
            args.append("--state-only")
        self.ca_file: str | None = None
        if tls:
            cert, key = self.dir / "cert.pem", self.dir / "key.pem"
            subprocess.run(
                [
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-days",
                    "1",
                    "-subj",
                    "/CN=127.0.0.1",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1",
                    "-keyout",
                    str(key),
                    "-out",
                    str(cert),
                ],
                check=True,
                capture_output=True,
            )
            args += ["--tls-cert", str(cert), "--tls-key", str(key)]
            self.ca_file = str(cert)
        self.log = open(self.dir / "stderr.log", "wb")  # noqa: SIM115 - open for the process's lifetime, closed in stop()
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=self.log, text=True
        )
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise RuntimeError(
                f"dcs-emulator printed {self.url!r}; see {self.dir}/stderr.log"
            )
        # The admin API is plain unsigned HTTP(S) on the same port.
        self._context = None
        if tls:
            import ssl

            self._context = ssl.create_default_context(cafile=self.ca_file)

    def admin(self, method: str, path: str, body: object | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, context=self._context, timeout=30) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else {}

    def make_targets(self, count: int, path: Path) -> Path:
        """`count` fresh instances with one restorable backup each, written as
        "instance backup" lines, so that round-robin restores never overlap on one
        instance (an overlapping restore is refused with DCS.4097)."""
        lines = []
        for _ in range(count):
            inst = self.admin("POST", "/_emulator/instances", {"cache_mode": "ha"})
            iid = inst["instance_id"]
            backup = self.admin("POST", f"/_emulator/instances/{iid}/backups", {})
            lines.append(f"{iid} {backup['backup_id']}")
        path.write_text("\n".join(lines) + "\n")
        return path

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
