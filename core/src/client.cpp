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
    if (auto err = validate_config(config)) {
        return *err;
    }
    auto endpoint = resolve_endpoint(config);
    if (!endpoint) {
        return endpoint.error();
    }
    return std::unique_ptr<Client>(new Client(std::move(config), std::move(endpoint.value())));
}

Client::Client(ClientConfig config, Endpoint endpoint)
    : config_(std::move(config)),
      endpoint_(std::move(endpoint)),
      signer_(config_.credentials, config_.clock),
      request_template_(signer_.prepare(endpoint_.host, {{"Content-Type", "application/json"},
                                                         {"User-Agent", user_agent(config_)},
                                                         {"X-Project-Id", config_.project_id}})),
      transport_(config_.transport) {}

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
