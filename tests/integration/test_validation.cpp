// Validation sends nothing: every hostile argument on every entry point gives
// DCS_E_INVALID_ARGUMENT (request_sent NO) before any network I/O, and the emulator's request
// log stays empty.
#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

// A hostile value; `value` is null for a NULL pointer.
struct Hostile {
    std::string label;
    std::string text;
    bool is_null = false;
    [[nodiscard]] const char* value() const { return is_null ? nullptr : text.c_str(); }
};

std::vector<Hostile> hostile_ids() {
    return {
        {"../", "../", false},
        {"../../etc", "../../etc", false},
        {"%2F", "%2F", false},
        {"a%2Fb", "a%2Fb", false},
        {"slash", "a/b", false},
        {"?", "a?limit=1", false},
        {"#", "a#fragment", false},
        {"CR/LF", "a\r\nX-Injected: 1", false},
        {"LF", "a\n", false},
        {"space", "a b", false},
        {"1 MB", std::string(1 << 20, 'a'), false},
        {"65 characters", std::string(65, 'a'), false},
        {"invalid UTF-8", "\xff\xfe", false},
        {"truncated UTF-8", "\xc3", false},
        {"valid non-ASCII", "caf\xc3\xa9", false},
        {"empty", "", false},
        {"NULL", "", true},
    };
}

std::vector<Hostile> hostile_remarks() {
    return {
        {"CR/LF", "remark\r\nX-Injected: 1", false},
        {"TAB", "a\tb", false},
        {"DEL", "a\x7f", false},
        {"1 MB", std::string(1 << 20, 'r'), false},
        {"129 bytes", std::string(129, 'r'), false},
        {"invalid UTF-8", "bad \xff\xfe remark", false},
        {"overlong UTF-8", "\xc0\xaf", false},
        {"UTF-16 surrogate", "\xed\xa0\x80", false},
    };
}

std::vector<Hostile> hostile_times() {
    return {
        {"../", "../", false},
        {"too short", "2020", false},
        {"15 digits", "202001010000000", false},
        {"month 13", "20201301000000", false},
        {"30 February", "20200230000000", false},
        {"hour 24", "20200101240000", false},
        {"letter", "2020010100000a", false},
        {"ISO form", "2020-01-01T00:00:00Z", false},
        {"CR/LF", "20200101000000\r\n", false},
        {"&", "20200101000000&limit=1", false},
        {"1 MB", std::string(1 << 20, '1'), false},
        {"invalid UTF-8", "\xff\xfe", false},
    };
}

std::vector<Hostile> hostile_formats() {
    return {{"upper case", "RDB", false}, {"unknown", "json", false},
            {"empty", "", false},         {"../", "../", false},
            {"CR/LF", "rdb\r\n", false},  {"invalid UTF-8", "\xff", false}};
}

struct Outcome {
    dcs_status status = DCS_OK;
    Failure failure;
};

// One entry point with the hostile value in one parameter, all others valid.
struct Target {
    std::string name;
    std::function<Outcome(const char*)> call;
};

Outcome finish(dcs_status status, dcs_error* err) {
    Outcome out;
    out.status = status;
    out.failure = take_error(err);
    return out;
}

std::vector<Target> id_targets(dcs_client* c, const Sandbox& s) {
    const std::string inst = s.instance_id;
    const std::string backup = s.backup_id;
    const std::string restore = "00000000-0000-0000-0000-000000000001";
    auto wait_call = [c](const char* i, const char* r) {
        auto call = make_call_options(CallSettings{2000, nullptr, 0, false});
        dcs_restore_record* record = nullptr;
        dcs_error* err = nullptr;
        dcs_status st = dcs_wait_for_restore(c, i, r, nullptr, call.get(), &record, &err);
        dcs_restore_record_free(record);
        return finish(st, err);
    };
    return {
        {"dcs_restore_instance(instance_id)",
         [=](const char* v) {
             char* id = nullptr;
             dcs_error* err = nullptr;
             dcs_status st =
                 dcs_restore_instance(c, v, backup.c_str(), nullptr, nullptr, &id, &err);
             dcs_string_free(id);
             return finish(st, err);
         }},
        {"dcs_restore_instance(backup_id)",
         [=](const char* v) {
             char* id = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_restore_instance(c, inst.c_str(), v, nullptr, nullptr, &id, &err);
             dcs_string_free(id);
             return finish(st, err);
         }},
        {"dcs_validate_id",
         [=](const char* v) {
             dcs_error* err = nullptr;
             dcs_status st = dcs_validate_id("instance_id", v, &err);
             return finish(st, err);
         }},
        {"dcs_restore_instance_ext(instance_id)",
         [=](const char* v) {
             dcs_restore_outcome* o = nullptr;
             dcs_error* err = nullptr;
             dcs_status st =
                 dcs_restore_instance_ext(c, v, backup.c_str(), nullptr, nullptr, &o, &err);
             dcs_restore_outcome_free(o);
             return finish(st, err);
         }},
        {"dcs_restore_instance_ext(backup_id)",
         [=](const char* v) {
             dcs_restore_outcome* o = nullptr;
             dcs_error* err = nullptr;
             dcs_status st =
                 dcs_restore_instance_ext(c, inst.c_str(), v, nullptr, nullptr, &o, &err);
             dcs_restore_outcome_free(o);
             return finish(st, err);
         }},
        {"dcs_find_restore(instance_id)",
         [=](const char* v) {
             dcs_restore_record* r = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_find_restore(c, v, backup.c_str(), nullptr, 0, nullptr, &r, &err);
             dcs_restore_record_free(r);
             return finish(st, err);
         }},
        {"dcs_find_restore(backup_id)",
         [=](const char* v) {
             dcs_restore_record* r = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_find_restore(c, inst.c_str(), v, nullptr, 0, nullptr, &r, &err);
             dcs_restore_record_free(r);
             return finish(st, err);
         }},
        {"dcs_list_restores(instance_id)",
         [=](const char* v) {
             dcs_restore_list* list = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_list_restores(c, v, nullptr, nullptr, &list, &err);
             dcs_restore_list_free(list);
             return finish(st, err);
         }},
        {"dcs_get_restore(instance_id)",
         [=](const char* v) {
             dcs_restore_record* r = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_get_restore(c, v, restore.c_str(), nullptr, &r, &err);
             dcs_restore_record_free(r);
             return finish(st, err);
         }},
        {"dcs_get_restore(restore_id)",
         [=](const char* v) {
             dcs_restore_record* r = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_get_restore(c, inst.c_str(), v, nullptr, &r, &err);
             dcs_restore_record_free(r);
             return finish(st, err);
         }},
        {"dcs_wait_for_restore(instance_id)",
         [=](const char* v) { return wait_call(v, restore.c_str()); }},
        {"dcs_wait_for_restore(restore_id)",
         [=](const char* v) { return wait_call(inst.c_str(), v); }},
        {"dcs_list_backups(instance_id)",
         [=](const char* v) {
             dcs_backup_list* list = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_list_backups(c, v, nullptr, nullptr, &list, &err);
             dcs_backup_list_free(list);
             return finish(st, err);
         }},
        {"dcs_create_backup(instance_id)",
         [=](const char* v) {
             char* id = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_create_backup(c, v, nullptr, nullptr, nullptr, &id, &err);
             dcs_string_free(id);
             return finish(st, err);
         }},
        {"dcs_delete_backup(instance_id)",
         [=](const char* v) {
             dcs_error* err = nullptr;
             dcs_status st = dcs_delete_backup(c, v, backup.c_str(), nullptr, &err);
             return finish(st, err);
         }},
        {"dcs_delete_backup(backup_id)",
         [=](const char* v) {
             dcs_error* err = nullptr;
             dcs_status st = dcs_delete_backup(c, inst.c_str(), v, nullptr, &err);
             return finish(st, err);
         }},
        {"dcs_show_instance(instance_id)",
         [=](const char* v) {
             dcs_instance* i = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_show_instance(c, v, nullptr, &i, &err);
             dcs_instance_free(i);
             return finish(st, err);
         }},
        {"dcs_select_backup(instance_id)",
         [=](const char* v) {
             dcs_backup_record* b = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_select_backup(c, v, nullptr, nullptr, &b, &err);
             dcs_backup_record_free(b);
             return finish(st, err);
         }},
        {"dcs_plan_restore(instance_id)",
         [=](const char* v) {
             dcs_restore_plan* p = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_plan_restore(c, v, nullptr, nullptr, &p, &err);
             dcs_restore_plan_free(p);
             return finish(st, err);
         }},
    };
}

std::vector<Target> remark_targets(dcs_client* c, const Sandbox& s) {
    const std::string inst = s.instance_id;
    const std::string backup = s.backup_id;
    return {
        {"dcs_restore_instance(remark)",
         [=](const char* v) {
             char* id = nullptr;
             dcs_error* err = nullptr;
             dcs_status st =
                 dcs_restore_instance(c, inst.c_str(), backup.c_str(), v, nullptr, &id, &err);
             dcs_string_free(id);
             return finish(st, err);
         }},
        {"dcs_validate_remark",
         [=](const char* v) {
             dcs_error* err = nullptr;
             dcs_status st = dcs_validate_remark(v, &err);
             return finish(st, err);
         }},
        {"dcs_restore_instance_ext(remark)",
         [=](const char* v) {
             dcs_restore_outcome* o = nullptr;
             dcs_error* err = nullptr;
             dcs_status st =
                 dcs_restore_instance_ext(c, inst.c_str(), backup.c_str(), v, nullptr, &o, &err);
             dcs_restore_outcome_free(o);
             return finish(st, err);
         }},
        {"dcs_find_restore(remark)",
         [=](const char* v) {
             dcs_restore_record* r = nullptr;
             dcs_error* err = nullptr;
             dcs_status st =
                 dcs_find_restore(c, inst.c_str(), backup.c_str(), v, 0, nullptr, &r, &err);
             dcs_restore_record_free(r);
             return finish(st, err);
         }},
        {"dcs_create_backup(remark)",
         [=](const char* v) {
             char* id = nullptr;
             dcs_error* err = nullptr;
             dcs_status st = dcs_create_backup(c, inst.c_str(), v, nullptr, nullptr, &id, &err);
             dcs_string_free(id);
             return finish(st, err);
         }},
    };
}

// A filter setter may refuse the value itself; if it takes it, the list call must refuse.
Outcome list_with_time(dcs_client* c, const std::string& instance_id, bool begin, const char* v,
                       bool restores) {
    dcs_list_options* raw = nullptr;
    REQUIRE(dcs_list_options_new(&raw, nullptr) == DCS_OK);
    ListOptionsPtr filter(raw);
    dcs_error* err = nullptr;
    dcs_status st = begin ? dcs_list_options_set_begin_time(filter.get(), v, &err)
                          : dcs_list_options_set_end_time(filter.get(), v, &err);
    if (st != DCS_OK) {
        return finish(st, err);
    }
    if (restores) {
        dcs_restore_list* list = nullptr;
        st = dcs_list_restores(c, instance_id.c_str(), filter.get(), nullptr, &list, &err);
        dcs_restore_list_free(list);
    } else {
        dcs_backup_list* list = nullptr;
        st = dcs_list_backups(c, instance_id.c_str(), filter.get(), nullptr, &list, &err);
        dcs_backup_list_free(list);
    }
    return finish(st, err);
}

void expect_refused(const Outcome& out) {
    CHECK(out.status == DCS_E_INVALID_ARGUMENT);
    CHECK(out.failure.status == DCS_E_INVALID_ARGUMENT);
    CHECK(out.failure.request_sent == DCS_SENT_NO);
    CHECK(out.failure.http_status == 0);
    CHECK_FALSE(out.failure.message.empty());
    // The message names the problem, never echoes a megabyte or a raw control character.
    CHECK(out.failure.message.size() < 512);
    CHECK(out.failure.message.find('\n') == std::string::npos);
    CHECK(out.failure.message.find('\r') == std::string::npos);
}

// Nothing reached the emulator: no request, and not even a connection.
struct NothingSent {
    int64_t connections_before = admin().stats().connections_accepted;
    ~NothingSent() {
        CHECK(admin().requests().empty());
        CHECK(admin().stats().connections_accepted == connections_before);
    }
};

}  // namespace

TEST_CASE("hostile IDs are refused on every entry point before anything is sent") {
    Sandbox sandbox;
    auto client = sandbox.client();
    NothingSent nothing_sent;
    for (const Target& target : id_targets(client.get(), sandbox)) {
        for (const Hostile& h : hostile_ids()) {
            CAPTURE(target.name);
            CAPTURE(h.label);
            expect_refused(target.call(h.value()));
        }
    }
}

TEST_CASE("the backup selector refuses hostile ids and names; NULL clears a filter") {
    dcs_backup_selector* raw = nullptr;
    REQUIRE(dcs_backup_selector_new(&raw, nullptr) == DCS_OK);
    std::unique_ptr<dcs_backup_selector, void (*)(dcs_backup_selector*)> sel(
        raw, dcs_backup_selector_free);
    auto set = [&](auto setter, const char* v) {
        dcs_error* err = nullptr;
        dcs_status st = setter(sel.get(), v, &err);
        return finish(st, err);
    };
    for (const Hostile& h : hostile_ids()) {
        CAPTURE(h.label);
        if (h.is_null) {
            CHECK(set(dcs_backup_selector_set_backup_id, nullptr).status == DCS_OK);
            continue;
        }
        expect_refused(set(dcs_backup_selector_set_backup_id, h.value()));
    }
    // A name is compared, never sent, and held to the limits of free text ("" is no filter).
    for (const Hostile& h : hostile_remarks()) {
        CAPTURE(h.label);
        expect_refused(set(dcs_backup_selector_set_backup_name, h.value()));
    }
    CHECK(set(dcs_backup_selector_set_backup_name, nullptr).status == DCS_OK);
    expect_refused(set(dcs_backup_selector_set_backup_type, ""));
    expect_refused(set(dcs_backup_selector_set_backup_type, "Manual"));
}

TEST_CASE("dcs_validate_id and dcs_validate_remark accept what the calls accept") {
    CHECK(dcs_validate_id("instance_id", "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b", nullptr) ==
          DCS_OK);
    CHECK(dcs_validate_id(nullptr, std::string(64, 'a').c_str(), nullptr) == DCS_OK);
    CHECK(dcs_validate_remark("", nullptr) == DCS_OK);
    CHECK(dcs_validate_remark("caf\xc3\xa9 remark", nullptr) == DCS_OK);
    CHECK(dcs_validate_remark(std::string(128, 'r').c_str(), nullptr) == DCS_OK);
    dcs_error* err = nullptr;
    CHECK(dcs_validate_id("backup_id", "../x", &err) == DCS_E_INVALID_ARGUMENT);
    Failure f = take_error(err);
    CHECK(f.message.find("backup_id") != std::string::npos);
}

TEST_CASE("hostile remarks are refused before anything is sent") {
    Sandbox sandbox;
    auto client = sandbox.client();
    NothingSent nothing_sent;
    for (const Target& target : remark_targets(client.get(), sandbox)) {
        for (const Hostile& h : hostile_remarks()) {
            CAPTURE(target.name);
            CAPTURE(h.label);
            expect_refused(target.call(h.value()));
        }
    }
}

TEST_CASE("hostile time filters are refused before anything is sent") {
    Sandbox sandbox;
    auto client = sandbox.client();
    NothingSent nothing_sent;
    for (bool restores : {true, false}) {
        for (bool begin : {true, false}) {
            for (const Hostile& h : hostile_times()) {
                CAPTURE(restores);
                CAPTURE(begin);
                CAPTURE(h.label);
                expect_refused(
                    list_with_time(client.get(), sandbox.instance_id, begin, h.value(), restores));
            }
        }
    }
}

TEST_CASE("hostile backup formats are refused before anything is sent") {
    Sandbox sandbox;
    auto client = sandbox.client();
    NothingSent nothing_sent;
    for (const Hostile& h : hostile_formats()) {
        CAPTURE(h.label);
        char* id = nullptr;
        dcs_error* err = nullptr;
        dcs_status st = dcs_create_backup(client.get(), sandbox.instance_id.c_str(), nullptr,
                                          h.value(), nullptr, &id, &err);
        CHECK(id == nullptr);
        expect_refused(finish(st, err));
    }
}

TEST_CASE("NULL handles and output pointers are refused, with or without an error object") {
    Sandbox sandbox;
    auto client = sandbox.client();
    NothingSent nothing_sent;
    const char* inst = sandbox.instance_id.c_str();
    const char* backup = sandbox.backup_id.c_str();
    char* id = nullptr;
    dcs_restore_list* restores = nullptr;
    dcs_restore_record* record = nullptr;
    dcs_backup_list* backups = nullptr;
    dcs_instance* instance = nullptr;

    struct Call {
        std::string name;
        std::function<dcs_status(dcs_error**)> run;
    };
    dcs_client* c = client.get();
    const std::vector<Call> calls = {
        {"restore, NULL client",
         [&](dcs_error** e) {
             return dcs_restore_instance(nullptr, inst, backup, nullptr, nullptr, &id, e);
         }},
        {"restore, NULL out",
         [&](dcs_error** e) {
             return dcs_restore_instance(c, inst, backup, nullptr, nullptr, nullptr, e);
         }},
        {"list restores, NULL client",
         [&](dcs_error** e) {
             return dcs_list_restores(nullptr, inst, nullptr, nullptr, &restores, e);
         }},
        {"list restores, NULL out",
         [&](dcs_error** e) { return dcs_list_restores(c, inst, nullptr, nullptr, nullptr, e); }},
        {"get restore, NULL client",
         [&](dcs_error** e) { return dcs_get_restore(nullptr, inst, "r-1", nullptr, &record, e); }},
        {"get restore, NULL out",
         [&](dcs_error** e) { return dcs_get_restore(c, inst, "r-1", nullptr, nullptr, e); }},
        {"wait, NULL client",
         [&](dcs_error** e) {
             return dcs_wait_for_restore(nullptr, inst, "r-1", nullptr, nullptr, &record, e);
         }},
        {"list backups, NULL client",
         [&](dcs_error** e) {
             return dcs_list_backups(nullptr, inst, nullptr, nullptr, &backups, e);
         }},
        {"list backups, NULL out",
         [&](dcs_error** e) { return dcs_list_backups(c, inst, nullptr, nullptr, nullptr, e); }},
        {"create backup, NULL client",
         [&](dcs_error** e) {
             return dcs_create_backup(nullptr, inst, nullptr, nullptr, nullptr, &id, e);
         }},
        {"create backup, NULL out",
         [&](dcs_error** e) {
             return dcs_create_backup(c, inst, nullptr, nullptr, nullptr, nullptr, e);
         }},
        {"delete backup, NULL client",
         [&](dcs_error** e) { return dcs_delete_backup(nullptr, inst, backup, nullptr, e); }},
        {"restore ext, NULL client",
         [&](dcs_error** e) {
             dcs_restore_outcome* o = nullptr;
             return dcs_restore_instance_ext(nullptr, inst, backup, nullptr, nullptr, &o, e);
         }},
        {"restore ext, NULL out",
         [&](dcs_error** e) {
             return dcs_restore_instance_ext(c, inst, backup, nullptr, nullptr, nullptr, e);
         }},
        {"find restore, NULL client",
         [&](dcs_error** e) {
             return dcs_find_restore(nullptr, inst, backup, nullptr, 0, nullptr, &record, e);
         }},
        {"find restore, NULL out",
         [&](dcs_error** e) {
             return dcs_find_restore(c, inst, backup, nullptr, 0, nullptr, nullptr, e);
         }},
        {"find restore, negative since",
         [&](dcs_error** e) {
             return dcs_find_restore(c, inst, backup, nullptr, -1, nullptr, &record, e);
         }},
        {"call options, negative attempt timeout",
         [&](dcs_error** e) {
             dcs_call_options* o = nullptr;
             REQUIRE(dcs_call_options_new(&o, nullptr) == DCS_OK);
             CallOptionsPtr owned(o);
             return dcs_call_options_set_attempt_timeout_ms(o, -5, e);
         }},
        {"call options, reconcile window over an hour",
         [&](dcs_error** e) {
             dcs_call_options* o = nullptr;
             REQUIRE(dcs_call_options_new(&o, nullptr) == DCS_OK);
             CallOptionsPtr owned(o);
             return dcs_call_options_set_reconcile_window_ms(o, 3600LL * 1000 + 1, e);
         }},
        {"show instance, NULL client",
         [&](dcs_error** e) { return dcs_show_instance(nullptr, inst, nullptr, &instance, e); }},
        {"show instance, NULL out",
         [&](dcs_error** e) { return dcs_show_instance(c, inst, nullptr, nullptr, e); }},
        {"client_new, NULL options",
         [&](dcs_error** e) {
             dcs_client* other = nullptr;
             return dcs_client_new(nullptr, &other, e);
         }},
        {"select backup, NULL client",
         [&](dcs_error** e) {
             dcs_backup_record* b = nullptr;
             return dcs_select_backup(nullptr, inst, nullptr, nullptr, &b, e);
         }},
        {"select backup, NULL out",
         [&](dcs_error** e) { return dcs_select_backup(c, inst, nullptr, nullptr, nullptr, e); }},
        {"select backup, NULL instance",
         [&](dcs_error** e) {
             dcs_backup_record* b = nullptr;
             return dcs_select_backup(c, nullptr, nullptr, nullptr, &b, e);
         }},
        {"plan restore, NULL client",
         [&](dcs_error** e) {
             dcs_restore_plan* p = nullptr;
             return dcs_plan_restore(nullptr, inst, nullptr, nullptr, &p, e);
         }},
        {"plan restore, NULL out",
         [&](dcs_error** e) { return dcs_plan_restore(c, inst, nullptr, nullptr, nullptr, e); }},
        {"selector, NULL out", [&](dcs_error** e) { return dcs_backup_selector_new(nullptr, e); }},
        {"selector, NULL selector",
         [&](dcs_error** e) { return dcs_backup_selector_set_backup_type(nullptr, "auto", e); }},
    };
    for (const Call& call : calls) {
        CAPTURE(call.name);
        dcs_error* err = nullptr;
        dcs_status st = call.run(&err);
        expect_refused(finish(st, err));
        CHECK(call.run(nullptr) == DCS_E_INVALID_ARGUMENT);
    }
    CHECK(id == nullptr);
    CHECK(restores == nullptr);
    CHECK(record == nullptr);
    CHECK(backups == nullptr);
    CHECK(instance == nullptr);
}

TEST_CASE("hostile client configuration is refused before a client exists") {
    NothingSent nothing_sent;
    struct Setting {
        std::string name;
        std::function<dcs_status(dcs_client_options*, dcs_error**)> apply;
        // An explicit endpoint wins over a region, so a region is tested without one.
        bool with_endpoint = true;
    };
    const std::string url = emulator_url();
    const std::vector<Setting> settings = {
        {"endpoint with a path",
         [&](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_endpoint(o, (url + "/v2").c_str(), e);
         }},
        {"endpoint with CR/LF",
         [&](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_endpoint(o, (url + "\r\nX: 1").c_str(), e);
         }},
        {"endpoint with user info",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_endpoint(o, "http://user@127.0.0.1:1", e);
         }},
        {"NULL endpoint",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_endpoint(o, nullptr, e);
         }},
        {"access key with CR/LF",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_credentials(o, "AK\r\nX-Injected: 1", demo::kSecretKey,
                                                       e);
         }},
        {"secret key with LF",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_credentials(o, demo::kAccessKey, "sk\n", e);
         }},
        {"empty access key",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_credentials(o, "", demo::kSecretKey, e);
         }},
        {"NULL secret key",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_credentials(o, demo::kAccessKey, nullptr, e);
         }},
        {"security token with CR/LF",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_security_token(o, "token\r\nX-Injected: 1", e);
         }},
        {"project id ../",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_project_id(o, "../", e);
         }},
        {"project id %2F",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_project_id(o, "a%2Fb", e);
         }},
        {"region with a dot",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_region(o, "cn-north-4.evil.com", e);
         },
         false},
        {"region in upper case",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_region(o, "CN-NORTH-4", e);
         },
         false},
        {"0 attempts", [](dcs_client_options* o,
                          dcs_error** e) { return dcs_client_options_set_max_attempts(o, 0, e); }},
        {"101 attempts",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_max_attempts(o, 101, e);
         }},
        {"negative timeout",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_timeout_ms(o, -1, e);
         }},
        {"user agent with CR/LF",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_user_agent_suffix(o, "x\r\nX-Injected: 1", e);
         }},
        {"negative attempt timeout",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_attempt_timeout_ms(o, -1, e);
         }},
        {"attempt timeout over 7 days",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_attempt_timeout_ms(o, 7LL * 24 * 3600 * 1000 + 1, e);
         }},
        {"negative reconcile window",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_reconcile_window_ms(o, -1, e);
         }},
        {"reconcile window over an hour",
         [](dcs_client_options* o, dcs_error** e) {
             return dcs_client_options_set_reconcile_window_ms(o, 3600LL * 1000 + 1, e);
         }},
    };
    for (const Setting& s : settings) {
        CAPTURE(s.name);
        dcs_client_options* raw = nullptr;
        REQUIRE(dcs_client_options_new(&raw, nullptr) == DCS_OK);
        ClientOptionsPtr opts(raw);
        if (s.with_endpoint) {
            REQUIRE(dcs_client_options_set_endpoint(opts.get(), url.c_str(), nullptr) == DCS_OK);
        }
        REQUIRE(dcs_client_options_set_credentials(opts.get(), demo::kAccessKey, demo::kSecretKey,
                                                   nullptr) == DCS_OK);
        REQUIRE(dcs_client_options_set_project_id(opts.get(), demo::kProjectId, nullptr) == DCS_OK);
        // The setter may refuse at once; if it accepts, creating the client must refuse.
        dcs_error* err = nullptr;
        dcs_status st = s.apply(opts.get(), &err);
        if (st == DCS_OK) {
            dcs_client* client = nullptr;
            st = dcs_client_new(opts.get(), &client, &err);
            ClientPtr owned(client);
            CHECK(client == nullptr);
        }
        expect_refused(finish(st, err));
    }
}
