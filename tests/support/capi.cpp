#include "capi.hpp"

#include <stdexcept>

namespace dcs::test {
namespace {

// Throws with the library's own message when a set-up call fails.
void require_ok(dcs_status status, dcs_error* err, const char* what) {
    if (status != DCS_OK) {
        Failure f = take_error(err);
        throw std::runtime_error(std::string(what) + " failed: " + dcs_status_str(status) + ": " +
                                 f.message);
    }
}

}  // namespace

Failure take_error(dcs_error* err) {
    ErrorPtr owned(err);
    Failure f;
    if (err == nullptr) {
        return f;
    }
    f.status = dcs_error_status(err);
    f.message = dcs_error_message(err);
    f.http_status = dcs_error_http_status(err);
    f.service_code = dcs_error_service_code(err);
    f.service_message = dcs_error_service_message(err);
    f.service_ext_message = dcs_error_service_ext_message(err);
    f.request_id = dcs_error_request_id(err);
    f.request_sent = dcs_error_request_sent(err);
    return f;
}

ClientPtr make_client(const ClientSettings& s) {
    dcs_error* err = nullptr;
    dcs_client_options* raw = nullptr;
    require_ok(dcs_client_options_new(&raw, &err), err, "dcs_client_options_new");
    ClientOptionsPtr opts(raw);
    require_ok(dcs_client_options_set_endpoint(opts.get(), s.endpoint.c_str(), &err), err,
               "set_endpoint");
    require_ok(dcs_client_options_set_credentials(opts.get(), s.access_key.c_str(),
                                                  s.secret_key.c_str(), &err),
               err, "set_credentials");
    require_ok(dcs_client_options_set_project_id(opts.get(), s.project_id.c_str(), &err), err,
               "set_project_id");
    if (!s.security_token.empty()) {
        require_ok(
            dcs_client_options_set_security_token(opts.get(), s.security_token.c_str(), &err), err,
            "set_security_token");
    }
    if (s.max_attempts > 0) {
        require_ok(dcs_client_options_set_max_attempts(opts.get(), s.max_attempts, &err), err,
                   "set_max_attempts");
    }
    if (s.timeout_ms > 0) {
        require_ok(dcs_client_options_set_timeout_ms(opts.get(), s.timeout_ms, &err), err,
                   "set_timeout_ms");
    }
    if (s.connect_timeout_ms > 0) {
        require_ok(
            dcs_client_options_set_connect_timeout_ms(opts.get(), s.connect_timeout_ms, &err), err,
            "set_connect_timeout_ms");
    }
    if (s.max_response_bytes > 0) {
        require_ok(
            dcs_client_options_set_max_response_bytes(opts.get(), s.max_response_bytes, &err), err,
            "set_max_response_bytes");
    }
    if (s.attempt_timeout_ms > 0) {
        require_ok(
            dcs_client_options_set_attempt_timeout_ms(opts.get(), s.attempt_timeout_ms, &err), err,
            "set_attempt_timeout_ms");
    }
    if (s.reconcile_window_ms >= 0) {
        require_ok(
            dcs_client_options_set_reconcile_window_ms(opts.get(), s.reconcile_window_ms, &err),
            err, "set_reconcile_window_ms");
    }
    if (s.log_fn != nullptr) {
        require_ok(dcs_client_options_set_log_callback(opts.get(), s.log_fn, s.log_user_data,
                                                       s.log_level, &err),
                   err, "set_log_callback");
    }
    dcs_client* client = nullptr;
    require_ok(dcs_client_new(opts.get(), &client, &err), err, "dcs_client_new");
    return ClientPtr(client);
}

CallOptionsPtr make_call_options(const CallSettings& s) {
    dcs_error* err = nullptr;
    dcs_call_options* raw = nullptr;
    require_ok(dcs_call_options_new(&raw, &err), err, "dcs_call_options_new");
    CallOptionsPtr opts(raw);
    if (s.timeout_ms > 0) {
        require_ok(dcs_call_options_set_timeout_ms(opts.get(), s.timeout_ms, &err), err,
                   "call set_timeout_ms");
    }
    if (s.cancel != nullptr) {
        require_ok(dcs_call_options_set_cancel_token(opts.get(), s.cancel, &err), err,
                   "call set_cancel_token");
    }
    if (s.max_attempts > 0) {
        require_ok(dcs_call_options_set_max_attempts(opts.get(), s.max_attempts, &err), err,
                   "call set_max_attempts");
    }
    if (s.preflight) {
        require_ok(dcs_call_options_set_preflight(opts.get(), 1, &err), err, "call set_preflight");
    }
    if (s.attempt_timeout_ms > 0) {
        require_ok(dcs_call_options_set_attempt_timeout_ms(opts.get(), s.attempt_timeout_ms, &err),
                   err, "call set_attempt_timeout_ms");
    }
    if (s.reconcile_window_ms > 0) {
        require_ok(
            dcs_call_options_set_reconcile_window_ms(opts.get(), s.reconcile_window_ms, &err), err,
            "call set_reconcile_window_ms");
    }
    if (s.wait_while_busy) {
        require_ok(dcs_call_options_set_wait_while_busy(opts.get(), 1, &err), err,
                   "call set_wait_while_busy");
    }
    return opts;
}

CancelTokenPtr make_cancel_token() {
    dcs_error* err = nullptr;
    dcs_cancel_token* token = nullptr;
    require_ok(dcs_cancel_token_new(&token, &err), err, "dcs_cancel_token_new");
    return CancelTokenPtr(token);
}

}  // namespace dcs::test
