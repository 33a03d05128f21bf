"""Restore the emulator's demo instance from its demo backup and show that it worked.

Run a dcs-emulator with the demo seed, then point this script at it:

    build/dcs-emulator --listen 127.0.0.1:8443 --demo --timings realistic &
    export DCS_ENDPOINT=http://127.0.0.1:8443
    export HUAWEICLOUD_SDK_AK=DEMOACCESSKEY0000001
    export HUAWEICLOUD_SDK_SK=demo-secret-key-0123456789abcdefghijklmnop
    export HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef
    python bindings/python/examples/restore_demo.py
"""

from __future__ import annotations

import sys

import dcs

INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
BACKUP = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"


def show(record: dcs.Restore) -> None:
    percent = "?" if record.progress is None else f"{record.progress:5.1f}%"
    print(f"  {record.status:<10} {percent}")


def main() -> int:
    # Credentials, project and endpoint come from the environment, as with the official SDKs.
    with dcs.Client(timeout=30) as client:
        instance = client.show_instance(INSTANCE)
        print(f"instance {instance.name}: {instance.status}, {instance.cache_mode}")
        for backup in client.list_backups(INSTANCE):
            print(f"backup {backup.backup_id}: {backup.status}, {backup.size} bytes")

        try:
            restore_id = client.restore_instance(INSTANCE, BACKUP, "demo", preflight=True)
            print(f"restore {restore_id} started")
            final = client.wait_for_restore(INSTANCE, restore_id, progress=show, poll_interval=0.5)
        except dcs.PreconditionError as exc:
            print(f"cannot restore: {exc}", file=sys.stderr)
            return 2
        except dcs.RestoreFailedError as exc:
            print(f"restore failed with {exc.error_code}: {exc}", file=sys.stderr)
            return 1
        print(f"restore {final.restore_id}: {final.status} at {final.updated_at}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
