// Proxy resolution (proxy.hpp).
#include "proxy.hpp"

#include <cstdlib>

#include "validate.hpp"

namespace dcs::core {
namespace {

// The longest proxy URL or NO_PROXY list accepted, as for an explicit proxy.
constexpr size_t kMaxProxyText = 2048;

struct EnvValue {
    std::string value;
    const char* name = nullptr;
};

// The first of `names` that is set and not empty. Lower case comes first, as in curl and
// Python's urllib: the lower-case form is the traditional one, and the one a user who sets
// both most likely edited last.
EnvValue first_set(std::initializer_list<const char*> names) {
    for (const char* name : names) {
        const char* value = std::getenv(name);
        if (value != nullptr && value[0] != '\0') {
            return {value, name};
        }
    }
    return {};
}

Result<ProxyRoute> route_from_env(bool https) {
    // HTTP_PROXY in upper case is also a CGI request header ("Proxy: ..." becomes
    // HTTP_PROXY, "httpoxy"): under CGI (REQUEST_METHOD set) it is the client's to choose,
    // so it is not read, as Go's net/http does. https_proxy has no such twin.
    bool cgi = std::getenv("REQUEST_METHOD") != nullptr;
    EnvValue proxy = https ? first_set({"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
                     : cgi ? first_set({"http_proxy", "all_proxy", "ALL_PROXY"})
                           : first_set({"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"});
    EnvValue bypass = first_set({"no_proxy", "NO_PROXY"});
    for (const EnvValue* v : {&proxy, &bypass}) {
        if (v->name != nullptr && validate_header_text(v->name, v->value, kMaxProxyText)) {
            return make_error(Status::InvalidArgument,
                              std::string("the environment variable ") + v->name +
                                  " must be printable ASCII of at most 2048 bytes");
        }
    }
    ProxyRoute route;
    if (proxy.name != nullptr) {
        route.url = proxy.value;
        route.no_proxy = bypass.value;
        route.source = proxy.name;
    }
    return route;
}

}  // namespace

Result<ProxyPlan> resolve_proxy(const std::optional<std::string>& explicit_proxy) {
    ProxyPlan plan;
    if (explicit_proxy) {
        if (auto err = validate_header_text("proxy", *explicit_proxy, kMaxProxyText)) {
            return *err;
        }
        const char* source = explicit_proxy->empty() ? "the options (no proxy)" : "the options";
        plan.http = {*explicit_proxy, "", source};
        plan.https = plan.http;
        return plan;
    }
    auto http = route_from_env(false);
    if (!http) {
        return http.error();
    }
    auto https = route_from_env(true);
    if (!https) {
        return https.error();
    }
    plan.http = std::move(http.value());
    plan.https = std::move(https.value());
    return plan;
}

std::string redact_proxy_url(std::string_view url) {
    // The user info ends at the last '@' before the first '/' after the scheme.
    size_t start = url.find("://");
    start = start == std::string_view::npos ? 0 : start + 3;
    size_t end = url.find('/', start);
    std::string_view authority =
        url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    size_t at = authority.rfind('@');
    if (at == std::string_view::npos) {
        return std::string(url);
    }
    return std::string(url.substr(0, start)) + "***@" + std::string(url.substr(start + at + 1));
}

}  // namespace dcs::core
