"""TLS from Python against HTTPS emulators (certificates from make_certs.sh). A certificate
from the CA in ``ca_file`` is trusted. A self-signed, an expired and a wrong-host certificate
are refused by default: TransportError, nothing sent (no request reached the emulator and no
restore started), a message naming TLS and the defect, and one connection per call (a
certificate that fails verification is not retried); each is accepted only with
``verify=False``. A ``ca_file`` that cannot be used fails the same way, naming the file.
Kept-alive TLS connections are reused: many calls, one connection."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import dcs

from conftest import REPO

sys.path.insert(0, str(REPO / "tests" / "reliability"))
import reliability_support as rs

# Each certificate of make_certs.sh that fails verification, and what the message must name.
BAD_CERTIFICATES = {
    "self_signed": "self-signed certificate",
    "expired": "certificate has expired",
    "wrong_host": "host name",
}
KEEP_ALIVE_CALLS = 20


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rs.make_certs(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def https(certs: Path) -> Iterator[dict[str, rs.Admin]]:
    """One HTTPS emulator per certificate, by name ("good" and the bad ones)."""
    with contextlib.ExitStack() as stack:
        emulators = {}
        for name in ["good", *BAD_CERTIFICATES]:
            url = stack.enter_context(
                rs.running_emulator(
                    "--tls-cert",
                    str(certs / f"{name}.pem"),
                    "--tls-key",
                    str(certs / f"{name}.key"),
                )
            )
            assert url.startswith("https://")
            # Admin calls skip verification: some certificates are bad on purpose.
            emulators[name] = rs.Admin(url, rs.insecure_context())
        yield emulators


def _client(admin: rs.Admin, **tls: object) -> dcs.Client:
    return dcs.Client(
        endpoint=admin.url,
        ak=rs.DEMO_AK,
        sk=rs.DEMO_SK,
        project_id=rs.DEMO_PROJECT,
        timeout=10,
        **tls,  # type: ignore[arg-type]
    )


def _restores_started(admin: rs.Admin) -> int:
    return int(admin.instance(rs.DEMO_INSTANCE)["restores_started"])


def test_a_certificate_from_the_ca_in_ca_file_is_trusted(
    https: dict[str, rs.Admin], certs: Path
) -> None:
    good = https["good"]
    before = _restores_started(good)
    with _client(good, ca_file=str(certs / "ca.pem")) as client:
        assert client.show_instance(rs.DEMO_INSTANCE).instance_id == rs.DEMO_INSTANCE
        assert client.restore_instance(rs.DEMO_INSTANCE, rs.DEMO_BACKUP, "tls")
    assert _restores_started(good) == before + 1


def test_without_ca_file_the_test_ca_is_unknown(https: dict[str, rs.Admin]) -> None:
    good = https["good"]
    requests_before = good.stats()["requests"]
    with _client(good) as client, pytest.raises(dcs.TransportError) as caught:
        client.show_instance(rs.DEMO_INSTANCE)
    assert caught.value.request_sent == dcs.RequestSent.NO
    assert "TLS" in str(caught.value)
    assert "certificate" in str(caught.value)
    assert good.stats()["requests"] == requests_before


@pytest.mark.parametrize("name", sorted(BAD_CERTIFICATES))
def test_a_bad_certificate_is_refused_once_sending_nothing(
    https: dict[str, rs.Admin], certs: Path, name: str
) -> None:
    bad = https[name]
    # The CA is trusted, so each certificate fails for its own defect only.
    with _client(bad, ca_file=str(certs / "ca.pem")) as client:
        requests_before = bad.stats()["requests"]
        restores_before = _restores_started(bad)
        for call in (
            lambda: client.show_instance(rs.DEMO_INSTANCE),
            lambda: client.restore_instance(rs.DEMO_INSTANCE, rs.DEMO_BACKUP, "tls"),
        ):
            wire = rs.WireWatch(bad)
            with pytest.raises(dcs.TransportError) as caught:
                call()
            error = caught.value
            assert error.request_sent == dcs.RequestSent.NO
            assert error.http_status == 0
            assert "TLS" in str(error)
            assert BAD_CERTIFICATES[name] in str(error)
            # The client's default is 4 attempts: a retry would be a second connection.
            assert wire.since().connections == 1
    assert bad.stats()["requests"] == requests_before
    assert _restores_started(bad) == restores_before


@pytest.mark.parametrize("name", ["good", *sorted(BAD_CERTIFICATES)])
def test_verify_false_lets_every_certificate_through(https: dict[str, rs.Admin], name: str) -> None:
    emulator = https[name]
    before = _restores_started(emulator)
    with _client(emulator, verify=False) as client:
        assert client.show_instance(rs.DEMO_INSTANCE).instance_id == rs.DEMO_INSTANCE
        assert client.restore_instance(rs.DEMO_INSTANCE, rs.DEMO_BACKUP, "insecure")
    assert _restores_started(emulator) == before + 1


# Running as root (CI does), a file without read permission is still read: these are files
# that exist and cannot be used, a directory, and a path that does not exist.
@pytest.mark.parametrize("ca_name", ["not_pem.pem", "corrupt.pem", ".", "missing.pem"])
def test_a_ca_file_that_cannot_be_used_fails_clearly_once(
    https: dict[str, rs.Admin], certs: Path, ca_name: str
) -> None:
    good = https["good"]
    ca_file = str(certs if ca_name == "." else certs / ca_name)
    requests_before = good.stats()["requests"]
    with _client(good, ca_file=ca_file) as client:
        wire = rs.WireWatch(good)
        with pytest.raises(dcs.TransportError) as caught:
            client.show_instance(rs.DEMO_INSTANCE)
        assert wire.since().connections == 1
    error = caught.value
    assert error.request_sent == dcs.RequestSent.NO
    assert "TLS" in str(error)
    assert "certificate file" in str(error)
    assert ca_file in str(error)
    assert good.stats()["requests"] == requests_before


def test_keep_alive_over_tls_many_calls_one_connection(
    https: dict[str, rs.Admin], certs: Path
) -> None:
    good = https["good"]
    with _client(good, ca_file=str(certs / "ca.pem")) as client:
        wire = rs.WireWatch(good)
        for _ in range(KEEP_ALIVE_CALLS):
            assert client.show_instance(rs.DEMO_INSTANCE).instance_id == rs.DEMO_INSTANCE
        connections = wire.since().connections
    print(f"{KEEP_ALIVE_CALLS} calls over TLS used {connections} connection(s)")
    assert connections == 1
