"""Credentials that outlive a long wait, from Python: a provider callable and the metadata
service are asked again before their credentials expire; a provider's exception becomes an
AuthError with nothing sent; the profile file supplies keys and project. Counted on the
emulator: credentials issued, requests refused as expired, access keys received."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import pytest

import dcs

from conftest import DEMO_AK, DEMO_PROJECT, DEMO_SK, Emulator


def _keyless(emulator: Emulator, **extra: object) -> dict[str, object]:
    args: dict[str, object] = {
        "endpoint": emulator.url,
        "project_id": DEMO_PROJECT,
        "timeout": 20.0,
        "max_attempts": 1,
    }
    args.update(extra)
    return args


def _access_keys(emulator: Emulator) -> set[str]:
    return {str(r["access_key"]) for r in emulator.requests()}


def _restore_and_wait(client: dcs.Client, instance: str, backup: str) -> dcs.Restore:
    started = client.start_restore(instance, backup)
    return client.wait_for_restore(
        instance, started.restore_id, poll_interval=0.1, max_poll_interval=0.1, timeout=20
    )


def test_metadata_credentials_refresh_through_a_wait(
    emulator: Emulator, instance: str, backup: str
) -> None:
    emulator.admin("PUT", "metadata", {"project_id": DEMO_PROJECT, "ttl_ms": 1500})
    emulator.set_timings(restore_waiting_ms=50, restore_running_ms=3500)
    emulator.clear_requests()
    with dcs.Client(**_keyless(emulator, metadata=emulator.url)) as client:  # type: ignore[arg-type]
        record = _restore_and_wait(client, instance, backup)
    assert record.status == "succeed"
    stats = emulator.stats()
    assert stats["credentials_issued"] >= 3
    # A request stalled past the refresh margin on a loaded machine is retried once.
    assert stats["expired_refused"] <= 1
    keys = _access_keys(emulator)
    assert len(keys) >= 3
    assert all(k.startswith("TMP") for k in keys)


class _Vault:
    """Registers a new temporary credential with the emulator on every call."""

    def __init__(self, emulator: Emulator, lifetime: float) -> None:
        self.emulator = emulator
        self.lifetime = lifetime
        self.calls: list[tuple[float, float]] = []  # (called at, expires at)
        self.lock = threading.Lock()
        self.numbers = itertools.count(1)

    def __call__(self) -> dcs.Credentials:
        with self.lock:
            now = time.time()
            ak = f"PYVAULT{next(self.numbers)}X{int(now * 1000) % 100000}"
            sk, token = f"secret-{ak}", f"token-{ak}"
            self.emulator.admin(
                "POST",
                "credentials",
                {"ak": ak, "sk": sk, "project_id": DEMO_PROJECT, "security_token": token},
            )
            expires = int(now) + self.lifetime
            self.calls.append((now, expires))
            return dcs.Credentials(ak, sk, security_token=token, expires_at=expires)


def test_provider_is_called_again_before_expiry(
    emulator: Emulator, instance: str, backup: str
) -> None:
    emulator.set_timings(restore_waiting_ms=50, restore_running_ms=4000)
    emulator.clear_requests()
    vault = _Vault(emulator, lifetime=2)
    with dcs.Client(**_keyless(emulator, credentials_provider=vault)) as client:  # type: ignore[arg-type]
        assert vault.calls == []  # asked when first needed
        record = _restore_and_wait(client, instance, backup)
    assert record.status == "succeed"
    assert len(vault.calls) >= 3
    for (_, previous_expiry), (called, _) in itertools.pairwise(vault.calls):
        assert called < previous_expiry
    assert len(_access_keys(emulator)) >= 3
    assert emulator.stats()["expired_refused"] == 0


def test_provider_exception_is_an_auth_error_and_sends_nothing(
    emulator: Emulator, instance: str
) -> None:
    def sealed() -> dcs.Credentials:
        raise RuntimeError("the vault is sealed")

    before = emulator.stats()["requests"]
    with (
        dcs.Client(**_keyless(emulator, credentials_provider=sealed)) as client,  # type: ignore[arg-type]
        pytest.raises(dcs.AuthError, match="the vault is sealed") as info,
    ):
        client.list_restores(instance)
    assert info.value.request_sent == dcs.RequestSent.NO
    assert emulator.stats()["requests"] == before


def test_provider_returning_the_wrong_type_is_an_auth_error(
    emulator: Emulator, instance: str
) -> None:
    def wrong() -> dcs.Credentials:
        return ("ak", "sk")  # type: ignore[return-value]

    with (
        dcs.Client(**_keyless(emulator, credentials_provider=wrong)) as client,  # type: ignore[arg-type]
        pytest.raises(dcs.AuthError, match=r"must return dcs\.Credentials"),
    ):
        client.list_restores(instance)


def test_profile_file_gives_keys_and_project(
    emulator: Emulator, instance: str, tmp_path: Path
) -> None:
    path = tmp_path / "credentials"
    path.write_text(
        f"[basic]\nak = {DEMO_AK}\nsk = {DEMO_SK}\nproject_id = {DEMO_PROJECT}\n"
        "[other]\nak = NOSUCHAK\nsk = nosuchsecret\n"
    )
    emulator.clear_requests()
    args = {"endpoint": emulator.url, "profile": True, "profile_file": str(path)}
    with dcs.Client(**args) as client:  # type: ignore[arg-type]
        client.list_restores(instance)
    assert _access_keys(emulator) == {DEMO_AK}
    with pytest.raises(dcs.InvalidArgumentError, match=r"\[missing\]"):
        dcs.Client(endpoint=emulator.url, profile="missing", profile_file=str(path))


def test_credentials_repr_hides_secrets() -> None:
    creds = dcs.Credentials("AK", "very-secret", security_token="token-secret")
    assert "very-secret" not in repr(creds)
    assert "token-secret" not in repr(creds)
