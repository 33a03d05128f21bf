// A signed restore as the service sees it: accepted, signed over the right headers, the
// query in canonical order, no Expect round trip; and credentials the service refuses.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "emulator_fixture.hpp"
#include "http_capture.hpp"

using namespace dcs::test;

namespace {

std::vector<LoggedRequest> requests_for(const std::string& operation) {
    std::vector<LoggedRequest> out;
    for (auto& r : admin().requests()) {
        if (r.operation == operation) {
            out.push_back(r);
        }
    }
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool is_lower_hex(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

// The header block of a raw request, lower-cased, for case-insensitive name checks.
std::string head_of(const std::string& raw) {
    return lower(raw.substr(0, raw.find("\r\n\r\n") + 2));
}

}  // namespace

TEST_CASE("a signed restore is accepted and starts exactly one restore") {
    Sandbox sandbox;
    auto client = sandbox.client();
    char* raw_id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_restore_instance(client.get(), sandbox.instance_id.c_str(), sandbox.backup_id.c_str(),
                             "signed restore", nullptr, &raw_id, &err);
    Failure failure = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, failure.message);
    StringPtr restore_id(raw_id);
    CHECK(std::string(restore_id.get()).size() > 0);
    CHECK(admin().restores_started(sandbox.instance_id) == 1);

    auto restores = requests_for("RestoreInstance");
    REQUIRE(restores.size() == 1);
    const LoggedRequest& r = restores.front();
    CHECK(r.method == "POST");
    CHECK(r.path == std::string("/v2/") + demo::kProjectId + "/instances/" + sandbox.instance_id +
                        "/restores");
    CHECK(r.query.empty());
    CHECK(r.status == 200);
    CHECK(r.fault.empty());
    CHECK(r.access_key == demo::kAccessKey);
    // Exactly the headers libdcs signs, sorted as SignedHeaders lists them.
    const std::vector<std::string> expected_signed = {"content-type", "host", "user-agent",
                                                      "x-project-id", "x-sdk-date"};
    CHECK(r.signed_headers == expected_signed);
    CHECK(r.body.find("\"backup_id\":\"" + sandbox.backup_id + "\"") != std::string::npos);
    CHECK(r.body.find("\"remark\":\"signed restore\"") != std::string::npos);

    // The record it started is the one the service lists.
    dcs_restore_record* record = nullptr;
    REQUIRE(dcs_get_restore(client.get(), sandbox.instance_id.c_str(), restore_id.get(), nullptr,
                            &record, nullptr) == DCS_OK);
    RestoreRecordPtr owned(record);
    CHECK(std::string(dcs_restore_record_backup_id(record)) == sandbox.backup_id);
    CHECK(std::string(dcs_restore_record_restore_remark(record)) == "signed restore");
}

TEST_CASE("list calls send their query in canonical order") {
    Sandbox sandbox;
    auto client = sandbox.client();
    dcs_list_options* raw = nullptr;
    REQUIRE(dcs_list_options_new(&raw, nullptr) == DCS_OK);
    ListOptionsPtr filter(raw);
    REQUIRE(dcs_list_options_set_end_time(filter.get(), "20991231235959", nullptr) == DCS_OK);
    REQUIRE(dcs_list_options_set_begin_time(filter.get(), "20200101000000", nullptr) == DCS_OK);

    dcs_restore_list* restores = nullptr;
    REQUIRE(dcs_list_restores(client.get(), sandbox.instance_id.c_str(), filter.get(), nullptr,
                              &restores, nullptr) == DCS_OK);
    RestoreListPtr owned_restores(restores);
    dcs_backup_list* backups = nullptr;
    REQUIRE(dcs_list_backups(client.get(), sandbox.instance_id.c_str(), nullptr, nullptr, &backups,
                             nullptr) == DCS_OK);
    BackupListPtr owned_backups(backups);

    auto listed = requests_for("ListRestoreRecords");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].query ==
          "begin_time=20200101000000&end_time=20991231235959&limit=1000&offset=0");
    CHECK(listed[0].status == 204);  // a fresh instance has no restore records
    auto backup_lists = requests_for("ListBackupRecords");
    REQUIRE(backup_lists.size() == 1);
    CHECK(backup_lists[0].query == "limit=1000&offset=0");
    CHECK(backup_lists[0].status == 200);
}

TEST_CASE("on the wire a restore has no Expect header and a well-formed Authorization") {
    HttpCapture capture(200, "{\"restore_id\":\"11111111-2222-3333-4444-555555555555\"}");
    ClientSettings settings;
    settings.endpoint = capture.base_url();
    auto client = make_client(settings);
    // The longest remark the API takes: libcurl adds "Expect: 100-continue" to large bodies
    // unless told not to.
    std::string remark(128, 'r');
    char* raw_id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_restore_instance(client.get(), "inst-1", "backup-1", remark.c_str(),
                                             nullptr, &raw_id, &err);
    Failure failure = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, failure.message);
    StringPtr restore_id(raw_id);
    CHECK(std::string(restore_id.get()) == "11111111-2222-3333-4444-555555555555");

    auto requests = capture.requests();
    REQUIRE(requests.size() == 1);
    const std::string& raw = requests[0];
    CHECK(raw.rfind(std::string("POST /v2/") + demo::kProjectId +
                        "/instances/inst-1/restores HTTP/1.1\r\n",
                    0) == 0);
    std::string head = head_of(raw);
    CHECK(head.find("\r\nexpect:") == std::string::npos);
    CHECK(head.find("\r\ntransfer-encoding:") == std::string::npos);
    CHECK(head.find("\r\nx-sdk-date: ") != std::string::npos);
    CHECK(head.find("\r\nx-project-id: " + std::string(demo::kProjectId) + "\r\n") !=
          std::string::npos);
    const std::string authorization_start =
        "\r\nAuthorization: SDK-HMAC-SHA256 Access=DEMOACCESSKEY0000001, "
        "SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date, Signature=";
    size_t at = raw.find(authorization_start);
    REQUIRE(at != std::string::npos);
    std::string signature = raw.substr(at + authorization_start.size(), 66);
    CHECK(signature.substr(64) == "\r\n");
    CHECK(is_lower_hex(signature.substr(0, 64)));
    CHECK(raw.find(demo::kSecretKey) == std::string::npos);
    std::string body = raw.substr(raw.find("\r\n\r\n") + 4);
    CHECK(body == "{\"backup_id\":\"backup-1\",\"remark\":\"" + remark + "\"}");
}

TEST_CASE("a wrong secret key is refused with DCS_E_AUTH and starts nothing") {
    Sandbox sandbox;
    ClientSettings settings;
    settings.secret_key = "not-the-demo-secret-key";
    auto client = sandbox.client(settings);
    char* raw_id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_restore_instance(client.get(), sandbox.instance_id.c_str(), sandbox.backup_id.c_str(),
                             nullptr, nullptr, &raw_id, &err);
    Failure f = take_error(err);
    CHECK(status == DCS_E_AUTH);
    CHECK(f.status == DCS_E_AUTH);
    CHECK(f.http_status == 401);
    CHECK(f.service_code == "APIGW.0301");
    CHECK_FALSE(f.service_message.empty());
    CHECK_FALSE(f.request_id.empty());
    CHECK(f.request_sent == DCS_SENT_YES);
    CHECK(f.message.find("not-the-demo-secret-key") == std::string::npos);
    CHECK(raw_id == nullptr);
    CHECK(admin().restores_started(sandbox.instance_id) == 0);
    // Auth failures are final: one attempt, no retry.
    CHECK(requests_for("RestoreInstance").size() == 1);
}

TEST_CASE("temporary credentials: the security token is signed and checked") {
    Sandbox sandbox;
    const std::string ak = "TEMPACCESSKEY0000001";
    const std::string sk = "temporary-secret-key-0123456789";
    const std::string token = "security-token-for-ctest-0123456789";
    admin().add_credential(ak, sk, demo::kProjectId, token);

    ClientSettings settings;
    settings.access_key = ak;
    settings.secret_key = sk;

    SUBCASE("the right token works") {
        settings.security_token = token;
        auto client = sandbox.client(settings);
        dcs_instance* instance = nullptr;
        dcs_error* err = nullptr;
        dcs_status status =
            dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr, &instance, &err);
        Failure f = take_error(err);
        REQUIRE_MESSAGE(status == DCS_OK, f.message);
        InstancePtr owned(instance);
        CHECK(std::string(dcs_instance_instance_id(instance)) == sandbox.instance_id);
        auto shown = requests_for("ShowInstance");
        REQUIRE(shown.size() == 1);
        CHECK(shown[0].access_key == ak);
        CHECK(std::find(shown[0].signed_headers.begin(), shown[0].signed_headers.end(),
                        "x-security-token") != shown[0].signed_headers.end());
    }
    SUBCASE("a wrong token fails") {
        settings.security_token = "security-token-that-is-wrong";
        auto client = sandbox.client(settings);
        dcs_instance* instance = nullptr;
        dcs_error* err = nullptr;
        dcs_status status =
            dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr, &instance, &err);
        Failure f = take_error(err);
        CHECK(status == DCS_E_AUTH);
        CHECK(f.http_status == 401);
        CHECK(f.message.find("security-token-that-is-wrong") == std::string::npos);
        CHECK(instance == nullptr);
    }
    SUBCASE("no token fails for temporary credentials") {
        auto client = sandbox.client(settings);
        dcs_instance* instance = nullptr;
        dcs_error* err = nullptr;
        dcs_status status =
            dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr, &instance, &err);
        Failure f = take_error(err);
        CHECK(status == DCS_E_AUTH);
        CHECK(f.http_status == 401);
    }
}
