// Option objects and cancel tokens: typed setters, never varargs (cgo cannot call those).
#include "guard.hpp"
#include "validate.hpp"

using dcs::capi::fail;
using dcs::capi::guarded;
using dcs::capi::kOk;
using dcs::capi::null_argument;

namespace {

using dcs::core::kMaxTimeoutMs;

// dcs.h states the core's limits; the compiler holds both sides to the same numbers.
static_assert(kMaxTimeoutMs == DCS_MAX_TIMEOUT_MS);
static_assert(dcs::core::kMaxReconcileWindowMs == DCS_MAX_RECONCILE_WINDOW_MS);

template <class T>
dcs_status create(T** out, dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (out == nullptr) {
            return null_argument(out_err, "out");
        }
        *out = new T();
        return kOk;
    });
}

// Runs a setter on a non-NULL options object.
template <class T, class Body>
dcs_status set(T* opts, dcs_error** out_err, Body&& body) {
    return guarded(out_err, [&] {
        if (opts == nullptr) {
            return null_argument(out_err, "options");
        }
        return body(*opts);
    });
}

// Hands a core validator's verdict to the caller: every limit lives in the core
// (validate.hpp), so the C ABI, dcsctl and the bindings cannot disagree.
dcs_status check(std::optional<dcs::core::Error> problem, dcs_error** out_err) {
    return problem ? fail(out_err, std::move(*problem)) : kOk;
}

dcs_status check_timeout(const char* name, int64_t ms, bool zero_allowed, dcs_error** out_err) {
    return check(dcs::core::validate_duration_ms(name, ms, zero_allowed, kMaxTimeoutMs), out_err);
}

}  // namespace

extern "C" {

/* Cancel tokens ------------------------------------------------------------------------ */

DCS_API dcs_status dcs_cancel_token_new(dcs_cancel_token** out, dcs_error** out_err) {
    return create(out, out_err);
}

DCS_API void dcs_cancel_token_cancel(dcs_cancel_token* token) {
    if (token != nullptr) {
        token->state->cancel();
    }
}

DCS_API int dcs_cancel_token_is_cancelled(const dcs_cancel_token* token) {
    return token != nullptr && token->state->cancelled() ? 1 : 0;
}

DCS_API void dcs_cancel_token_free(dcs_cancel_token* token) { delete token; }

DCS_API dcs_status dcs_cancel_token_watch_fd(dcs_cancel_token* token, int fd, int signo,
                                             dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (token == nullptr) {
            return null_argument(out_err, "token");
        }
        return check(token->state->watch_fd(fd, signo), out_err);
    });
}

/* Client options ----------------------------------------------------------------------- */

DCS_API dcs_status dcs_client_options_new(dcs_client_options** out, dcs_error** out_err) {
    return create(out, out_err);
}

DCS_API void dcs_client_options_free(dcs_client_options* opts) { delete opts; }

DCS_API dcs_status dcs_client_options_load_env(dcs_client_options* opts, dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        dcs::core::load_env(o.config);
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_is_set(const dcs_client_options* opts, int option,
                                             int* out_set, dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (opts == nullptr) {
            return null_argument(out_err, "options");
        }
        if (out_set == nullptr) {
            return null_argument(out_err, "out_set");
        }
        const dcs::core::ClientConfig& config = opts->config;
        const std::string* value = nullptr;
        switch (option) {
            case DCS_CLIENT_OPTION_REGION:
                value = &config.region;
                break;
            case DCS_CLIENT_OPTION_ENDPOINT:
                value = &config.endpoint;
                break;
            case DCS_CLIENT_OPTION_PROJECT_ID:
                value = &config.project_id;
                break;
            case DCS_CLIENT_OPTION_ACCESS_KEY:
                value = &config.credentials.access_key;
                break;
            case DCS_CLIENT_OPTION_SECRET_KEY:
                value = &config.credentials.secret_key;
                break;
            case DCS_CLIENT_OPTION_SECURITY_TOKEN:
                value = &config.credentials.security_token;
                break;
            default:
                return fail(
                    out_err, dcs::core::Status::InvalidArgument,
                    "option " + std::to_string(option) + " is not one of DCS_CLIENT_OPTION_*");
        }
        *out_set = value->empty() ? 0 : 1;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_region(dcs_client_options* opts, const char* region,
                                                 dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (region == nullptr) {
            return null_argument(out_err, "region");
        }
        if (dcs_status s = check(dcs::core::validate_header_text("region", region, 32), out_err)) {
            return s;
        }
        o.config.region = region;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_endpoint(dcs_client_options* opts, const char* url,
                                                   dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (url == nullptr) {
            return null_argument(out_err, "url");
        }
        auto endpoint = dcs::core::parse_endpoint(url);
        if (!endpoint) {
            return fail(out_err, endpoint.error());
        }
        o.config.endpoint = url;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_credentials(dcs_client_options* opts,
                                                      const char* access_key,
                                                      const char* secret_key, dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (access_key == nullptr || secret_key == nullptr) {
            return null_argument(out_err, access_key == nullptr ? "access_key" : "secret_key");
        }
        // Checked in full by dcs_client_new; the message never repeats the key.
        o.config.credentials.access_key = access_key;
        o.config.credentials.secret_key = secret_key;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_access_key(dcs_client_options* opts,
                                                     const char* access_key, dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (access_key == nullptr) {
            return null_argument(out_err, "access_key");
        }
        o.config.credentials.access_key = access_key;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_secret_key(dcs_client_options* opts,
                                                     const char* secret_key, dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (secret_key == nullptr) {
            return null_argument(out_err, "secret_key");
        }
        o.config.credentials.secret_key = secret_key;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_security_token(dcs_client_options* opts,
                                                         const char* token, dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        o.config.credentials.security_token = token != nullptr ? token : "";
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_project_id(dcs_client_options* opts,
                                                     const char* project_id, dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (project_id == nullptr) {
            return null_argument(out_err, "project_id");
        }
        if (auto err = dcs::core::validate_id("project_id", project_id)) {
            return fail(out_err, *err);
        }
        o.config.project_id = project_id;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_ca_file(dcs_client_options* opts, const char* path,
                                                  dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        o.config.transport.ca_file = path != nullptr ? path : "";
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_insecure(dcs_client_options* opts, int insecure,
                                                   dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        o.config.transport.insecure = insecure != 0;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_proxy(dcs_client_options* opts, const char* proxy_url,
                                                dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        // NULL and "" keep the meaning they always had, no proxy: a caller that said so
        // explicitly still gets a direct connection. Only options that never call this
        // follow the environment (a change of this release, see dcs.h).
        std::string proxy = proxy_url != nullptr ? proxy_url : "";
        if (dcs_status s = check(dcs::core::validate_header_text("proxy", proxy, 2048), out_err)) {
            return s;
        }
        o.config.transport.proxy = proxy;
        return kOk;
    });
}

/* Network settings (issue 18) ---------------------------------------------------------- */

DCS_API dcs_status dcs_client_options_set_ca_dir(dcs_client_options* opts, const char* path,
                                                 dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        std::string dir = path != nullptr ? path : "";
        if (dcs_status s = check(dcs::core::validate_ca_dir(dir), out_err)) {
            return s;
        }
        o.config.transport.ca_dir = dir;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_connect_timeout_ms(dcs_client_options* opts, int64_t ms,
                                                             dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (dcs_status s = check_timeout("connect timeout", ms, false, out_err)) {
            return s;
        }
        o.config.transport.connect_timeout_ms = ms;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_timeout_ms(dcs_client_options* opts, int64_t ms,
                                                     dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (dcs_status s = check_timeout("timeout", ms, false, out_err)) {
            return s;
        }
        o.config.timeout_ms = ms;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_max_attempts(dcs_client_options* opts, int attempts,
                                                       dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (dcs_status s = check(dcs::core::validate_attempts(attempts, false), out_err)) {
            return s;
        }
        o.config.max_attempts = attempts;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_attempt_timeout_ms(dcs_client_options* opts, int64_t ms,
                                                             dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (dcs_status s = check(dcs::core::validate_duration_ms("attempt timeout", ms, true,
                                                                 dcs::core::kMaxTimeoutMs),
                                 out_err)) {
            return s;
        }
        o.config.attempt_timeout_ms = ms;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_reconcile_window_ms(dcs_client_options* opts, int64_t ms,
                                                              dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (dcs_status s = check(dcs::core::validate_duration_ms("reconcile window", ms, true,
                                                                 dcs::core::kMaxReconcileWindowMs),
                                 out_err)) {
            return s;
        }
        o.config.retry.reconcile_window_ms = ms;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_max_response_bytes(dcs_client_options* opts, size_t bytes,
                                                             dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        if (dcs_status s = check(dcs::core::validate_response_cap(bytes), out_err)) {
            return s;
        }
        o.config.transport.max_response_bytes = bytes;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_user_agent_suffix(dcs_client_options* opts,
                                                            const char* suffix,
                                                            dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        std::string text = suffix != nullptr ? suffix : "";
        if (dcs_status s =
                check(dcs::core::validate_header_text("user agent suffix", text, 256), out_err)) {
            return s;
        }
        o.config.user_agent_suffix = text;
        return kOk;
    });
}

DCS_API dcs_status dcs_client_options_set_log_callback(dcs_client_options* opts, dcs_log_fn fn,
                                                       void* user_data, int max_level,
                                                       dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_client_options& o) {
        o.config.log.fn = fn;
        o.config.log.user = user_data;
        o.config.log.max_level = max_level;
        return kOk;
    });
}

/* Call options ------------------------------------------------------------------------- */

DCS_API dcs_status dcs_call_options_new(dcs_call_options** out, dcs_error** out_err) {
    return create(out, out_err);
}

DCS_API void dcs_call_options_free(dcs_call_options* opts) { delete opts; }

DCS_API dcs_status dcs_call_options_set_timeout_ms(dcs_call_options* opts, int64_t ms,
                                                   dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_call_options& o) {
        if (dcs_status s = check_timeout("call timeout", ms, true, out_err)) {
            return s;
        }
        o.options.timeout_ms = ms;
        return kOk;
    });
}

DCS_API dcs_status dcs_call_options_set_cancel_token(dcs_call_options* opts,
                                                     dcs_cancel_token* token, dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_call_options& o) {
        o.options.cancel = token != nullptr ? token->state : nullptr;
        return kOk;
    });
}

DCS_API dcs_status dcs_call_options_set_max_attempts(dcs_call_options* opts, int attempts,
                                                     dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_call_options& o) {
        if (dcs_status s = check(dcs::core::validate_attempts(attempts, true), out_err)) {
            return s;
        }
        o.options.max_attempts = attempts;
        return kOk;
    });
}

DCS_API dcs_status dcs_call_options_set_attempt_timeout_ms(dcs_call_options* opts, int64_t ms,
                                                           dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_call_options& o) {
        if (dcs_status s = check(dcs::core::validate_duration_ms("attempt timeout", ms, true,
                                                                 dcs::core::kMaxTimeoutMs),
                                 out_err)) {
            return s;
        }
        o.options.attempt_timeout_ms = ms;
        return kOk;
    });
}

DCS_API dcs_status dcs_call_options_set_reconcile_window_ms(dcs_call_options* opts, int64_t ms,
                                                            dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_call_options& o) {
        if (dcs_status s = check(dcs::core::validate_duration_ms("reconcile window", ms, true,
                                                                 dcs::core::kMaxReconcileWindowMs),
                                 out_err)) {
            return s;
        }
        o.options.reconcile_window_ms = ms;
        return kOk;
    });
}

DCS_API dcs_status dcs_call_options_set_wait_while_busy(dcs_call_options* opts, int enabled,
                                                        dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_call_options& o) {
        o.options.wait_while_busy = enabled != 0;
        return kOk;
    });
}

DCS_API dcs_status dcs_call_options_set_preflight(dcs_call_options* opts, int enabled,
                                                  dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_call_options& o) {
        o.options.preflight = enabled != 0;
        return kOk;
    });
}

/* List options ------------------------------------------------------------------------- */

DCS_API dcs_status dcs_list_options_new(dcs_list_options** out, dcs_error** out_err) {
    return create(out, out_err);
}

DCS_API void dcs_list_options_free(dcs_list_options* opts) { delete opts; }

namespace {
dcs_status set_time(std::string& field, const char* name, const char* value, dcs_error** out_err) {
    if (value == nullptr) {
        field.clear();
        return kOk;
    }
    if (auto err = dcs::core::validate_time_filter(name, value)) {
        return fail(out_err, *err);
    }
    field = value;
    return kOk;
}
}  // namespace

DCS_API dcs_status dcs_list_options_set_begin_time(dcs_list_options* opts, const char* begin_time,
                                                   dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_list_options& o) {
        return set_time(o.filter.begin_time, "begin_time", begin_time, out_err);
    });
}

DCS_API dcs_status dcs_list_options_set_end_time(dcs_list_options* opts, const char* end_time,
                                                 dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_list_options& o) {
        return set_time(o.filter.end_time, "end_time", end_time, out_err);
    });
}

/* Wait options ------------------------------------------------------------------------- */

DCS_API dcs_status dcs_wait_options_new(dcs_wait_options** out, dcs_error** out_err) {
    return create(out, out_err);
}

DCS_API void dcs_wait_options_free(dcs_wait_options* opts) { delete opts; }

DCS_API dcs_status dcs_wait_options_set_poll_interval_ms(dcs_wait_options* opts, int64_t ms,
                                                         dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_wait_options& o) {
        if (dcs_status s = check_timeout("poll interval", ms, false, out_err)) {
            return s;
        }
        o.options.poll_interval_ms = ms;
        o.options.max_poll_interval_ms = std::max(o.options.max_poll_interval_ms, ms);
        return kOk;
    });
}

DCS_API dcs_status dcs_wait_options_set_max_poll_interval_ms(dcs_wait_options* opts, int64_t ms,
                                                             dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_wait_options& o) {
        if (dcs_status s = check_timeout("max poll interval", ms, false, out_err)) {
            return s;
        }
        o.options.max_poll_interval_ms = ms;
        o.options.poll_interval_ms = std::min(o.options.poll_interval_ms, ms);
        return kOk;
    });
}

DCS_API dcs_status dcs_wait_options_set_wait_for_instance(dcs_wait_options* opts, int enabled,
                                                          dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_wait_options& o) {
        o.options.wait_for_instance = enabled != 0;
        return kOk;
    });
}

DCS_API dcs_status dcs_wait_options_set_progress_callback(dcs_wait_options* opts,
                                                          dcs_restore_progress_fn fn,
                                                          void* user_data, dcs_error** out_err) {
    return set(opts, out_err, [&](dcs_wait_options& o) {
        o.progress = fn;
        o.progress_user_data = user_data;
        return kOk;
    });
}

}  // extern "C"
