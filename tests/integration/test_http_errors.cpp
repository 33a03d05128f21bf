// Every kind of answer a call can get, through the C ABI: the status, and what the error
// object tells the caller.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

struct ShowOutcome {
    dcs_status status = DCS_OK;
    InstancePtr instance;
    Failure failure;
    int64_t elapsed_ms = 0;
};

ShowOutcome show(dcs_client* client, const std::string& instance_id,
                 const CallSettings& call = {}) {
    auto options = make_call_options(call);
    ShowOutcome out;
    dcs_instance* instance = nullptr;
    dcs_error* err = nullptr;
    Stopwatch watch;
    out.status = dcs_show_instance(client, instance_id.c_str(), options.get(), &instance, &err);
    out.elapsed_ms = watch.elapsed_ms();
    out.instance.reset(instance);
    out.failure = take_error(err);
    return out;
}

size_t count_requests(const std::string& operation) {
    size_t n = 0;
    for (const auto& r : admin().requests()) {
        n += r.operation == operation ? 1 : 0;
    }
    return n;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// A loopback port that nothing listens on: bound, never listened on, then closed.
int unused_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        throw std::runtime_error("cannot find a free port");
    }
    int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

FaultSpec show_fault(const std::string& kind, int count = 1) {
    FaultSpec f;
    f.operation = "ShowInstance";
    f.kind = kind;
    f.count = count;
    return f;
}

}  // namespace

TEST_CASE("200: the instance as the service describes it") {
    Sandbox sandbox(InstanceSpec{"ctest-show", "ha", "RUNNING"});
    auto client = sandbox.client();
    auto out = show(client.get(), sandbox.instance_id);
    REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
    const dcs_instance* i = out.instance.get();
    CHECK(std::string(dcs_instance_instance_id(i)) == sandbox.instance_id);
    CHECK(std::string(dcs_instance_name(i)) == "ctest-show");
    CHECK(std::string(dcs_instance_status(i)) == "RUNNING");
    CHECK(std::string(dcs_instance_cache_mode(i)) == "ha");
    CHECK(std::string(dcs_instance_engine(i)) == "Redis");
    CHECK(std::string(dcs_instance_engine_version(i)) == "6.0");
    CHECK(dcs_instance_capacity(i) == 1);
    CHECK_FALSE(std::string(dcs_instance_launched_at(i)).empty());
}

TEST_CASE("400 with a DCS error body: every field and the request id reach the caller") {
    Sandbox sandbox;
    auto client = sandbox.client();
    struct Case {
        const char* code;
        dcs_status expected;
    };
    const Case cases[] = {
        {"DCS.4097", DCS_E_BUSY},
        {"111400087", DCS_E_PRECONDITION},
        {"111400062", DCS_E_REJECTED},
    };
    for (const Case& c : cases) {
        CAPTURE(c.code);
        FaultSpec fault = show_fault("status");
        fault.status = 400;
        fault.body = std::string("{\"error_code\":\"") + c.code + "\",\"error_msg\":\"message of " +
                     c.code + "\",\"error_ext_msg\":\"extra detail\"}";
        admin().add_fault(fault);
        auto out = show(client.get(), sandbox.instance_id, CallSettings{0, nullptr, 1, false});
        CHECK(out.status == c.expected);
        CHECK(out.failure.status == c.expected);
        CHECK(out.failure.http_status == 400);
        CHECK(out.failure.service_code == c.code);
        CHECK(out.failure.service_message == std::string("message of ") + c.code);
        CHECK(out.failure.service_ext_message == "extra detail");
        CHECK(out.failure.request_sent == DCS_SENT_YES);
        REQUIRE_FALSE(out.failure.request_id.empty());
        CHECK(contains(out.failure.message, out.failure.request_id));
        CHECK(contains(out.failure.message, c.code));
        CHECK(out.instance == nullptr);
    }
}

TEST_CASE("404: an instance the service does not know") {
    Sandbox sandbox;
    auto client = sandbox.client();
    auto out = show(client.get(), "00000000-0000-0000-0000-000000000000");
    CHECK(out.status == DCS_E_NOT_FOUND);
    CHECK(out.failure.http_status == 404);
    CHECK(out.failure.service_code == "DCS.3022");
    CHECK_FALSE(out.failure.request_id.empty());
    CHECK(count_requests("ShowInstance") == 1);  // not retried
}

TEST_CASE("500: DCS_E_SERVER with one attempt, recovered by a retry with the default") {
    Sandbox sandbox;
    auto client = sandbox.client();
    FaultSpec fault = show_fault("status");
    fault.status = 500;
    fault.body = "{\"error_code\":\"DCS.5000\",\"error_msg\":\"internal error\"}";

    admin().add_fault(fault);
    auto once = show(client.get(), sandbox.instance_id, CallSettings{0, nullptr, 1, false});
    CHECK(once.status == DCS_E_SERVER);
    CHECK(once.failure.http_status == 500);
    CHECK(once.failure.service_code == "DCS.5000");
    CHECK(once.failure.service_message == "internal error");
    CHECK(count_requests("ShowInstance") == 1);

    admin().clear_requests();
    admin().add_fault(fault);
    auto retried = show(client.get(), sandbox.instance_id);
    CHECK(retried.status == DCS_OK);
    CHECK(count_requests("ShowInstance") == 2);
}

TEST_CASE("204: an empty list, not an error") {
    Sandbox sandbox;
    auto client = sandbox.client();
    dcs_restore_list* restores = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_list_restores(client.get(), sandbox.instance_id.c_str(), nullptr,
                                          nullptr, &restores, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    RestoreListPtr owned(restores);
    CHECK(dcs_restore_list_count(restores) == 0);
    CHECK(dcs_restore_list_at(restores, 0) == nullptr);

    std::string bare = admin().create_instance();  // no backups at all
    dcs_backup_list* backups = nullptr;
    status = dcs_list_backups(client.get(), bare.c_str(), nullptr, nullptr, &backups, &err);
    f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    BackupListPtr owned_backups(backups);
    CHECK(dcs_backup_list_count(backups) == 0);

    auto log = admin().requests();
    REQUIRE(log.size() == 2);
    CHECK(log[0].status == 204);
    CHECK(log[1].status == 204);
}

TEST_CASE("an HTML 502 from a proxy: DCS_E_SERVER with the status and a snippet") {
    Sandbox sandbox;
    auto client = sandbox.client();
    admin().add_fault(show_fault("html_502"));
    auto out = show(client.get(), sandbox.instance_id, CallSettings{0, nullptr, 1, false});
    CHECK(out.status == DCS_E_SERVER);
    CHECK(out.failure.http_status == 502);
    CHECK(out.failure.service_code.empty());
    CHECK(contains(out.failure.message, "502"));
    CHECK(contains(out.failure.message, "502 Bad Gateway"));
    CHECK_FALSE(contains(out.failure.message, "\n"));
}

TEST_CASE("a 200 whose body is not JSON: DCS_E_BAD_RESPONSE") {
    Sandbox sandbox;
    auto client = sandbox.client();
    admin().add_fault(show_fault("non_json"));
    auto out = show(client.get(), sandbox.instance_id, CallSettings{0, nullptr, 1, false});
    CHECK(out.status == DCS_E_BAD_RESPONSE);
    CHECK(out.failure.http_status == 200);
    CHECK(out.failure.request_sent == DCS_SENT_YES);
    CHECK(contains(out.failure.message, "this is not JSON"));
    CHECK_FALSE(out.failure.request_id.empty());
}

TEST_CASE("a body over the 1 MiB cap: DCS_E_BAD_RESPONSE, whatever it holds") {
    Sandbox sandbox;
    auto client = sandbox.client();
    admin().add_fault(show_fault("oversized"));
    auto out = show(client.get(), sandbox.instance_id, CallSettings{0, nullptr, 1, false});
    CHECK(out.status == DCS_E_BAD_RESPONSE);
    CHECK(out.failure.request_sent == DCS_SENT_YES);
    CHECK(out.failure.message.find("1048576") != std::string::npos);  // names the cap
    CHECK(out.failure.message.size() < 1024);

    SUBCASE("a lower cap applies to ordinary answers too") {
        ClientSettings settings;
        settings.max_response_bytes = 1024;
        auto small = sandbox.client(settings);
        dcs_backup_list* backups = nullptr;
        // Three backups make a listing of well over 1 KiB.
        admin().create_backup(sandbox.instance_id);
        admin().create_backup(sandbox.instance_id);
        dcs_error* err = nullptr;
        dcs_status status = dcs_list_backups(small.get(), sandbox.instance_id.c_str(), nullptr,
                                             nullptr, &backups, &err);
        Failure f = take_error(err);
        BackupListPtr owned(backups);
        CHECK(status == DCS_E_BAD_RESPONSE);
        CHECK(backups == nullptr);
    }
}

TEST_CASE("a truncated body: DCS_E_TRANSPORT, and the request may have been carried out") {
    Sandbox sandbox;
    auto client = sandbox.client();
    admin().add_fault(show_fault("truncated"));
    auto out = show(client.get(), sandbox.instance_id, CallSettings{0, nullptr, 1, false});
    // The connection died mid-body: a transport failure, after the request went out.
    CHECK(out.status == DCS_E_TRANSPORT);
    CHECK(out.failure.request_sent != DCS_SENT_NO);
    CHECK_FALSE(out.failure.message.empty());
}

TEST_CASE("connection refused: DCS_E_TRANSPORT and provably not sent") {
    ClientSettings settings;
    settings.endpoint = "http://127.0.0.1:" + std::to_string(unused_port());
    settings.max_attempts = 1;
    auto client = make_client(settings);
    auto out = show(client.get(), demo::kInstanceId);
    CHECK(out.status == DCS_E_TRANSPORT);
    CHECK(out.failure.request_sent == DCS_SENT_NO);
    CHECK(out.failure.http_status == 0);
    CHECK(out.elapsed_ms < 2000);

    SUBCASE("a restore that cannot connect is retried, and still says not sent") {
        settings.max_attempts = 3;
        auto retrying = make_client(settings);
        char* id = nullptr;
        dcs_error* err = nullptr;
        dcs_status status = dcs_restore_instance(retrying.get(), demo::kInstanceId, demo::kBackupId,
                                                 nullptr, nullptr, &id, &err);
        Failure f = take_error(err);
        CHECK(status == DCS_E_TRANSPORT);
        CHECK(f.request_sent == DCS_SENT_NO);
        CHECK(id == nullptr);
    }
}

TEST_CASE("a timeout: DCS_E_TIMEOUT at the call's deadline, not after") {
    Sandbox sandbox;
    auto client = sandbox.client();
    FaultSpec fault = show_fault("delay");
    fault.delay_ms = 3000;
    admin().add_fault(fault);
    const int64_t timeout = 500;
    auto out = show(client.get(), sandbox.instance_id, CallSettings{timeout, nullptr, 0, false});
    CHECK(out.status == DCS_E_TIMEOUT);
    CHECK(out.failure.request_sent == DCS_SENT_MAYBE);
    CHECK(out.elapsed_ms >= timeout - 20);
    CHECK(out.elapsed_ms < timeout + 200);
    MESSAGE("timed out after " << out.elapsed_ms << " ms (deadline " << timeout << " ms)");
}

TEST_CASE("429 with Retry-After: waited out, or DCS_E_THROTTLED when no attempt is left") {
    Sandbox sandbox;
    auto client = sandbox.client();
    FaultSpec fault = show_fault("throttle");
    fault.retry_after = 1;

    admin().add_fault(fault);
    auto once = show(client.get(), sandbox.instance_id, CallSettings{0, nullptr, 1, false});
    CHECK(once.status == DCS_E_THROTTLED);
    CHECK(once.failure.http_status == 429);
    CHECK(once.failure.service_code == "APIGW.0308");

    admin().add_fault(fault);
    auto waited = show(client.get(), sandbox.instance_id);
    CHECK(waited.status == DCS_OK);
    CHECK(waited.elapsed_ms >= 1000);  // the server's Retry-After, honoured
    CHECK(waited.elapsed_ms < 3000);
}
