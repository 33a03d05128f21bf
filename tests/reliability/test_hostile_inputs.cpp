// Every value of the shared hostile-input table (hostile_inputs.json), in every id and remark
// parameter of every C entry point that takes one, is refused with DCS_E_INVALID_ARGUMENT and
// request_sent NO, and the emulator shows that nothing was sent: its request log is empty and,
// below anything the log can see (a request Go's HTTP parser refuses is never logged), it
// accepted no connection and received no byte.
// tests/integration/test_validation.cpp covers more kinds of argument (NULL, time filters,
// backup formats, client settings); this suite is the C column of the cross-layer table.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "emulator_fixture.hpp"
#include "hostile_table.hpp"
#include "raw_admin.hpp"

using namespace dcs::test;

namespace {

// One parameter of one entry point; the others hold valid values.
struct Parameter {
    std::string name;
    bool is_remark;
    std::function<Failure(const char*)> call;
};

Failure outcome(dcs_status status, dcs_error* err) {
    Failure f = take_error(err);
    CHECK(f.status == status);
    return f;
}

std::vector<Parameter> parameters(dcs_client* c, const std::string& inst,
                                  const std::string& backup) {
    // A literal: the calls below keep the pointer beyond this function's return.
    const char* const restore_id = "00000000-0000-4000-8000-000000000001";
    auto restore_call = [c](const char* i, const char* b, const char* remark) {
        char* id = nullptr;
        dcs_error* err = nullptr;
        dcs_status st = dcs_restore_instance(c, i, b, remark, nullptr, &id, &err);
        CHECK(id == nullptr);
        dcs_string_free(id);
        return outcome(st, err);
    };
    auto get_call = [c](const char* i, const char* r) {
        dcs_restore_record* record = nullptr;
        dcs_error* err = nullptr;
        dcs_status st = dcs_get_restore(c, i, r, nullptr, &record, &err);
        dcs_restore_record_free(record);
        return outcome(st, err);
    };
    auto wait_call = [c](const char* i, const char* r) {
        auto call = make_call_options(CallSettings{2000, nullptr, 0, false});
        dcs_restore_record* record = nullptr;
        dcs_error* err = nullptr;
        dcs_status st = dcs_wait_for_restore(c, i, r, nullptr, call.get(), &record, &err);
        dcs_restore_record_free(record);
        return outcome(st, err);
    };
    auto create_call = [c](const char* i, const char* remark) {
        char* id = nullptr;
        dcs_error* err = nullptr;
        dcs_status st = dcs_create_backup(c, i, remark, nullptr, nullptr, &id, &err);
        CHECK(id == nullptr);
        dcs_string_free(id);
        return outcome(st, err);
    };
    auto delete_call = [c](const char* i, const char* b) {
        dcs_error* err = nullptr;
        dcs_status st = dcs_delete_backup(c, i, b, nullptr, &err);
        return outcome(st, err);
    };
    const char* i = inst.c_str();
    const char* b = backup.c_str();
    return {
        {"dcs_restore_instance(instance_id)", false,
         [=](const char* v) { return restore_call(v, b, nullptr); }},
        {"dcs_restore_instance(backup_id)", false,
         [=](const char* v) { return restore_call(i, v, nullptr); }},
        {"dcs_restore_instance(remark)", true,
         [=](const char* v) { return restore_call(i, b, v); }},
        {"dcs_list_restores(instance_id)", false,
         [=](const char* v) {
             dcs_restore_list* list = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_list_restores(c, v, nullptr, nullptr, &list, &err);
             dcs_restore_list_free(list);
             return outcome(st, err);
         }},
        {"dcs_get_restore(instance_id)", false,
         [=](const char* v) { return get_call(v, restore_id); }},
        {"dcs_get_restore(restore_id)", false, [=](const char* v) { return get_call(i, v); }},
        {"dcs_wait_for_restore(instance_id)", false,
         [=](const char* v) { return wait_call(v, restore_id); }},
        {"dcs_wait_for_restore(restore_id)", false, [=](const char* v) { return wait_call(i, v); }},
        {"dcs_list_backups(instance_id)", false,
         [=](const char* v) {
             dcs_backup_list* list = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_list_backups(c, v, nullptr, nullptr, &list, &err);
             dcs_backup_list_free(list);
             return outcome(st, err);
         }},
        {"dcs_create_backup(instance_id)", false,
         [=](const char* v) { return create_call(v, nullptr); }},
        {"dcs_create_backup(remark)", true, [=](const char* v) { return create_call(i, v); }},
        {"dcs_delete_backup(instance_id)", false, [=](const char* v) { return delete_call(v, b); }},
        {"dcs_delete_backup(backup_id)", false, [=](const char* v) { return delete_call(i, v); }},
        {"dcs_show_instance(instance_id)", false,
         [=](const char* v) {
             dcs_instance* instance = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_show_instance(c, v, nullptr, &instance, &err);
             dcs_instance_free(instance);
             return outcome(st, err);
         }},
    };
}

}  // namespace

TEST_CASE("the shared hostile inputs are refused by every C entry point, sending nothing") {
    const std::vector<HostileInput> inputs = load_hostile_inputs();
    REQUIRE(inputs.size() >= 10);
    Sandbox sandbox;
    // Watched from before the client exists: creating one must send nothing either.
    RawAdmin raw_admin;
    raw_admin.base_url = emulator_url();
    const WireWatch wire(raw_admin);
    auto client = sandbox.client();

    int refused = 0;
    for (const HostileInput& h : inputs) {
        if (!h.c_note.empty()) {
            MESSAGE("not applicable to C: " << h.label << " (" << h.c_note << ")");
            continue;
        }
        for (const Parameter& p :
             parameters(client.get(), sandbox.instance_id, sandbox.backup_id)) {
            if (p.is_remark ? !h.as_remark : !h.as_id) {
                continue;
            }
            CAPTURE(p.name);
            CAPTURE(h.label);
            Failure f = p.call(h.value.c_str());
            CAPTURE(f.message);
            CHECK(f.status == DCS_E_INVALID_ARGUMENT);
            CHECK(f.request_sent == DCS_SENT_NO);
            CHECK_FALSE(f.message.empty());
            CHECK(f.message.size() < 512);
            ++refused;
        }
    }
    MESSAGE(refused << " hostile calls refused");
    CHECK(refused > 100);
    const WireCounts arrived = wire.since();
    CHECK(arrived.connections == 0);
    CHECK(arrived.bytes == 0);
    CHECK(admin().requests().empty());
}
