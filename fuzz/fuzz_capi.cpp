// Fuzzes the argument validation of the public C ABI (dcs.h) with hostile strings and numbers.
// Input fields (see fields.hpp): instance id, second id (backup or restore), remark, backup
// format, begin time, end time, then the strings for the option setters; the numbers come
// from the input's tail.
//
// The operations run on one client whose endpoint is http://127.0.0.1:9 (the discard port,
// where nothing listens), with one attempt and short timeouts: an input that passes
// validation makes a connection attempt that is refused at once. Nothing leaves loopback.
// Option setters run on a fresh options object each time; a client built from fuzzed options
// is created and freed but never used, so a fuzzed endpoint or region is never contacted.
//
// Properties checked, besides memory safety:
//  - an argument the contract in dcs.h rules out (an ID that is not 1-64 characters of
//    [A-Za-z0-9_-], a remark over 128 bytes or with a control character, a backup format
//    other than rdb/aof, attempts out of range) gives DCS_E_INVALID_ARGUMENT with
//    request_sent == DCS_SENT_NO, and an error object whose message is one printable line;
//  - arguments the contract allows are not rejected: they reach the transport, which fails
//    with DCS_E_TRANSPORT (nothing sent) or DCS_E_TIMEOUT;
//  - no log line and no error message ever contains the secret key.
#include <dcs/dcs.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "check.hpp"
#include "fields.hpp"

using dcs_fuzz::is_printable_line;

namespace {

constexpr const char* kSecretKey = "fuzz-secret-key-0123456789abcdefghijklmnop";

// Whether the current input itself spells the secret key (libFuzzer learns it from the
// strstr below): then an ID that echoes back in a message is the caller's text, not a leak.
bool g_input_has_secret = false;

bool leaks_secret(const char* text) {
    return !g_input_has_secret && std::strstr(text, kSecretKey) != nullptr;
}

// The C strings the library sees end at the first NUL.
std::string_view c_view(const std::string& s) { return std::string_view(s.c_str()); }

// dcs.h: "IDs must be 1-64 characters of [A-Za-z0-9_-]".
bool id_allowed(std::string_view id) {
    if (id.empty() || id.size() > 64) {
        return false;
    }
    for (unsigned char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

// dcs.h: a remark is "at most 128 bytes of UTF-8 without control characters". Printable
// ASCII is always fine; other bytes depend on UTF-8 validity, which this oracle leaves open.
enum class Verdict { Allowed, Forbidden, Either };

Verdict remark_verdict(std::string_view remark) {
    if (remark.size() > 128) {
        return Verdict::Forbidden;
    }
    bool ascii = true;
    for (unsigned char c : remark) {
        if (c < 0x20 || c == 0x7f) {
            return Verdict::Forbidden;
        }
        ascii = ascii && c < 0x80;
    }
    return ascii ? Verdict::Allowed : Verdict::Either;
}

Verdict both(Verdict a, Verdict b) {
    if (a == Verdict::Forbidden || b == Verdict::Forbidden) {
        return Verdict::Forbidden;
    }
    if (a == Verdict::Either || b == Verdict::Either) {
        return Verdict::Either;
    }
    return Verdict::Allowed;
}

Verdict allowed_if(bool ok) { return ok ? Verdict::Allowed : Verdict::Forbidden; }

void check_error_object(dcs_status status, dcs_error* err) {
    if (status == DCS_OK) {
        FUZZ_CHECK(err == nullptr);
        return;
    }
    FUZZ_CHECK(err != nullptr);
    FUZZ_CHECK(dcs_error_status(err) == status);
    const char* message = dcs_error_message(err);
    FUZZ_CHECK(message != nullptr && message[0] != '\0');
    FUZZ_CHECK(is_printable_line(message));
    FUZZ_CHECK(!leaks_secret(message));
    if (status == DCS_E_INVALID_ARGUMENT) {
        FUZZ_CHECK(dcs_error_request_sent(err) == DCS_SENT_NO);
        FUZZ_CHECK(dcs_error_http_status(err) == 0);
    }
}

// Checks one operation's outcome against what the contract says of its arguments, then
// frees the error.
void expect(Verdict verdict, dcs_status status, dcs_error* err) {
    check_error_object(status, err);
    switch (verdict) {
        case Verdict::Forbidden:
            FUZZ_CHECK(status == DCS_E_INVALID_ARGUMENT);
            break;
        case Verdict::Allowed:
            FUZZ_CHECK(status == DCS_E_TRANSPORT || status == DCS_E_TIMEOUT);
            if (status == DCS_E_TRANSPORT) {
                FUZZ_CHECK(dcs_error_request_sent(err) == DCS_SENT_NO);
            }
            break;
        case Verdict::Either:
            FUZZ_CHECK(status == DCS_E_INVALID_ARGUMENT || status == DCS_E_TRANSPORT ||
                       status == DCS_E_TIMEOUT);
            break;
    }
    dcs_error_free(err);
}

void check_log_line(void*, int level, const char* message) {
    FUZZ_CHECK(level >= DCS_LOG_ERROR && level <= DCS_LOG_DEBUG);
    FUZZ_CHECK(!leaks_secret(message));
}

// One client for the whole run, pointed at the discard port.
dcs_client* discard_client() {
    static dcs_client* client = [] {
        dcs_client_options* opts = nullptr;
        FUZZ_CHECK(dcs_client_options_new(&opts, nullptr) == DCS_OK);
        FUZZ_CHECK(dcs_client_options_set_endpoint(opts, "http://127.0.0.1:9", nullptr) == DCS_OK);
        FUZZ_CHECK(dcs_client_options_set_credentials(opts, "FUZZACCESSKEY0000001", kSecretKey,
                                                      nullptr) == DCS_OK);
        FUZZ_CHECK(dcs_client_options_set_project_id(opts, "0123456789abcdef0123456789abcdef",
                                                     nullptr) == DCS_OK);
        FUZZ_CHECK(dcs_client_options_set_connect_timeout_ms(opts, 200, nullptr) == DCS_OK);
        FUZZ_CHECK(dcs_client_options_set_timeout_ms(opts, 500, nullptr) == DCS_OK);
        FUZZ_CHECK(dcs_client_options_set_max_attempts(opts, 1, nullptr) == DCS_OK);
        FUZZ_CHECK(dcs_client_options_set_log_callback(opts, check_log_line, nullptr, DCS_LOG_DEBUG,
                                                       nullptr) == DCS_OK);
        dcs_client* created = nullptr;
        FUZZ_CHECK(dcs_client_new(opts, &created, nullptr) == DCS_OK);
        dcs_client_options_free(opts);
        return created;
    }();
    return client;
}

struct Arguments {
    std::string instance_id, other_id, remark, backup_format, begin_time, end_time;
    bool remark_is_null = false, format_is_null = false;
};

using TimeSetter = dcs_status (*)(dcs_list_options*, const char*, dcs_error**);

void set_filter_time(dcs_list_options* filter, TimeSetter setter, const std::string& value) {
    dcs_error* err = nullptr;
    const dcs_status status = setter(filter, value.c_str(), &err);
    check_error_object(status, err);
    if (c_view(value).size() != 14) {  // dcs.h: "yyyyMMddHHmmss" (14 digits)
        FUZZ_CHECK(status == DCS_E_INVALID_ARGUMENT);
    }
    dcs_error_free(err);
}

// The list filter from fuzzed times; the setters validate them, so an operation receives
// only times a setter accepted.
dcs_list_options* make_filter(const Arguments& args) {
    dcs_list_options* filter = nullptr;
    FUZZ_CHECK(dcs_list_options_new(&filter, nullptr) == DCS_OK);
    set_filter_time(filter, dcs_list_options_set_begin_time, args.begin_time);
    set_filter_time(filter, dcs_list_options_set_end_time, args.end_time);
    return filter;
}

void run_operations(const Arguments& args) {
    dcs_client* client = discard_client();
    dcs_call_options* call = nullptr;
    FUZZ_CHECK(dcs_call_options_new(&call, nullptr) == DCS_OK);
    FUZZ_CHECK(dcs_call_options_set_max_attempts(call, 1, nullptr) == DCS_OK);
    dcs_list_options* filter = make_filter(args);

    const Verdict instance = allowed_if(id_allowed(c_view(args.instance_id)));
    const Verdict other = allowed_if(id_allowed(c_view(args.other_id)));
    const Verdict remark =
        args.remark_is_null ? Verdict::Allowed : remark_verdict(c_view(args.remark));
    const std::string_view format = c_view(args.backup_format);
    const Verdict backup_format =
        args.format_is_null ? Verdict::Allowed : allowed_if(format == "rdb" || format == "aof");
    const char* remark_arg = args.remark_is_null ? nullptr : args.remark.c_str();
    const char* format_arg = args.format_is_null ? nullptr : args.backup_format.c_str();
    const char* id = args.instance_id.c_str();
    const char* id2 = args.other_id.c_str();

    dcs_error* err = nullptr;
    char* new_id = nullptr;
    dcs_status status = dcs_restore_instance(client, id, id2, remark_arg, call, &new_id, &err);
    FUZZ_CHECK(status != DCS_OK);
    expect(both(both(instance, other), remark), status, err);

    dcs_restore_list* restores = nullptr;
    status = dcs_list_restores(client, id, filter, call, &restores, &err);
    FUZZ_CHECK(status != DCS_OK);
    expect(instance, status, err);

    dcs_restore_record* record = nullptr;
    status = dcs_get_restore(client, id, id2, call, &record, &err);
    FUZZ_CHECK(status != DCS_OK);
    expect(both(instance, other), status, err);

    dcs_instance* shown = nullptr;
    status = dcs_show_instance(client, id, call, &shown, &err);
    FUZZ_CHECK(status != DCS_OK);
    expect(instance, status, err);

    status = dcs_create_backup(client, id, remark_arg, format_arg, call, &new_id, &err);
    FUZZ_CHECK(status != DCS_OK);
    expect(both(both(instance, remark), backup_format), status, err);

    status = dcs_delete_backup(client, id, id2, call, &err);
    FUZZ_CHECK(status != DCS_OK);
    expect(both(instance, other), status, err);

    dcs_backup_list* backups = nullptr;
    status = dcs_list_backups(client, id, filter, call, &backups, &err);
    FUZZ_CHECK(status != DCS_OK);
    expect(instance, status, err);

    dcs_list_options_free(filter);
    dcs_call_options_free(call);
}

// A setter either accepts or rejects with DCS_E_INVALID_ARGUMENT; it never does anything else.
void expect_setter(dcs_status status, dcs_error* err, Verdict verdict = Verdict::Either) {
    check_error_object(status, err);
    FUZZ_CHECK(status == DCS_OK || status == DCS_E_INVALID_ARGUMENT);
    if (verdict == Verdict::Forbidden) {
        FUZZ_CHECK(status == DCS_E_INVALID_ARGUMENT);
    } else if (verdict == Verdict::Allowed) {
        FUZZ_CHECK(status == DCS_OK);
    }
    dcs_error_free(err);
}

void run_setters(FuzzedDataProvider& input) {
    dcs_client_options* opts = nullptr;
    FUZZ_CHECK(dcs_client_options_new(&opts, nullptr) == DCS_OK);
    dcs_error* err = nullptr;

    const std::string region = input.ConsumeRandomLengthString(64);
    const std::string endpoint = input.ConsumeRandomLengthString(256);
    const std::string proxy = input.ConsumeRandomLengthString(256);
    const std::string suffix = input.ConsumeRandomLengthString(300);
    const std::string project = input.ConsumeRandomLengthString(80);
    const std::string token = input.ConsumeRandomLengthString(128);
    const std::string access_key = input.ConsumeRandomLengthString(64);

    expect_setter(dcs_client_options_set_region(opts, region.c_str(), &err), err);
    expect_setter(dcs_client_options_set_endpoint(opts, endpoint.c_str(), &err), err);
    expect_setter(dcs_client_options_set_proxy(opts, proxy.c_str(), &err), err);
    expect_setter(dcs_client_options_set_user_agent_suffix(opts, suffix.c_str(), &err), err);
    expect_setter(dcs_client_options_set_project_id(opts, project.c_str(), &err), err,
                  allowed_if(id_allowed(c_view(project))));
    expect_setter(dcs_client_options_set_security_token(opts, token.c_str(), &err), err);
    expect_setter(dcs_client_options_set_credentials(opts, access_key.c_str(), kSecretKey, &err),
                  err);

    const auto timeout = input.ConsumeIntegral<int64_t>();
    const auto connect_timeout = input.ConsumeIntegral<int64_t>();
    const auto attempts = input.ConsumeIntegral<int>();
    const auto max_bytes = input.ConsumeIntegral<size_t>();
    expect_setter(dcs_client_options_set_timeout_ms(opts, timeout, &err), err,
                  timeout <= 0 ? Verdict::Forbidden : Verdict::Either);
    expect_setter(dcs_client_options_set_connect_timeout_ms(opts, connect_timeout, &err), err,
                  connect_timeout <= 0 ? Verdict::Forbidden : Verdict::Either);
    // dcs.h: attempts per call, "range 1-100".
    expect_setter(dcs_client_options_set_max_attempts(opts, attempts, &err), err,
                  allowed_if(attempts >= 1 && attempts <= 100));
    expect_setter(dcs_client_options_set_max_response_bytes(opts, max_bytes, &err), err);

    // The client is built and freed, never used: its endpoint may be anywhere.
    dcs_client* client = nullptr;
    const dcs_status status = dcs_client_new(opts, &client, &err);
    check_error_object(status, err);
    dcs_error_free(err);
    dcs_client_free(client);
    dcs_client_options_free(opts);

    dcs_call_options* call = nullptr;
    FUZZ_CHECK(dcs_call_options_new(&call, nullptr) == DCS_OK);
    const auto call_attempts = input.ConsumeIntegral<int>();
    // dcs.h: "Attempts for this call (1-100); 0 = the client's default."
    expect_setter(dcs_call_options_set_max_attempts(call, call_attempts, &err), err,
                  allowed_if(call_attempts >= 0 && call_attempts <= 100));
    const auto call_timeout = input.ConsumeIntegral<int64_t>();
    expect_setter(dcs_call_options_set_timeout_ms(call, call_timeout, &err), err,
                  call_timeout < 0 ? Verdict::Forbidden : Verdict::Either);
    dcs_call_options_free(call);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    g_input_has_secret = raw.find(kSecretKey) != std::string_view::npos;
    FuzzedDataProvider input(data, size);
    Arguments args;
    args.instance_id = input.ConsumeRandomLengthString(128);
    args.other_id = input.ConsumeRandomLengthString(128);
    args.remark = input.ConsumeRandomLengthString(256);
    args.backup_format = input.ConsumeRandomLengthString(8);
    args.begin_time = input.ConsumeRandomLengthString(32);
    args.end_time = input.ConsumeRandomLengthString(32);
    args.remark_is_null = args.remark == "NULL";
    args.format_is_null = args.backup_format == "NULL";
    run_operations(args);
    run_setters(input);
    return 0;
}
