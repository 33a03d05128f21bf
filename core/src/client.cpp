// The client: creation, the context of one call (deadline, attempts, attempt timeout,
// reconcile window), the service's clock and the request paths. The call engine that sends
// requests is call_engine.cpp; the operations are operations.cpp, restore.cpp and wait.cpp.
#include "client.hpp"

#include <algorithm>
#include <chrono>
#include <string_view>

#include "dcs/dcs.h"  // DCS_VERSION_STRING, the library's version
#include "http_errors.hpp"
#include "text.hpp"
#include "validate.hpp"

namespace dcs::core {
namespace {

constexpr const char* kVersion = DCS_VERSION_STRING;

// A quarter of the call, so that a request the service never answers leaves time to
// retry it or to find out what it did; at least 1 s (or the whole call, if shorter) and at
// most 60 s (a DCS API answer that takes longer is not coming).
int64_t automatic_attempt_timeout_ms(int64_t call_timeout_ms) {
    constexpr int64_t kFloorMs = 1000;
    constexpr int64_t kCapMs = 60000;
    return std::clamp(call_timeout_ms / 4, std::min(call_timeout_ms, kFloorMs), kCapMs);
}

std::string user_agent(const ClientConfig& config) {
    std::string agent = std::string("libdcs/") + kVersion;
    if (!config.user_agent_suffix.empty()) {
        agent += " " + config.user_agent_suffix;
    }
    return agent;
}

}  // namespace

std::optional<Error> validate_call_options(const CallOptions& options) {
    if (auto err = validate_duration_ms("call timeout", options.timeout_ms, true, kMaxTimeoutMs)) {
        return err;
    }
    if (auto err = validate_duration_ms("attempt timeout", options.attempt_timeout_ms, true,
                                        kMaxTimeoutMs)) {
        return err;
    }
    if (auto err = validate_duration_ms("reconcile window", options.reconcile_window_ms, true,
                                        kMaxReconcileWindowMs)) {
        return err;
    }
    if (options.max_attempts < 0 || options.max_attempts > kMaxAttempts) {
        return make_error(Status::InvalidArgument, "max attempts must be between 0 and 100");
    }
    return std::nullopt;
}

Result<std::unique_ptr<Client>> Client::create(ClientConfig config) {
    if (auto err = resolve_credentials(config)) {
        return *err;
    }
    if (auto err = validate_config(config)) {
        return *err;
    }
    auto endpoints = resolve_endpoints(config);
    if (!endpoints) {
        return endpoints.error();
    }
    // The environment is read once, here: a client's route does not change under it.
    auto proxies = resolve_proxy(config.transport.proxy);
    if (!proxies) {
        return proxies.error();
    }
    return std::unique_ptr<Client>(
        new Client(std::move(config), std::move(endpoints.value()), std::move(proxies.value())));
}

Client::Client(ClientConfig config, std::vector<Endpoint> endpoints, ProxyPlan proxies)
    : config_(std::move(config)),
      endpoints_(std::move(endpoints)),
      transport_(config_.transport, proxies) {
    auto prepare = [this](const Signer& signer) {
        std::vector<RequestTemplate> templates;
        templates.reserve(endpoints_.size());
        for (const Endpoint& endpoint : endpoints_) {
            templates.push_back(
                signer.prepare(endpoint.host, {{"Content-Type", "application/json"},
                                               {"User-Agent", user_agent(config_)},
                                               {"X-Project-Id", config_.project_id}}));
        }
        return templates;
    };
    const CredentialsChain& chain = config_.credentials_chain;
    credentials_ = chain.provider ? std::make_unique<CredentialsSource>(
                                        chain.provider, chain.provider_name, config_.clock, prepare)
                                  : std::make_unique<CredentialsSource>(config_.credentials,
                                                                        config_.clock, prepare);
    // Where requests go, for whoever debugs a network: never the proxy's credentials.
    if (config_.log.enabled(LogLevel::Debug)) {
        for (const ProxyRoute* route : {&proxies.http, &proxies.https}) {
            const char* scheme = route == &proxies.http ? "http" : "https";
            std::string text = route->url.empty()
                                   ? std::string("none")
                                   : redact_proxy_url(route->url) + " (from " + route->source +
                                         (route->no_proxy.empty() ? "" : ", no_proxy set") + ")";
            log(LogLevel::Debug, std::string("proxy for ") + scheme + " endpoints: " + text);
        }
    }
}

Client::Call Client::begin(const CallOptions& options, int64_t default_timeout_ms) const {
    int64_t timeout = options.timeout_ms > 0 ? options.timeout_ms : default_timeout_ms;
    int attempts = options.max_attempts > 0 ? options.max_attempts : config_.max_attempts;
    int64_t attempt_timeout =
        options.attempt_timeout_ms > 0 ? options.attempt_timeout_ms : config_.attempt_timeout_ms;
    if (attempt_timeout <= 0) {
        attempt_timeout = automatic_attempt_timeout_ms(timeout);
    }
    int64_t window = options.reconcile_window_ms > 0 ? options.reconcile_window_ms
                                                     : config_.retry.reconcile_window_ms;
    return Call{
        Deadline::after_ms(timeout), options.cancel.get(), attempts, attempt_timeout, window,
        options.wait_while_busy,     SteadyClock::now(),   {}};
}

int64_t Client::wall_now_ms() const { return epoch_ms(config_.clock()); }

std::string Client::instance_path(const std::string& instance_id) const {
    constexpr std::string_view kApiVersion = "/v2/";
    constexpr std::string_view kInstances = "/instances/";
    // Callers append a sub-resource ("/restores", "/backups"): room for it up front.
    constexpr size_t kSuffixRoom = 16;
    std::string path;
    path.reserve(kApiVersion.size() + config_.project_id.size() + kInstances.size() +
                 instance_id.size() + kSuffixRoom);
    path.append(kApiVersion).append(config_.project_id).append(kInstances).append(instance_id);
    return path;
}

}  // namespace dcs::core
