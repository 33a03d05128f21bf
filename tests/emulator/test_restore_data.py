"""A restore really brings the Redis data of the backup back."""

from conftest import DEMO_BACKUP, DEMO_INSTANCE, wait_backup, wait_restore

DATA = f"instances/{DEMO_INSTANCE}/data"


def restore(client, backup_id):
    resp = client.dcs(
        "POST", f"{DEMO_INSTANCE}/restores", body={"backup_id": backup_id}
    )
    assert resp.status == 200, resp
    return wait_restore(client, resp.json()["restore_id"])


def test_demo_restore_removes_scratch(client):
    assert client.admin_json("GET", DATA)["scratch"] == "written-after-backup"
    restore(client, DEMO_BACKUP)
    assert client.admin_json("GET", DATA) == {"greeting": "hello", "counter": "1"}


def test_backup_then_restore_round_trip(client):
    client.admin_json("DELETE", DATA)
    client.admin_json("PUT", DATA, {"before-1": "a", "before-2": "b", "shared": "old"})
    backup_id = client.dcs(
        "POST", f"{DEMO_INSTANCE}/backups", body={"remark": "round trip"}
    ).json()["backup_id"]
    wait_backup(client, backup_id)
    client.admin_json("PUT", DATA, {"after": "x", "shared": "new"})
    client.admin_json("PUT", DATA, {"before-2": "changed"})
    assert client.admin_json("GET", DATA)["after"] == "x"

    restore(client, backup_id)
    assert client.admin_json("GET", DATA) == {
        "before-1": "a",
        "before-2": "b",
        "shared": "old",
    }

    # And back to the demo backup, which predates all of it.
    restore(client, DEMO_BACKUP)
    assert client.admin_json("GET", DATA) == {"greeting": "hello", "counter": "1"}


def test_redis_port_survives_restore(client):
    port = client.admin_json("GET", f"instances/{DEMO_INSTANCE}")["redis_port"]
    restore(client, DEMO_BACKUP)
    assert client.admin_json("GET", f"instances/{DEMO_INSTANCE}")["redis_port"] == port
    assert client.dcs("GET", DEMO_INSTANCE).json()["port"] == port
