#include "config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "regions.hpp"
#include "text.hpp"
#include "validate.hpp"

namespace dcs::core {
namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

void fill(std::string& field, const char* variable) {
    if (field.empty()) {
        field = env(variable);
    }
}

bool valid_region(std::string_view region) {
    return !region.empty() && region.size() <= 32 &&
           std::all_of(region.begin(), region.end(), [](unsigned char c) {
               return std::islower(c) != 0 || std::isdigit(c) != 0 || c == '-';
           });
}

bool valid_host_char(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_';
}

}  // namespace

Result<Endpoint> parse_endpoint(std::string_view url) {
    auto bad = [&](const std::string& why) {
        return make_error(Status::InvalidArgument, "endpoint: " + why);
    };
    std::string_view rest;
    std::string scheme;
    if (url.rfind("https://", 0) == 0) {
        scheme = "https";
        rest = url.substr(8);
    } else if (url.rfind("http://", 0) == 0) {
        scheme = "http";
        rest = url.substr(7);
    } else {
        return bad("must start with http:// or https://");
    }
    if (!rest.empty() && rest.back() == '/') {
        rest.remove_suffix(1);
    }
    if (rest.empty()) {
        return bad("has no host");
    }
    if (rest.find_first_of("/?#@ \t\r\n") != std::string_view::npos) {
        return bad("must be scheme://host[:port] with no path, query, fragment or user info");
    }
    std::string_view host = rest;
    std::string_view port;
    if (rest.front() == '[') {  // IPv6 literal
        size_t close = rest.find(']');
        if (close == std::string_view::npos) {
            return bad("unterminated IPv6 address");
        }
        host = rest.substr(0, close + 1);
        std::string_view after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return bad("unexpected text after the IPv6 address");
            }
            port = after.substr(1);
        }
        bool hex = std::all_of(host.begin() + 1, host.end() - 1, [](unsigned char c) {
            return std::isxdigit(c) != 0 || c == ':' || c == '.';
        });
        if (!hex || host.size() < 3) {
            return bad("malformed IPv6 address");
        }
    } else {
        size_t colon = rest.rfind(':');
        if (colon != std::string_view::npos) {
            host = rest.substr(0, colon);
            port = rest.substr(colon + 1);
        }
        if (host.empty() || !std::all_of(host.begin(), host.end(), valid_host_char)) {
            return bad("malformed host name");
        }
    }
    if (rest.size() != host.size()) {
        if (port.empty() || port.size() > 5 ||
            !std::all_of(port.begin(), port.end(),
                         [](unsigned char c) { return std::isdigit(c) != 0; }) ||
            std::stoi(std::string(port)) == 0 || std::stoi(std::string(port)) > 65535) {
            return bad("malformed port");
        }
    }
    Endpoint endpoint;
    endpoint.host = std::string(rest);
    endpoint.base_url = scheme + "://" + endpoint.host;
    return endpoint;
}

Result<std::vector<Endpoint>> resolve_endpoints(const ClientConfig& config) {
    std::vector<Endpoint> endpoints;
    if (!config.endpoint.empty()) {
        auto endpoint = parse_endpoint(config.endpoint);
        if (!endpoint) {
            return endpoint.error();
        }
        endpoints.push_back(std::move(endpoint.value()));
        return endpoints;
    }
    if (!valid_region(config.region)) {
        return make_error(Status::InvalidArgument,
                          config.region.empty() ? "neither a region nor an endpoint is configured"
                                                : "region must be 1-32 characters of [a-z0-9-]");
    }
    // The official SDKs let HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4 name the endpoints of a
    // region, a comma-separated list; the call engine tries them in order when one cannot
    // be reached (call_engine.cpp).
    std::string variable = "HUAWEICLOUD_SDK_REGION_DCS_";
    for (char c : config.region) {
        variable += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    std::string overridden = env(variable.c_str());
    size_t start = 0;
    while (start <= overridden.size() && !overridden.empty()) {
        size_t comma = overridden.find(',', start);
        std::string item(trim(
            std::string_view(overridden)
                .substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
        start = comma == std::string::npos ? overridden.size() + 1 : comma + 1;
        if (item.empty()) {
            continue;  // "a,,b" or a trailing comma: nothing to try
        }
        if (item.find("://") == std::string::npos) {
            item = "https://" + item;
        }
        auto endpoint = parse_endpoint(item);
        if (!endpoint) {
            return make_error(Status::InvalidArgument, variable + ": " + endpoint.error().message);
        }
        endpoints.push_back(std::move(endpoint.value()));
    }
    if (!endpoints.empty()) {
        return endpoints;
    }
    if (!is_known_region(config.region)) {
        return make_error(
            Status::InvalidArgument,
            "unknown region \"" + config.region + "\" for DCS; did you mean " +
                closest_known_region(config.region) + "? (known: " + known_regions_text() +
                "; a region not listed needs an explicit endpoint or " + variable + ")");
    }
    auto endpoint = parse_endpoint("https://dcs." + config.region + ".myhuaweicloud.com");
    if (!endpoint) {
        return endpoint.error();
    }
    endpoints.push_back(std::move(endpoint.value()));
    return endpoints;
}

Result<Endpoint> resolve_endpoint(const ClientConfig& config) {
    auto endpoints = resolve_endpoints(config);
    if (!endpoints) {
        return std::move(endpoints).error();
    }
    return std::move(endpoints.value().front());
}

std::optional<Error> validate_ca_dir(const std::string& path) {
    if (path.empty()) {
        return std::nullopt;  // none: the system store (and the CA file, if any)
    }
    if (auto err = validate_header_text("CA directory", path, 4096)) {
        return err;
    }
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        return make_error(Status::InvalidArgument, "CA directory does not exist: " + path);
    }
    if (!std::filesystem::is_directory(status)) {
        return make_error(Status::InvalidArgument, "CA directory is not a directory: " + path);
    }
    return std::nullopt;
}

void load_env(ClientConfig& config) {
    // Keys and token come from one set of variables, never mixed: the official SDKs' when
    // either of their keys is set (a half-set pair then fails validation instead of being
    // completed from another identity's variables), else the Huawei Cloud Terraform
    // provider's HW_* set.
    bool sdk_set = !env(kEnvSdkAccessKey).empty() || !env(kEnvSdkSecretKey).empty();
    const char* access_key = sdk_set ? kEnvSdkAccessKey : kEnvHwAccessKey;
    const char* secret_key = sdk_set ? kEnvSdkSecretKey : kEnvHwSecretKey;
    const char* token = sdk_set ? kEnvSdkSecurityToken : kEnvHwSecurityToken;
    // A token belongs to the keys it was issued with: it comes from the environment only
    // when both keys do, never to sit beside a key the caller set explicitly.
    bool keys_from_env =
        config.credentials.access_key.empty() && config.credentials.secret_key.empty();
    fill(config.credentials.access_key, access_key);
    fill(config.credentials.secret_key, secret_key);
    if (keys_from_env) {
        fill(config.credentials.security_token, token);
    }
    fill(config.project_id, kEnvSdkProjectId);
    fill(config.project_id, kEnvHwProjectId);
    if (config.endpoint.empty() && config.region.empty()) {
        config.endpoint = env(kEnvEndpoint);
        config.region = env(kEnvRegion);
        fill(config.region, kEnvHwRegion);
    }
}

std::optional<Error> validate_config(const ClientConfig& config) {
    // A provider's credentials (the caller's, or the metadata service's after
    // resolve_credentials) are checked each time they are fetched.
    if (!config.credentials_chain.provider) {
        if (auto err = validate_credentials(config.credentials)) {
            return err;
        }
    }
    if (auto err = validate_id("project_id", config.project_id)) {
        return err;
    }
    if (auto err = validate_duration_ms("timeout", config.timeout_ms, false, kMaxTimeoutMs)) {
        return err;
    }
    if (auto err = validate_duration_ms("connect timeout", config.transport.connect_timeout_ms,
                                        false, kMaxTimeoutMs)) {
        return err;
    }
    if (auto err = validate_duration_ms("attempt timeout", config.attempt_timeout_ms, true,
                                        kMaxTimeoutMs)) {
        return err;
    }
    // 0 is allowed here: look once, do not wait for a late listing.
    if (auto err = validate_duration_ms("reconcile window", config.retry.reconcile_window_ms, true,
                                        kMaxReconcileWindowMs)) {
        return err;
    }
    if (auto err = validate_attempts(config.max_attempts, false)) {
        return err;
    }
    if (auto err = validate_response_cap(config.transport.max_response_bytes)) {
        return err;
    }
    if (auto err = validate_header_text("user agent suffix", config.user_agent_suffix, 256)) {
        return err;
    }
    if (auto err = validate_ca_dir(config.transport.ca_dir)) {
        return err;
    }
    auto proxies = resolve_proxy(config.transport.proxy);
    if (!proxies) {
        return proxies.error();
    }
    auto endpoints = resolve_endpoints(config);
    if (!endpoints) {
        return endpoints.error();
    }
    return std::nullopt;
}

}  // namespace dcs::core
