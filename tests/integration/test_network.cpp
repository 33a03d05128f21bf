// Network settings users expect (issue 18): proxies from the environment or the options, a CA
// directory, every endpoint of HUAWEICLOUD_SDK_REGION_DCS_{REGION} tried in order on a
// connection failure only, and a misspelt region refused at once. Routing is proven from the
// other side: what the loopback proxy relayed and what the emulator counted.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "../unit_extra/scoped_env.hpp"
#include "emulator_fixture.hpp"
#include "forward_proxy.hpp"

using namespace dcs::test;

namespace {

// Every proxy variable unset for the scope, so the machine's own settings cannot interfere.
struct NoProxyEnv {
    ScopedEnv a{"http_proxy", nullptr}, b{"HTTP_PROXY", nullptr}, c{"https_proxy", nullptr},
        d{"HTTPS_PROXY", nullptr}, e{"all_proxy", nullptr}, f{"ALL_PROXY", nullptr},
        g{"no_proxy", nullptr}, h{"NO_PROXY", nullptr}, i{"REQUEST_METHOD", nullptr};
};

struct LogLines {
    std::mutex mu;
    std::vector<std::string> lines;
    static void write(void* user, int /*level*/, const char* message) {
        auto* self = static_cast<LogLines*>(user);
        std::lock_guard<std::mutex> lock(self->mu);
        self->lines.emplace_back(message);
    }
    bool any_contains(const std::string& needle) {
        std::lock_guard<std::mutex> lock(mu);
        for (const auto& line : lines) {
            if (line.find(needle) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
};

struct Network {
    std::optional<std::string> endpoint;  // nullopt: the region decides
    std::string region;
    std::optional<std::string> proxy;  // nullopt: never call set_proxy
    LogLines* log = nullptr;
};

struct Made {
    ClientPtr client;
    Failure failure;
};

Made make(const Network& n) {
    dcs_error* err = nullptr;
    dcs_client_options* raw = nullptr;
    REQUIRE(dcs_client_options_new(&raw, &err) == DCS_OK);
    ClientOptionsPtr opts(raw);
    if (n.endpoint) {
        REQUIRE(dcs_client_options_set_endpoint(opts.get(), n.endpoint->c_str(), &err) == DCS_OK);
    }
    if (!n.region.empty()) {
        REQUIRE(dcs_client_options_set_region(opts.get(), n.region.c_str(), &err) == DCS_OK);
    }
    REQUIRE(dcs_client_options_set_credentials(opts.get(), demo::kAccessKey, demo::kSecretKey,
                                               &err) == DCS_OK);
    REQUIRE(dcs_client_options_set_project_id(opts.get(), demo::kProjectId, &err) == DCS_OK);
    REQUIRE(dcs_client_options_set_reconcile_window_ms(opts.get(), 5000, &err) == DCS_OK);
    if (n.proxy) {
        REQUIRE(dcs_client_options_set_proxy(opts.get(), n.proxy->c_str(), &err) == DCS_OK);
    }
    if (n.log != nullptr) {
        REQUIRE(dcs_client_options_set_log_callback(opts.get(), &LogLines::write, n.log,
                                                    DCS_LOG_DEBUG, &err) == DCS_OK);
    }
    dcs_client* client = nullptr;
    Made made;
    if (dcs_client_new(opts.get(), &client, &err) != DCS_OK) {
        made.failure = take_error(err);
    }
    made.client.reset(client);
    return made;
}

dcs_status show(dcs_client* client, const std::string& instance_id) {
    dcs_instance* out = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_show_instance(client, instance_id.c_str(), nullptr, &out, &err);
    dcs_instance_free(out);
    dcs_error_free(err);
    return status;
}

std::string loopback_url(int port) { return "http://127.0.0.1:" + std::to_string(port); }

}  // namespace

TEST_CASE("HTTP_PROXY from the environment carries the requests, NO_PROXY bypasses it") {
    Sandbox sandbox;
    ForwardProxy proxy;
    NoProxyEnv clean;
    {
        ScopedEnv via("HTTP_PROXY", proxy.url().c_str());
        Made made = make({emulator_url(), "", std::nullopt, nullptr});
        REQUIRE(made.client);
        CHECK(show(made.client.get(), sandbox.instance_id) == DCS_OK);
    }
    auto lines = proxy.request_lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("GET " + emulator_url() + "/v2/") == 0);

    {
        ScopedEnv via("http_proxy", proxy.url().c_str());
        ScopedEnv bypass("NO_PROXY", "127.0.0.1");
        Made made = make({emulator_url(), "", std::nullopt, nullptr});
        REQUIRE(made.client);
        CHECK(show(made.client.get(), sandbox.instance_id) == DCS_OK);
    }
    CHECK(proxy.request_lines().size() == 1);  // nothing more went through the proxy

    SUBCASE("HTTPS_PROXY does not apply to an http endpoint") {
        ScopedEnv via("HTTPS_PROXY", loopback_url(closed_loopback_port()).c_str());
        Made made = make({emulator_url(), "", std::nullopt, nullptr});
        REQUIRE(made.client);
        CHECK(show(made.client.get(), sandbox.instance_id) == DCS_OK);
    }
    SUBCASE("under CGI, the upper-case HTTP_PROXY is a request header and is ignored") {
        ScopedEnv cgi("REQUEST_METHOD", "GET");
        ScopedEnv via("HTTP_PROXY", loopback_url(closed_loopback_port()).c_str());
        Made made = make({emulator_url(), "", std::nullopt, nullptr});
        REQUIRE(made.client);
        CHECK(show(made.client.get(), sandbox.instance_id) == DCS_OK);
    }
}

TEST_CASE("an explicit proxy overrides the environment, and an explicit \"\" turns it off") {
    Sandbox sandbox;
    ForwardProxy proxy;
    NoProxyEnv clean;
    const std::string dead = loopback_url(closed_loopback_port());
    ScopedEnv env_proxy("HTTP_PROXY", dead.c_str());
    ScopedEnv env_bypass("NO_PROXY", "127.0.0.1");  // meant for others: not for an explicit one

    Made via = make({emulator_url(), "", proxy.url(), nullptr});
    REQUIRE(via.client);
    CHECK(show(via.client.get(), sandbox.instance_id) == DCS_OK);
    CHECK(proxy.request_lines().size() == 1);

    ScopedEnv env_no_bypass("NO_PROXY", nullptr);
    Made direct = make({emulator_url(), "", std::string(), nullptr});
    REQUIRE(direct.client);
    CHECK(show(direct.client.get(), sandbox.instance_id) == DCS_OK);  // not the dead proxy
    CHECK(proxy.request_lines().size() == 1);
}

TEST_CASE("a proxy's credentials reach the proxy and never a log line") {
    Sandbox sandbox;
    ForwardProxy proxy;
    NoProxyEnv clean;
    const std::string password = "pr0xy-Pa55w0rd-secret";
    const std::string with_user =
        "http://alice:" + password + "@127.0.0.1:" + std::to_string(proxy.port());
    LogLines explicit_log;
    LogLines env_log;
    {
        Made made = make({emulator_url(), "", with_user, &explicit_log});
        REQUIRE(made.client);
        CHECK(show(made.client.get(), sandbox.instance_id) == DCS_OK);
    }
    {
        ScopedEnv via("http_proxy", with_user.c_str());
        Made made = make({emulator_url(), "", std::nullopt, &env_log});
        REQUIRE(made.client);
        CHECK(show(made.client.get(), sandbox.instance_id) == DCS_OK);
    }
    auto auths = proxy.proxy_authorizations();
    REQUIRE(auths.size() == 2);
    for (const auto& auth : auths) {
        CHECK(auth.find("Basic") != std::string::npos);  // base64("alice:" + password)
    }
    for (LogLines* log : {&explicit_log, &env_log}) {
        CHECK(log->any_contains("proxy for http endpoints: http://***@127.0.0.1"));
        CHECK_FALSE(log->any_contains(password));
        CHECK_FALSE(log->any_contains("alice"));
    }
}

TEST_CASE("an unreachable proxy's error names it without its credentials") {
    Sandbox sandbox;
    NoProxyEnv clean;
    const std::string password = "dead-pr0xy-Pa55w0rd";
    const std::string dead =
        "http://bob:" + password + "@127.0.0.1:" + std::to_string(closed_loopback_port());
    LogLines log;
    Made made = make({emulator_url(), "", dead, &log});
    REQUIRE(made.client);
    dcs_instance* out = nullptr;
    dcs_error* err = nullptr;
    CHECK(dcs_show_instance(made.client.get(), sandbox.instance_id.c_str(), nullptr, &out, &err) ==
          DCS_E_TRANSPORT);
    Failure failure = take_error(err);
    CHECK(failure.message.find("through the proxy http://***@127.0.0.1:") != std::string::npos);
    CHECK(failure.message.find(password) == std::string::npos);
    CHECK(failure.message.find("bob") == std::string::npos);
    CHECK_FALSE(log.any_contains(password));
}

TEST_CASE("a CA directory must exist and be a directory") {
    dcs_error* err = nullptr;
    dcs_client_options* raw = nullptr;
    REQUIRE(dcs_client_options_new(&raw, &err) == DCS_OK);
    ClientOptionsPtr opts(raw);
    auto dir =
        std::filesystem::temp_directory_path() / ("dcs-ca-dir-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "file.pem") << "not a directory\n";

    CHECK(dcs_client_options_set_ca_dir(opts.get(), dir.c_str(), &err) == DCS_OK);
    CHECK(dcs_client_options_set_ca_dir(opts.get(), nullptr, &err) == DCS_OK);

    std::string missing = (dir / "missing").string();
    REQUIRE(dcs_client_options_set_ca_dir(opts.get(), missing.c_str(), &err) ==
            DCS_E_INVALID_ARGUMENT);
    Failure f = take_error(err);
    CHECK(f.message.find("does not exist") != std::string::npos);
    CHECK(f.message.find(missing) != std::string::npos);

    std::string file = (dir / "file.pem").string();
    REQUIRE(dcs_client_options_set_ca_dir(opts.get(), file.c_str(), &err) ==
            DCS_E_INVALID_ARGUMENT);
    CHECK(take_error(err).message.find("not a directory") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a misspelt region fails at once, naming it and the closest known one") {
    NoProxyEnv clean;
    ScopedEnv no_override("HUAWEICLOUD_SDK_REGION_DCS_CN_NORT_4", nullptr);
    Stopwatch watch;
    Made made = make({std::nullopt, "cn-nort-4", std::nullopt, nullptr});
    CHECK(watch.elapsed_ms() < 100);
    CHECK_FALSE(made.client);
    CHECK(made.failure.status == DCS_E_INVALID_ARGUMENT);
    CHECK(made.failure.message.find("\"cn-nort-4\"") != std::string::npos);
    CHECK(made.failure.message.find("did you mean cn-north-4?") != std::string::npos);

    SUBCASE("an explicit endpoint or the region's variable bypasses the list") {
        Sandbox sandbox;
        Made explicit_endpoint = make({emulator_url(), "xx-private-9", std::nullopt, nullptr});
        REQUIRE(explicit_endpoint.client);
        CHECK(show(explicit_endpoint.client.get(), sandbox.instance_id) == DCS_OK);
        ScopedEnv override_var("HUAWEICLOUD_SDK_REGION_DCS_XX_PRIVATE_9", emulator_url().c_str());
        Made from_env = make({std::nullopt, "xx-private-9", std::nullopt, nullptr});
        REQUIRE(from_env.client);
        CHECK(show(from_env.client.get(), sandbox.instance_id) == DCS_OK);
    }
}

TEST_CASE("an unreachable first endpoint passes the restore on to the next, once") {
    Sandbox sandbox;
    NoProxyEnv clean;
    const std::string list = loopback_url(closed_loopback_port()) + ", " + emulator_url();
    ScopedEnv endpoints("HUAWEICLOUD_SDK_REGION_DCS_XX_LIST_1", list.c_str());
    LogLines log;
    Made made = make({std::nullopt, "xx-list-1", std::nullopt, &log});
    REQUIRE(made.client);

    char* restore_id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_restore_instance(made.client.get(), sandbox.instance_id.c_str(),
                             sandbox.backup_id.c_str(), "failover", nullptr, &restore_id, &err);
    Failure failure = take_error(err);
    CHECK_MESSAGE(status == DCS_OK, failure.message);
    dcs_string_free(restore_id);
    CHECK(admin().restore_posts(sandbox.instance_id) == 1);
    CHECK(admin().restores_started(sandbox.instance_id) == 1);
    CHECK(log.any_contains("could not be reached"));

    // The endpoint that answered is preferred: the next call does not knock on the dead one.
    {
        std::lock_guard<std::mutex> lock(log.mu);
        log.lines.clear();
    }
    CHECK(show(made.client.get(), sandbox.instance_id) == DCS_OK);
    CHECK_FALSE(log.any_contains("could not be reached"));
}

TEST_CASE("a connection reset after the restore was sent is never taken to another endpoint") {
    Sandbox sandbox;
    NoProxyEnv clean;
    // Two names of the same emulator: a failover would show as a second POST.
    std::string second = emulator_url();
    second.replace(second.find("127.0.0.1"), 9, "localhost");
    const std::string list = emulator_url() + "," + second;
    ScopedEnv endpoints("HUAWEICLOUD_SDK_REGION_DCS_XX_LIST_2", list.c_str());
    FaultSpec fault;
    fault.operation = "RestoreInstance";
    fault.kind = "close_after";
    fault.count = 1;
    std::string fault_id = admin().add_fault(fault);
    Made made = make({std::nullopt, "xx-list-2", std::nullopt, nullptr});
    REQUIRE(made.client);

    char* restore_id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_restore_instance(made.client.get(), sandbox.instance_id.c_str(),
                             sandbox.backup_id.c_str(), "no-failover", nullptr, &restore_id, &err);
    Failure failure = take_error(err);
    CHECK_MESSAGE(status == DCS_OK, failure.message);  // adopted from the listing
    dcs_string_free(restore_id);
    CHECK(admin().fault_fired(fault_id) == 1);
    CHECK(admin().restore_posts(sandbox.instance_id) == 1);
    CHECK(admin().restores_started(sandbox.instance_id) == 1);
}
