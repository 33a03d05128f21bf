// Pre-flight checks: a restore the service would refuse (or that would hurt) is refused by
// the library with DCS_E_PRECONDITION, and nothing is started. Without pre-flight the
// service's own refusal maps to the same status.
#include <doctest/doctest.h>

#include <string>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

struct RestoreOutcome {
    dcs_status status = DCS_OK;
    Failure failure;
    std::string restore_id;
};

RestoreOutcome restore(const Sandbox& sandbox, const std::string& backup_id, bool preflight,
                       int max_attempts = 0) {
    auto client = sandbox.client();
    auto call = make_call_options(CallSettings{10000, nullptr, max_attempts, preflight});
    char* raw_id = nullptr;
    dcs_error* err = nullptr;
    RestoreOutcome out;
    out.status = dcs_restore_instance(client.get(), sandbox.instance_id.c_str(), backup_id.c_str(),
                                      nullptr, call.get(), &raw_id, &err);
    StringPtr id(raw_id);
    out.restore_id = id ? id.get() : "";
    out.failure = take_error(err);
    return out;
}

size_t restore_posts() {
    size_t n = 0;
    for (const auto& r : admin().requests()) {
        n += r.operation == "RestoreInstance" ? 1 : 0;
    }
    return n;
}

// A pre-flight refusal: PRECONDITION, not sent, and the service never saw a restore.
void expect_refused_before_posting(const Sandbox& sandbox, const RestoreOutcome& out,
                                   const char* reason) {
    CAPTURE(out.failure.message);
    CHECK(out.status == DCS_E_PRECONDITION);
    CHECK(out.failure.status == DCS_E_PRECONDITION);
    CHECK(out.failure.request_sent == DCS_SENT_NO);
    CHECK(out.failure.message.find(reason) != std::string::npos);
    CHECK(out.restore_id.empty());
    CHECK(restore_posts() == 0);
    CHECK(admin().restores_started(sandbox.instance_id) == 0);
}

}  // namespace

TEST_CASE("pre-flight passes a restorable setup and the restore starts once") {
    Sandbox sandbox;
    auto out = restore(sandbox, sandbox.backup_id, true);
    REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
    CHECK(restore_posts() == 1);
    CHECK(admin().restores_started(sandbox.instance_id) == 1);
}

TEST_CASE("pre-flight refuses a single-node instance") {
    Sandbox sandbox;
    admin().patch_instance(sandbox.instance_id, std::nullopt, std::string("single"));
    expect_refused_before_posting(sandbox, restore(sandbox, sandbox.backup_id, true),
                                  "single-node");
}

TEST_CASE("pre-flight refuses an instance that is not RUNNING") {
    Sandbox sandbox;
    admin().patch_instance(sandbox.instance_id, std::string("RESTARTING"), std::nullopt);
    expect_refused_before_posting(sandbox, restore(sandbox, sandbox.backup_id, true), "RESTARTING");
}

TEST_CASE("pre-flight refuses a backup of another instance") {
    Sandbox sandbox;
    std::string other_instance = admin().create_instance();
    std::string foreign_backup = admin().create_backup(other_instance);
    expect_refused_before_posting(sandbox, restore(sandbox, foreign_backup, true),
                                  "is not a backup of instance");
    CHECK(admin().restores_started(other_instance) == 0);
}

TEST_CASE("pre-flight refuses a backup that did not succeed") {
    Sandbox sandbox;
    BackupSpec failed;
    failed.status = "failed";
    std::string backup = admin().create_backup(sandbox.instance_id, failed);
    expect_refused_before_posting(sandbox, restore(sandbox, backup, true), "failed");
}

TEST_CASE("pre-flight refuses a backup that does not support restore") {
    Sandbox sandbox;
    BackupSpec unrestorable;
    unrestorable.is_support_restore = "FALSE";
    std::string backup = admin().create_backup(sandbox.instance_id, unrestorable);
    expect_refused_before_posting(sandbox, restore(sandbox, backup, true),
                                  "does not support restore");
}

TEST_CASE("without pre-flight the service's refusals map to DCS_E_PRECONDITION too") {
    Sandbox sandbox;
    SUBCASE("single-node: DCS.4086") {
        admin().patch_instance(sandbox.instance_id, std::nullopt, std::string("single"));
        auto out = restore(sandbox, sandbox.backup_id, false);
        CHECK(out.status == DCS_E_PRECONDITION);
        CHECK(out.failure.http_status == 400);
        CHECK(out.failure.service_code == "DCS.4086");
        CHECK(out.failure.request_sent == DCS_SENT_YES);
        CHECK_FALSE(out.failure.request_id.empty());
    }
    SUBCASE("backup not restorable: DCS.4087") {
        BackupSpec failed;
        failed.status = "failed";
        std::string backup = admin().create_backup(sandbox.instance_id, failed);
        auto out = restore(sandbox, backup, false);
        CHECK(out.status == DCS_E_PRECONDITION);
        CHECK(out.failure.service_code == "DCS.4087");
    }
    SUBCASE("not running: DCS.4049 is busy, not a precondition") {
        admin().patch_instance(sandbox.instance_id, std::string("RESTARTING"), std::nullopt);
        auto out = restore(sandbox, sandbox.backup_id, false, 1);
        CHECK(out.status == DCS_E_BUSY);
        CHECK(out.failure.service_code == "DCS.4049");
    }
    CHECK(admin().restores_started(sandbox.instance_id) == 0);
}
