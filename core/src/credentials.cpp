// The credentials chain's sources (profile file, ECS metadata) and the refreshing source a
// client signs with. See credentials.hpp for the rules.
#include "credentials.hpp"

#include <curl/curl.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <utility>

#include "config.hpp"
#include "json_codec.hpp"
#include "text.hpp"
#include "transport.hpp"

namespace dcs::core {
namespace {

// The ECS metadata paths the official SDKs call (huaweicloud-sdk-go-v3 core/auth/internal).
constexpr const char* kMetadataTokenPath = "/meta-data/latest/api/token";
constexpr const char* kMetadataSecurityKeyPath = "/openstack/latest/securitykey";
// The SDKs give the metadata service 3 s per request; it is on the host's own link.
constexpr int64_t kMetadataTimeoutMs = 3000;
// A security-key answer is a few hundred bytes; anything far larger is not one.
constexpr size_t kMetadataMaxBytes = size_t{64} * 1024;
constexpr int64_t kMaxRefreshMarginMs = 5LL * 60 * 1000;

Error auth_error(std::string message) { return make_error(Status::Auth, std::move(message)); }

struct Reply {
    long status = 0;
    std::string body;
};

size_t collect(char* data, size_t size, size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    size_t bytes = size * count;
    if (body->size() + bytes > kMetadataMaxBytes) {
        return 0;  // ends the transfer with a write error
    }
    body->append(data, bytes);
    return bytes;
}

// One small exchange with the metadata service. Not the client's Transport: the metadata
// service is link-local, so no proxy may carry the request (a proxy would answer for its
// own host, or leak the request), and it needs neither pooling nor cancellation.
Result<Reply> metadata_exchange(const std::string& method, const std::string& url,
                                const std::vector<std::string>& headers) {
    ensure_curl_global_init();
    std::unique_ptr<CURL, void (*)(CURL*)> easy(curl_easy_init(), curl_easy_cleanup);
    if (!easy) {
        return make_error(Status::NoMem, "cannot start a metadata request");
    }
    curl_slist* list = nullptr;
    for (const std::string& header : headers) {
        list = curl_slist_append(list, header.c_str());
    }
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_list(list, curl_slist_free_all);
    Reply reply;
    CURL* h = easy.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(kMetadataTimeoutMs));
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply.body);
    CURLcode code = curl_easy_perform(h);
    if (code != CURLE_OK) {
        return make_error(Status::Auth, "the metadata service at " + url +
                                            " could not be reached: " + curl_easy_strerror(code));
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
}

std::string env_value(const char* name) {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only use
    return value != nullptr ? std::string(value) : std::string();
}

// A line of the body for an error message: short and printable, never a secret (the
// metadata service's errors carry none; its successful answers never reach a message).
std::string excerpt(std::string_view body) {
    std::string out;
    for (char c : body.substr(0, 200)) {
        out += (c >= 0x20 && c < 0x7f) ? c : ' ';
    }
    return std::string(trim(out));
}

}  // namespace

std::optional<Error> validate_credentials(const Credentials& keys) {
    if (keys.access_key.empty() || keys.secret_key.empty()) {
        return make_error(Status::InvalidArgument,
                          "credentials are missing: set an access key and a secret key");
    }
    auto printable = [](const std::string& s) {
        return std::all_of(s.begin(), s.end(),
                           [](unsigned char c) { return c > 0x20 && c < 0x7f; });
    };
    // These go into headers: a CR or LF would let a value forge another header.
    if (!printable(keys.access_key) || keys.access_key.size() > 128) {
        return make_error(Status::InvalidArgument,
                          "access key must be 1-128 printable ASCII characters");
    }
    if (!printable(keys.secret_key) || keys.secret_key.size() > 256) {
        return make_error(Status::InvalidArgument,
                          "secret key must be 1-256 printable ASCII characters");
    }
    if (!keys.security_token.empty() &&
        (!printable(keys.security_token) || keys.security_token.size() > 16384)) {
        return make_error(Status::InvalidArgument,
                          "security token must be printable ASCII of at most 16384 characters");
    }
    return std::nullopt;
}

std::string default_profile_file() {
    std::string named = env_value(kEnvCredentialsFile);
    if (!named.empty()) {
        return named;
    }
    std::string home = env_value("HOME");
    if (home.empty()) {
        return "";
    }
    return home + "/.huaweicloud/credentials";
}

Result<std::optional<ProfileEntry>> read_profile(const std::string& path,
                                                 const std::string& section, bool required) {
    std::ifstream in(path);
    if (!in) {
        if (!required) {
            return std::optional<ProfileEntry>();
        }
        return make_error(Status::InvalidArgument,
                          "the credentials profile file " + path + " cannot be read");
    }
    ProfileEntry entry;
    bool in_section = false;
    bool found = false;
    std::string line;
    while (std::getline(in, line)) {
        std::string_view text = trim(line);
        if (text.empty() || text.front() == '#' || text.front() == ';') {
            continue;
        }
        if (text.front() == '[') {
            size_t close = text.find(']');
            std::string_view name =
                trim(text.substr(1, close == std::string_view::npos ? text.size() - 1 : close - 1));
            in_section = name == section;
            found = found || in_section;
            continue;
        }
        size_t eq = text.find('=');
        if (!in_section || eq == std::string_view::npos) {
            continue;
        }
        std::string_view key = trim(text.substr(0, eq));
        std::string value(trim(text.substr(eq + 1)));
        if (key == "ak") {
            entry.keys.access_key = value;
        } else if (key == "sk") {
            entry.keys.secret_key = value;
        } else if (key == "security_token") {
            entry.keys.security_token = value;
        } else if (key == "project_id") {
            entry.project_id = value;
        }
    }
    if (!found) {
        return make_error(Status::InvalidArgument, "the credentials profile file " + path +
                                                       " has no [" + section + "] section");
    }
    if (entry.keys.access_key.empty() || entry.keys.secret_key.empty()) {
        return make_error(Status::InvalidArgument,
                          "the [" + section + "] section of " + path + " needs both ak and sk");
    }
    return std::optional<ProfileEntry>(std::move(entry));
}

Result<TimedCredentials> parse_metadata_credentials(std::string_view body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    auto bad = [](const char* why) {
        return auth_error(std::string("the metadata service's credentials are unusable: ") + why);
    };
    if (doc.HasParseError() || !doc.IsObject()) {
        return bad("the answer is not a JSON object");
    }
    auto credential = doc.FindMember("credential");
    if (credential == doc.MemberEnd() || !credential->value.IsObject()) {
        return bad("no \"credential\" object");
    }
    const auto& object = credential->value;
    auto text = [&](const char* name) {
        auto it = object.FindMember(name);
        return it != object.MemberEnd() && it->value.IsString()
                   ? std::string(it->value.GetString(), it->value.GetStringLength())
                   : std::string();
    };
    TimedCredentials out;
    out.keys.access_key = text("access");
    out.keys.secret_key = text("secret");
    out.keys.security_token = text("securitytoken");
    std::string expires_at = text("expires_at");
    if (out.keys.access_key.empty() || out.keys.secret_key.empty() ||
        out.keys.security_token.empty()) {
        return bad("access, secret and securitytoken are required");
    }
    out.expires_at_ms = parse_timestamp_ms(expires_at);
    if (out.expires_at_ms <= 0) {
        return bad("expires_at is not a time");
    }
    return out;
}

CredentialsProvider metadata_provider(std::string endpoint) {
    return [endpoint = std::move(endpoint)]() -> Result<TimedCredentials> {
        // The session token is optional: a service without the path (404/405) is asked
        // without one, as the official SDKs do.
        std::vector<std::string> headers;
        auto token = metadata_exchange("PUT", endpoint + kMetadataTokenPath,
                                       {"X-Metadata-Token-Ttl-Seconds: 21600"});
        if (!token) {
            return std::move(token).error();
        }
        if (token.value().status == 200 && !token.value().body.empty()) {
            headers.push_back("X-Metadata-Token: " + std::string(trim(token.value().body)));
        }
        auto reply = metadata_exchange("GET", endpoint + kMetadataSecurityKeyPath, headers);
        if (!reply) {
            return std::move(reply).error();
        }
        if (reply.value().status != 200) {
            return auth_error("the metadata service refused temporary credentials (HTTP " +
                              std::to_string(reply.value().status) +
                              "): " + excerpt(reply.value().body));
        }
        return parse_metadata_credentials(reply.value().body);
    };
}

std::optional<Error> resolve_credentials(ClientConfig& config) {
    CredentialsChain& chain = config.credentials_chain;
    if (chain.provider) {
        if (chain.provider_name.empty()) {
            chain.provider_name = "the credentials provider";
        }
        return std::nullopt;
    }
    Credentials& keys = config.credentials;
    if (!keys.access_key.empty() || !keys.secret_key.empty()) {
        return std::nullopt;  // validate_config judges them, half a pair included
    }
    if (chain.use_profile) {
        bool named = !chain.profile_file.empty();
        std::string path = named ? chain.profile_file : default_profile_file();
        std::string section =
            chain.profile_name.empty() ? std::string(kDefaultProfileName) : chain.profile_name;
        // The default file is optional, as in the SDKs' chain; a file the caller named (or a
        // profile other than the default) must be there.
        bool required = named || !chain.profile_name.empty();
        auto entry = path.empty() ? Result<std::optional<ProfileEntry>>(std::nullopt)
                                  : read_profile(path, section, required);
        if (!entry) {
            return std::move(entry).error();
        }
        if (entry.value()) {
            keys = entry.value()->keys;
            if (config.project_id.empty()) {
                config.project_id = entry.value()->project_id;
            }
            return std::nullopt;
        }
    }
    if (chain.use_metadata) {
        std::string endpoint = chain.metadata_endpoint.empty()
                                   ? std::string(kDefaultMetadataEndpoint)
                                   : chain.metadata_endpoint;
        auto parsed = parse_endpoint(endpoint);
        if (!parsed) {
            return make_error(Status::InvalidArgument, "metadata " + parsed.error().message);
        }
        chain.provider = metadata_provider(parsed.value().base_url);
        chain.provider_name = "the metadata service at " + parsed.value().base_url;
    }
    return std::nullopt;
}

int64_t refresh_margin_ms(int64_t fetched_at_ms, int64_t expires_at_ms) {
    int64_t lifetime = std::max<int64_t>(expires_at_ms - fetched_at_ms, 0);
    return std::min(lifetime / 4, kMaxRefreshMarginMs);
}

CredentialsSource::CredentialsSource(const Credentials& fixed, const Clock& clock,
                                     const Prepare& prepare)
    : clock_(clock), prepare_(prepare) {
    auto kit = std::make_shared<SigningKit>();
    kit->signer = std::make_unique<Signer>(fixed, clock_);
    kit->templates = prepare_(*kit->signer);
    kit_ = std::move(kit);
}

CredentialsSource::CredentialsSource(CredentialsProvider provider, std::string what, Clock clock,
                                     Prepare prepare)
    : provider_(std::move(provider)),
      what_(std::move(what)),
      clock_(std::move(clock)),
      prepare_(std::move(prepare)) {}

std::shared_ptr<const SigningKit> CredentialsSource::snapshot() const {
    std::lock_guard<std::mutex> lock(kit_mu_);
    return kit_;
}

bool CredentialsSource::fresh(const SigningKit& kit, int64_t now_ms) const {
    return kit.expires_at_ms == 0 ||
           now_ms < kit.expires_at_ms - refresh_margin_ms(kit.fetched_at_ms, kit.expires_at_ms);
}

Result<std::shared_ptr<const SigningKit>> CredentialsSource::current() {
    if (!provider_) {
        // Fixed keys: prepared by the constructor and never written again, so every
        // request's signer is read without a lock.
        return kit_;
    }
    auto kit = snapshot();
    int64_t now = epoch_ms(clock_());
    if (kit && fresh(*kit, now)) {
        return kit;
    }
    // Someone else is fetching: credentials that still work need not wait for it.
    std::unique_lock<std::mutex> fetching(fetch_mu_, std::try_to_lock);
    if (!fetching.owns_lock()) {
        if (kit && now < kit->expires_at_ms) {
            return kit;
        }
        fetching.lock();
    }
    // The fetch that held the lock may have brought fresh credentials already.
    kit = snapshot();
    if (kit && fresh(*kit, epoch_ms(clock_()))) {
        return kit;
    }
    auto fetched = fetch();
    if (!fetched && kit && epoch_ms(clock_()) < kit->expires_at_ms) {
        // A failed refresh is not yet a failed call: the old credentials still work.
        return kit;
    }
    return fetched;
}

Result<std::shared_ptr<const SigningKit>> CredentialsSource::fetch() {
    int64_t fetched_at = epoch_ms(clock_());
    Result<TimedCredentials> got = provider_();
    if (!got) {
        Error error = std::move(got).error();
        error.status = Status::Auth;
        error.sent = Sent::No;
        error.message = what_ + " failed: " + error.message;
        return error;
    }
    TimedCredentials& timed = got.value();
    if (auto invalid = validate_credentials(timed.keys)) {
        return auth_error(what_ + " gave unusable credentials: " + invalid->message);
    }
    if (timed.expires_at_ms != 0 && timed.expires_at_ms <= fetched_at) {
        return auth_error(what_ + " gave credentials that expired at " +
                          utc_compact(timed.expires_at_ms) + " (UTC)");
    }
    auto kit = std::make_shared<SigningKit>();
    kit->signer = std::make_unique<Signer>(timed.keys, clock_);
    kit->templates = prepare_(*kit->signer);
    kit->fetched_at_ms = fetched_at;
    kit->expires_at_ms = timed.expires_at_ms;
    std::shared_ptr<const SigningKit> ready = std::move(kit);
    std::lock_guard<std::mutex> lock(kit_mu_);
    kit_ = ready;
    return ready;
}

bool CredentialsSource::expired() {
    if (!provider_) {
        return false;
    }
    // Whichever kit is current goes: if another call refreshed meanwhile, that costs one
    // extra fetch, never a request signed with what the service refused.
    std::lock_guard<std::mutex> lock(kit_mu_);
    kit_.reset();
    return true;
}

}  // namespace dcs::core
