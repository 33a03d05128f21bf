// Client configuration: endpoint resolution, credentials, environment variables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credentials.hpp"
#include "error.hpp"
#include "signer.hpp"
#include "transport.hpp"

namespace dcs::core {

// Log levels match DCS_LOG_* in the C ABI.
enum class LogLevel : int { Error = 1, Warn = 2, Info = 3, Debug = 4 };

struct LogSink {
    void (*fn)(void* user, int level, const char* message) = nullptr;
    void* user = nullptr;
    int max_level = 0;

    [[nodiscard]] bool enabled(LogLevel level) const {
        return fn != nullptr && static_cast<int>(level) <= max_level;
    }
    void write(LogLevel level, const std::string& message) const {
        if (enabled(level)) {
            fn(user, static_cast<int>(level), message.c_str());
        }
    }
};

// Retry and wait tuning. Defaults suit the real service; tests shorten them.
struct RetryTuning {
    int64_t backoff_base_ms = 200;        // transport errors, 5xx, 429 without Retry-After
    int64_t busy_backoff_base_ms = 1000;  // the instance is busy: it takes a while to free up
    int64_t backoff_cap_ms = 10000;
    // How long a restore that an ambiguous attempt may have started is looked for in the
    // listing before the call gives up with "unresolved" (never posting again): the
    // longest listing delay the client is prepared for.
    int64_t reconcile_window_ms = 30000;
    int64_t reconcile_poll_ms = 500;
};

struct ClientConfig {
    std::string region;
    std::string endpoint;  // wins over region
    Credentials credentials;
    // Where credentials come from when `credentials` is empty, or instead of it when a
    // provider is set (credentials.hpp).
    CredentialsChain credentials_chain;
    std::string project_id;
    TransportConfig transport;
    int64_t timeout_ms = 120000;
    // Each request's own limit; 0 = automatic, a quarter of the call's timeout between 1 s
    // and 60 s, so a request the service never answers leaves the call time to find out
    // what happened.
    int64_t attempt_timeout_ms = 0;
    int max_attempts = 4;
    std::string user_agent_suffix;
    LogSink log;
    RetryTuning retry;
    Clock clock = std::chrono::system_clock::now;
};

struct Endpoint {
    std::string base_url;  // scheme://host[:port], no trailing slash
    std::string host;      // host[:port] exactly as sent and signed in Host
};

// Parses an explicit endpoint URL: http or https, a host, an optional port, no path
// beyond "/", no user info, query or fragment.
Result<Endpoint> parse_endpoint(std::string_view url);

// The endpoints a configuration talks to, in the order they are tried: the explicit one,
// else every endpoint of HUAWEICLOUD_SDK_REGION_DCS_<REGION> (comma-separated, as the
// official SDKs read it; a bare host gets https://), else the region's built-in
// https://dcs.{region}.myhuaweicloud.com. Only the last needs a known region (regions.hpp):
// a misspelt one fails here, naming it and the closest known one, instead of after a DNS
// lookup and every retry. Never empty on success.
Result<std::vector<Endpoint>> resolve_endpoints(const ClientConfig& config);

// The first of resolve_endpoints.
Result<Endpoint> resolve_endpoint(const ClientConfig& config);

// A CA directory must exist and be a directory, checked when it is set and again when the
// client is created (libcurl would only say "certificate problem" on the first request).
std::optional<Error> validate_ca_dir(const std::string& path);

// The environment variables load_env reads. HUAWEICLOUD_SDK_* are the official SDKs';
// HW_* the Huawei Cloud Terraform provider's, accepted so that one environment serves both.
inline constexpr const char* kEnvSdkAccessKey = "HUAWEICLOUD_SDK_AK";
inline constexpr const char* kEnvSdkSecretKey = "HUAWEICLOUD_SDK_SK";
inline constexpr const char* kEnvSdkSecurityToken = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
inline constexpr const char* kEnvSdkProjectId = "HUAWEICLOUD_SDK_PROJECT_ID";
inline constexpr const char* kEnvHwAccessKey = "HW_ACCESS_KEY";
inline constexpr const char* kEnvHwSecretKey = "HW_SECRET_KEY";
inline constexpr const char* kEnvHwSecurityToken = "HW_SECURITY_TOKEN";
inline constexpr const char* kEnvHwProjectId = "HW_PROJECT_ID";
inline constexpr const char* kEnvHwRegion = "HW_REGION_NAME";
inline constexpr const char* kEnvRegion = "DCS_REGION";
inline constexpr const char* kEnvEndpoint = "DCS_ENDPOINT";

// Fills unset fields from the environment. Precedence: what the caller set, then
// HUAWEICLOUD_SDK_* (DCS_REGION and DCS_ENDPOINT for where to connect), then HW_*.
// The keys and the security token come from one set: HUAWEICLOUD_SDK_AK/SK/SECURITY_TOKEN
// when either key of it is set, else HW_ACCESS_KEY/HW_SECRET_KEY/HW_SECURITY_TOKEN; the token
// only when both keys come from the environment. The project is HUAWEICLOUD_SDK_PROJECT_ID,
// else HW_PROJECT_ID. Only when neither a region nor an endpoint is set: DCS_ENDPOINT, and
// DCS_REGION, else HW_REGION_NAME.
void load_env(ClientConfig& config);

// Checks everything a client needs, before any request.
std::optional<Error> validate_config(const ClientConfig& config);

}  // namespace dcs::core
