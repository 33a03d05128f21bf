// TLS through the C ABI against dcs-emulator over HTTPS. Verification is on by default: a
// self-signed, an expired and a wrong-host certificate each fail before any request is sent,
// with DCS_E_TRANSPORT and a message that says TLS and what was wrong, on one connection (no
// retry). A ca_file that cannot be used (not PEM, a corrupt certificate, a directory, missing)
// fails the same way, naming the file. A certificate from the CA given as ca_file passes,
// `insecure` lets the bad ones through only when asked for, and kept-alive TLS connections are
// reused.
#include <doctest/doctest.h>

#include <string>

#include "capi.hpp"
#include "tls_fixture.hpp"

using namespace dcs::test;

namespace {

struct TlsSettings {
    std::string ca_file;  // empty = the system store
    bool insecure = false;
};

ClientPtr tls_client(const std::string& endpoint, const TlsSettings& tls) {
    dcs_client_options* raw = nullptr;
    REQUIRE(dcs_client_options_new(&raw, nullptr) == DCS_OK);
    ClientOptionsPtr opts(raw);
    REQUIRE(dcs_client_options_set_endpoint(opts.get(), endpoint.c_str(), nullptr) == DCS_OK);
    REQUIRE(dcs_client_options_set_credentials(opts.get(), demo::kAccessKey, demo::kSecretKey,
                                               nullptr) == DCS_OK);
    REQUIRE(dcs_client_options_set_project_id(opts.get(), demo::kProjectId, nullptr) == DCS_OK);
    REQUIRE(dcs_client_options_set_timeout_ms(opts.get(), 10000, nullptr) == DCS_OK);
    if (!tls.ca_file.empty()) {
        REQUIRE(dcs_client_options_set_ca_file(opts.get(), tls.ca_file.c_str(), nullptr) == DCS_OK);
    }
    if (tls.insecure) {
        REQUIRE(dcs_client_options_set_insecure(opts.get(), 1, nullptr) == DCS_OK);
    }
    dcs_client* client = nullptr;
    REQUIRE(dcs_client_new(opts.get(), &client, nullptr) == DCS_OK);
    return ClientPtr(client);
}

Failure show_demo_instance(dcs_client* client) {
    dcs_instance* instance = nullptr;
    dcs_error* err = nullptr;
    dcs_status st = dcs_show_instance(client, demo::kInstanceId, nullptr, &instance, &err);
    InstancePtr owned(instance);
    Failure f = take_error(err);
    if (st == DCS_OK) {
        CHECK(std::string(dcs_instance_instance_id(instance)) == demo::kInstanceId);
    }
    CHECK(f.status == st);
    return f;
}

Failure restore_demo_instance(dcs_client* client) {
    char* id = nullptr;
    dcs_error* err = nullptr;
    dcs_status st =
        dcs_restore_instance(client, demo::kInstanceId, demo::kBackupId, "tls", nullptr, &id, &err);
    StringPtr restore_id(id);
    Failure f = take_error(err);
    CHECK(f.status == st);
    CHECK((st == DCS_OK) == (restore_id != nullptr));
    return f;
}

int64_t demo_restores_started(const TlsEmulator& e) {
    return json_int_field(e.admin.request("GET", std::string("instances/") + demo::kInstanceId),
                          "restores_started");
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// What a refused certificate must look like: nothing sent, and a message naming TLS and the
// defect.
void expect_tls_refusal(const Failure& f, const char* defect) {
    CAPTURE(f.message);
    CHECK(f.status == DCS_E_TRANSPORT);
    CHECK(f.request_sent == DCS_SENT_NO);
    CHECK(f.http_status == 0);
    CHECK(contains(f.message, "TLS"));
    CHECK(contains(f.message, defect));
}

struct BadCertificate {
    const char* name;
    const char* defect;  // what the message must name
};

const BadCertificate kBadCertificates[] = {
    {"self_signed", "self-signed certificate"},
    {"expired", "certificate has expired"},
    {"wrong_host", "host name"},
};

}  // namespace

TEST_CASE("a certificate signed by the CA in ca_file is trusted") {
    TlsEmulator& e = tls_emulator("good");
    REQUIRE(e.process.base_url().rfind("https://", 0) == 0);
    auto client = tls_client(e.process.base_url(), {tls_ca_file(), false});
    int64_t before = demo_restores_started(e);
    CHECK(show_demo_instance(client.get()).status == DCS_OK);
    CHECK(restore_demo_instance(client.get()).status == DCS_OK);
    CHECK(demo_restores_started(e) == before + 1);
}

TEST_CASE("without ca_file the test CA is unknown, so its certificate is refused") {
    TlsEmulator& e = tls_emulator("good");
    auto client = tls_client(e.process.base_url(), {});
    int64_t requests_before = e.admin.stat("requests");
    expect_tls_refusal(show_demo_instance(client.get()), "certificate");
    CHECK(e.admin.stat("requests") == requests_before);
}

TEST_CASE("self-signed, expired and wrong-host certificates fail by default, sending nothing") {
    for (const BadCertificate& bad : kBadCertificates) {
        CAPTURE(bad.name);
        TlsEmulator& e = tls_emulator(bad.name);
        // The CA is trusted, so each certificate fails for its own defect only.
        auto client = tls_client(e.process.base_url(), {tls_ca_file(), false});
        int64_t requests_before = e.admin.stat("requests");
        int64_t restores_before = demo_restores_started(e);
        expect_tls_refusal(show_demo_instance(client.get()), bad.defect);
        expect_tls_refusal(restore_demo_instance(client.get()), bad.defect);
        CHECK(e.admin.stat("requests") == requests_before);
        CHECK(demo_restores_started(e) == restores_before);
    }
}

TEST_CASE("a certificate that fails verification is not retried: it cannot heal") {
    for (const BadCertificate& bad : kBadCertificates) {
        CAPTURE(bad.name);
        TlsEmulator& e = tls_emulator(bad.name);
        // The client's default is 4 attempts: a retry would show as a second connection.
        auto client = tls_client(e.process.base_url(), {tls_ca_file(), false});
        int64_t before = e.admin.stat("connections_accepted");
        expect_tls_refusal(show_demo_instance(client.get()), bad.defect);
        // One TLS connection for the call (the second stat is the admin's own connection).
        CHECK(e.admin.stat("connections_accepted") - before - 1 == 1);
    }
}

TEST_CASE("a ca_file that cannot be used fails the call clearly, once, sending nothing") {
    TlsEmulator& e = tls_emulator("good");
    const std::string dir = tls_cert_dir();
    for (const std::string& ca_file :
         {dir + "/not_pem.pem", dir + "/corrupt.pem", dir, dir + "/missing.pem"}) {
        CAPTURE(ca_file);
        auto client = tls_client(e.process.base_url(), {ca_file, false});
        int64_t requests_before = e.admin.stat("requests");
        int64_t connections_before = e.admin.stat("connections_accepted");
        Failure f = show_demo_instance(client.get());
        CAPTURE(f.message);
        CHECK(f.status == DCS_E_TRANSPORT);
        CHECK(f.request_sent == DCS_SENT_NO);
        CHECK(contains(f.message, "TLS"));
        CHECK(contains(f.message, "certificate file"));
        CHECK(contains(f.message, ca_file));
        // One connection for the call, none for a retry (the second stat is the admin's own).
        CHECK(e.admin.stat("connections_accepted") - connections_before - 1 == 1);
        CHECK(e.admin.stat("requests") == requests_before);
    }
}

TEST_CASE("insecure lets every certificate through, only when asked for") {
    for (const char* cert : {"good", "self_signed", "expired", "wrong_host"}) {
        CAPTURE(cert);
        TlsEmulator& e = tls_emulator(cert);
        auto insecure = tls_client(e.process.base_url(), {"", true});
        int64_t restores_before = demo_restores_started(e);
        CHECK(show_demo_instance(insecure.get()).status == DCS_OK);
        CHECK(restore_demo_instance(insecure.get()).status == DCS_OK);
        CHECK(demo_restores_started(e) == restores_before + 1);
    }
}

TEST_CASE("keep-alive over TLS: many calls, one connection") {
    constexpr int kCalls = 20;
    TlsEmulator& e = tls_emulator("good");
    auto client = tls_client(e.process.base_url(), {tls_ca_file(), false});
    int64_t before = e.admin.stat("connections_accepted");
    for (int i = 0; i < kCalls; ++i) {
        REQUIRE(show_demo_instance(client.get()).status == DCS_OK);
    }
    // The admin request that reads the counter opens a connection of its own.
    int64_t client_connections = e.admin.stat("connections_accepted") - before - 1;
    MESSAGE(kCalls << " calls over TLS used " << client_connections << " connection(s)");
    CHECK(client_connections == 1);
}
