// Which proxy a client's requests go through: the caller's explicit choice, or the
// environment's https_proxy / http_proxy / all_proxy / no_proxy, read once when the client is
// created. Resolved here, not by libcurl, so that every binding behaves the same, the
// upper-case HTTP_PROXY is honoured (outside CGI) as Go and Python honour it, and the choice
// can be logged without its credentials.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "error.hpp"

namespace dcs::core {

// One scheme's proxy: the URL (empty = connect directly) and the hosts that bypass it
// (curl's CURLOPT_NOPROXY syntax: comma-separated host names, domain suffixes, IP addresses,
// CIDR ranges, or "*"; empty = none bypasses).
struct ProxyRoute {
    std::string url;
    std::string no_proxy;
    std::string source;  // where it came from, for logs: "HTTPS_PROXY", "the options", ...
};

struct ProxyPlan {
    ProxyRoute http;   // for http:// endpoints
    ProxyRoute https;  // for https:// endpoints
};

// `explicit_proxy`: nullopt = the environment decides; "" = no proxy whatever the environment
// says; otherwise the URL used for every endpoint, with no host bypassing it (an explicit
// proxy is not second-guessed by a NO_PROXY meant for other programs). Fails with
// InvalidArgument, naming the variable but never its value (it may hold a password), when an
// environment value is not printable ASCII of at most 2048 bytes.
Result<ProxyPlan> resolve_proxy(const std::optional<std::string>& explicit_proxy);

// A proxy URL fit for logs and messages: user info replaced by "***".
std::string redact_proxy_url(std::string_view url);

}  // namespace dcs::core
