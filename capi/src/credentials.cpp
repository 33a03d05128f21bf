// The credentials chain in the C ABI: a provider callback and the profile and metadata
// steps. The callback is wrapped into the core's CredentialsProvider; nothing it does can
// throw through here, and nothing the core throws reaches it.
#include "credentials.hpp"

#include <string>
#include <utility>

#include "guard.hpp"
#include "handles.hpp"

using dcs::capi::fail;
using dcs::capi::guarded;
using dcs::capi::kOk;
using dcs::capi::null_argument;

// What one call of a dcs_credentials_fn fills in.
struct dcs_credentials {
    dcs::core::TimedCredentials timed;
    bool set = false;
    std::string failure;
};

namespace {

constexpr int64_t kMaxExpirySeconds = INT64_MAX / 1000;

dcs::core::CredentialsProvider wrap(dcs_credentials_fn fn, void* user_data) {
    return [fn, user_data]() -> dcs::core::Result<dcs::core::TimedCredentials> {
        dcs_credentials creds;
        int rc = fn(user_data, &creds);
        if (rc != 0) {
            return dcs::core::make_error(
                dcs::core::Status::Auth,
                creds.failure.empty() ? "it returned " + std::to_string(rc) : creds.failure);
        }
        if (!creds.set) {
            return dcs::core::make_error(dcs::core::Status::Auth,
                                         "it returned no credentials (dcs_credentials_set was "
                                         "not called)");
        }
        return std::move(creds.timed);
    };
}

}  // namespace

extern "C" {

DCS_API dcs_status dcs_credentials_set(dcs_credentials* creds, const char* access_key,
                                       const char* secret_key, const char* security_token,
                                       int64_t expires_at, dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (creds == nullptr) {
            return null_argument(out_err, "creds");
        }
        if (access_key == nullptr || secret_key == nullptr) {
            return null_argument(out_err, access_key == nullptr ? "access_key" : "secret_key");
        }
        if (expires_at < 0 || expires_at > kMaxExpirySeconds) {
            return fail(out_err, dcs::core::Status::InvalidArgument,
                        "expires_at must be Unix seconds, or 0 for never");
        }
        dcs::core::TimedCredentials timed;
        timed.keys.access_key = access_key;
        timed.keys.secret_key = secret_key;
        timed.keys.security_token = security_token != nullptr ? security_token : "";
        timed.expires_at_ms = expires_at * 1000;
        // The keys are judged by the client when it takes them (credentials.cpp), so a
        // provider's mistake is reported on the call, with the provider named.
        creds->timed = std::move(timed);
        creds->set = true;
        return kOk;
    });
}

DCS_API void dcs_credentials_set_failure(dcs_credentials* creds, const char* message) {
    if (creds == nullptr) {
        return;
    }
    try {
        creds->failure = message != nullptr ? message : "";
    } catch (...) {  // NOLINT(bugprone-empty-catch): out of memory leaves the generic message
    }
}

DCS_API dcs_status dcs_client_options_set_credentials_provider(dcs_client_options* opts,
                                                               dcs_credentials_fn fn,
                                                               void* user_data,
                                                               dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (opts == nullptr) {
            return null_argument(out_err, "options");
        }
        auto& chain = opts->config.credentials_chain;
        chain.provider = fn != nullptr ? wrap(fn, user_data) : nullptr;
        chain.provider_name.clear();
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_use_credentials_profile(dcs_client_options* opts, int enable,
                                                              const char* path, const char* name,
                                                              dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (opts == nullptr) {
            return null_argument(out_err, "options");
        }
        auto& chain = opts->config.credentials_chain;
        chain.use_profile = enable != 0;
        chain.profile_file = path != nullptr ? path : "";
        chain.profile_name = name != nullptr ? name : "";
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_use_credentials_metadata(dcs_client_options* opts, int enable,
                                                               const char* endpoint,
                                                               dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (opts == nullptr) {
            return null_argument(out_err, "options");
        }
        std::string url = endpoint != nullptr ? endpoint : "";
        if (!url.empty()) {
            auto parsed = dcs::core::parse_endpoint(url);
            if (!parsed) {
                dcs::core::Error error = std::move(parsed).error();
                error.message = "metadata " + error.message;
                return fail(out_err, std::move(error));
            }
        }
        auto& chain = opts->config.credentials_chain;
        chain.use_metadata = enable != 0;
        chain.metadata_endpoint = url;
        return kOk;
    });
}

}  // extern "C"
