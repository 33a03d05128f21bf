// Where a client's credentials come from and when they are fetched again: the chain of the
// official SDKs (explicit keys or the environment, then the shared profile file, then the ECS
// metadata service) plus a caller's own provider, and a source that hands each request the
// signer of credentials that are still valid, refreshing them before they expire so that a
// wait of half an hour with temporary credentials does not fail half-way.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "signer.hpp"

namespace dcs::core {

// Keys and when they stop working (Unix epoch ms; 0 = never).
struct TimedCredentials {
    Credentials keys;
    int64_t expires_at_ms = 0;
};

// A caller's provider: called when the client needs credentials and again before the last
// ones expire. An Error it returns ends the call that needed them, nothing sent.
using CredentialsProvider = std::function<Result<TimedCredentials>()>;

// The profile file of the official SDKs (huaweicloud-sdk-go-v3 core/auth/provider): the file
// HUAWEICLOUD_SDK_CREDENTIALS_FILE names, else ~/.huaweicloud/credentials; an INI file whose
// section is the credential type ("basic" for project-scoped AK/SK) with keys ak, sk,
// security_token and project_id.
inline constexpr const char* kEnvCredentialsFile = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
inline constexpr const char* kDefaultProfileName = "basic";
// The ECS metadata service; tests point the client at the emulator instead.
inline constexpr const char* kDefaultMetadataEndpoint = "http://169.254.169.254";

// What a client may fall back to when it has no keys of its own. Each step is off unless the
// caller turns it on, so a program that sets nothing keeps failing fast with "credentials are
// missing" instead of reading files or reaching for 169.254.169.254.
struct CredentialsChain {
    CredentialsProvider provider;  // wins over every other source, keys included
    std::string provider_name;     // names it in errors; empty = "the credentials provider"
    bool use_profile = false;
    std::string profile_file;  // empty = kEnvCredentialsFile, else ~/.huaweicloud/credentials
    std::string profile_name;  // the INI section; empty = "basic"
    bool use_metadata = false;
    std::string metadata_endpoint;  // scheme://host[:port]; empty = kDefaultMetadataEndpoint
};

// The rules a key pair (and token) must meet before it goes into headers.
std::optional<Error> validate_credentials(const Credentials& keys);

struct ProfileEntry {
    Credentials keys;
    std::string project_id;
};

// The profile file's path as the official SDKs find it; "" when there is no home directory.
std::string default_profile_file();

// Reads one section of a profile file. nullopt when the file does not exist and `required`
// is false; an error when it is required and missing, unreadable, or the section has no
// complete key pair.
Result<std::optional<ProfileEntry>> read_profile(const std::string& path,
                                                 const std::string& section, bool required);

// The body of GET /openstack/latest/securitykey:
// {"credential":{"access","secret","securitytoken","expires_at"}}.
Result<TimedCredentials> parse_metadata_credentials(std::string_view body);

// Fetches temporary credentials from an ECS metadata endpoint (a session token first, as the
// SDKs do, going on without one where the service has none).
CredentialsProvider metadata_provider(std::string endpoint);

struct ClientConfig;

// Settles where a configuration's credentials come from: its provider, else the keys it
// holds (set explicitly or by load_env), else the profile file (its keys copied into
// `config.credentials`, its project_id filling an unset project), else the metadata service
// (which becomes the chain's provider). Afterwards a provider, if any, is the source;
// otherwise the keys in `config.credentials` are all there is.
std::optional<Error> resolve_credentials(ClientConfig& config);

// How long before their expiry credentials are fetched again: a quarter of their lifetime,
// at most 5 minutes (the official Go SDK refreshes 60 s ahead; a longer margin leaves room
// for a slow metadata service, and the quarter keeps short test lifetimes workable).
int64_t refresh_margin_ms(int64_t fetched_at_ms, int64_t expires_at_ms);

// What one generation of credentials signs with: the signer and the request templates a
// client prepares for it (one per endpoint).
struct SigningKit {
    std::unique_ptr<Signer> signer;
    std::vector<RequestTemplate> templates;
    int64_t fetched_at_ms = 0;
    int64_t expires_at_ms = 0;  // 0 = never
};

// A client's credentials. Fixed keys are prepared once and never looked at again; a provider
// is asked when there are no credentials yet or the current ones are within their refresh
// margin, by one caller at a time: concurrent calls wait for that one fetch, or keep using
// credentials that have not expired yet.
class CredentialsSource {
   public:
    using Prepare = std::function<std::vector<RequestTemplate>(const Signer&)>;

    CredentialsSource(const Credentials& fixed, const Clock& clock, const Prepare& prepare);
    CredentialsSource(CredentialsProvider provider, std::string what, Clock clock, Prepare prepare);

    // The kit to sign the next request with; an Auth error (nothing sent) when the provider
    // fails or gives unusable credentials.
    Result<std::shared_ptr<const SigningKit>> current();

    // The service said the current credentials had expired: the next current() fetches new
    // ones. False when there is nothing to refresh (fixed keys), so the caller gives up.
    bool expired();

    [[nodiscard]] bool refreshable() const { return static_cast<bool>(provider_); }

   private:
    Result<std::shared_ptr<const SigningKit>> fetch();
    [[nodiscard]] bool fresh(const SigningKit& kit, int64_t now_ms) const;
    [[nodiscard]] std::shared_ptr<const SigningKit> snapshot() const;

    CredentialsProvider provider_;
    std::string what_;  // names the source in errors: "the credentials provider", ...
    Clock clock_;
    Prepare prepare_;
    // Guards kit_ for a provider's credentials; fixed keys' kit is written only by the
    // constructor.
    mutable std::mutex kit_mu_;
    std::shared_ptr<const SigningKit> kit_;
    std::mutex fetch_mu_;  // one fetch at a time
};

}  // namespace dcs::core
