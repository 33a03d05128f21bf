"""TLS from Python against HTTPS emulators: a certificate from the CA in ``ca_file`` is
trusted; a self-signed one is refused by default (TransportError, nothing sent, a message
naming TLS and the certificate) and accepted only with ``verify=False``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import dcs

from conftest import REPO

sys.path.insert(0, str(REPO / "tests" / "reliability"))
import reliability_support as rs


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rs.make_certs(tmp_path_factory.mktemp("tls"))


def _https_emulator(certs: Path, name: str) -> Iterator[rs.Admin]:
    with rs.running_emulator(
        "--tls-cert", str(certs / f"{name}.pem"), "--tls-key", str(certs / f"{name}.key")
    ) as url:
        assert url.startswith("https://")
        yield rs.Admin(url, rs.insecure_context())


@pytest.fixture(scope="module")
def trusted(certs: Path) -> Iterator[rs.Admin]:
    yield from _https_emulator(certs, "good")


@pytest.fixture(scope="module")
def self_signed(certs: Path) -> Iterator[rs.Admin]:
    yield from _https_emulator(certs, "self_signed")


def _client(admin: rs.Admin, **tls: object) -> dcs.Client:
    return dcs.Client(
        endpoint=admin.url,
        ak=rs.DEMO_AK,
        sk=rs.DEMO_SK,
        project_id=rs.DEMO_PROJECT,
        timeout=10,
        **tls,  # type: ignore[arg-type]
    )


def test_a_certificate_from_the_ca_in_ca_file_is_trusted(trusted: rs.Admin, certs: Path) -> None:
    before = trusted.instance(rs.DEMO_INSTANCE)["restores_started"]
    with _client(trusted, ca_file=str(certs / "ca.pem")) as client:
        assert client.show_instance(rs.DEMO_INSTANCE).instance_id == rs.DEMO_INSTANCE
        assert client.restore_instance(rs.DEMO_INSTANCE, rs.DEMO_BACKUP, "tls")
    assert trusted.instance(rs.DEMO_INSTANCE)["restores_started"] == before + 1


def test_a_self_signed_certificate_is_refused_unless_verify_is_off(
    self_signed: rs.Admin, certs: Path
) -> None:
    requests_before = self_signed.stats()["requests"]
    with (
        _client(self_signed, ca_file=str(certs / "ca.pem")) as client,
        pytest.raises(dcs.TransportError) as caught,
    ):
        client.restore_instance(rs.DEMO_INSTANCE, rs.DEMO_BACKUP)
    error = caught.value
    assert error.request_sent == dcs.RequestSent.NO
    assert "TLS" in str(error)
    assert "self-signed certificate" in str(error)
    assert self_signed.stats()["requests"] == requests_before
    assert self_signed.instance(rs.DEMO_INSTANCE)["restores_started"] == 0

    with _client(self_signed, verify=False) as client:
        assert client.show_instance(rs.DEMO_INSTANCE).instance_id == rs.DEMO_INSTANCE
        assert client.restore_instance(rs.DEMO_INSTANCE, rs.DEMO_BACKUP, "insecure")
    assert self_signed.instance(rs.DEMO_INSTANCE)["restores_started"] == 1
