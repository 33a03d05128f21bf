// Error objects, status names, version queries and global initialisation.
#include <curl/curl.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "guard.hpp"
#include "transport.hpp"

using dcs::capi::guarded;
using dcs::capi::kOk;

namespace {
std::atomic<int> g_init_count{0};

// The core's status and sent values are the C ABI's, so errors convert without a table; the
// compiler holds both sides to that.
using dcs::core::Sent;
using dcs::core::Status;
constexpr bool same(Status s, int value) { return static_cast<int>(s) == value; }
constexpr bool same(Sent s, int value) { return static_cast<int>(s) == value; }
static_assert(same(Status::Ok, DCS_OK) && same(Status::InvalidArgument, DCS_E_INVALID_ARGUMENT) &&
              same(Status::Auth, DCS_E_AUTH) && same(Status::NotFound, DCS_E_NOT_FOUND) &&
              same(Status::Throttled, DCS_E_THROTTLED) && same(Status::Busy, DCS_E_BUSY) &&
              same(Status::Server, DCS_E_SERVER) && same(Status::Transport, DCS_E_TRANSPORT) &&
              same(Status::Timeout, DCS_E_TIMEOUT) && same(Status::Cancelled, DCS_E_CANCELLED) &&
              same(Status::BadResponse, DCS_E_BAD_RESPONSE) &&
              same(Status::Internal, DCS_E_INTERNAL) && same(Status::NoMem, DCS_E_NOMEM) &&
              same(Status::Rejected, DCS_E_REJECTED) &&
              same(Status::Precondition, DCS_E_PRECONDITION) &&
              same(Status::RestoreFailed, DCS_E_RESTORE_FAILED) &&
              same(Status::RestoreFailed, DCS_STATUS_MAX));
static_assert(same(Sent::No, DCS_SENT_NO) && same(Sent::Yes, DCS_SENT_YES) &&
              same(Sent::Maybe, DCS_SENT_MAYBE));
}  // namespace

extern "C" {

DCS_API const char* dcs_status_str(dcs_status status) {
    if (status < 0 || status > DCS_STATUS_MAX) {
        return "unknown status";
    }
    return dcs::core::status_name(static_cast<dcs::core::Status>(status));
}

DCS_API int dcs_version_number(void) { return DCS_VERSION_NUMBER; }

DCS_API const char* dcs_version_string(void) { return DCS_VERSION_STRING; }

DCS_API const char* dcs_transport_version_string(void) {
    // curl_version() may rewrite its static buffer on every call: one copy, made once (without
    // allocating, so nothing can throw), is what concurrent callers read.
    static const char* const kText = [] {
        static char text[1024];
        std::snprintf(text, sizeof text, "%s", curl_version());
        return text;
    }();
    return kText;
}

DCS_API dcs_status dcs_global_init(void) {
    return guarded(nullptr, [] {
        dcs::core::ensure_curl_global_init();
        ++g_init_count;
        return kOk;
    });
}

DCS_API void dcs_global_cleanup(void) {
    // libcurl itself is left initialised until process exit (see ensure_curl_global_init);
    // the count only keeps init/cleanup pairs honest.
    int count = g_init_count.load();
    while (count > 0 && !g_init_count.compare_exchange_weak(count, count - 1)) {
    }
}

DCS_API void dcs_string_free(char* s) { std::free(s); }

DCS_API dcs_status dcs_error_status(const dcs_error* err) {
    return err != nullptr ? static_cast<dcs_status>(err->error.status) : DCS_OK;
}

DCS_API const char* dcs_error_message(const dcs_error* err) {
    return err != nullptr ? err->error.message.c_str() : "";
}

DCS_API int dcs_error_http_status(const dcs_error* err) {
    return err != nullptr ? err->error.http_status : 0;
}

DCS_API const char* dcs_error_service_code(const dcs_error* err) {
    return err != nullptr ? err->error.service_code.c_str() : "";
}

DCS_API const char* dcs_error_service_message(const dcs_error* err) {
    return err != nullptr ? err->error.service_message.c_str() : "";
}

DCS_API const char* dcs_error_service_ext_message(const dcs_error* err) {
    return err != nullptr ? err->error.service_ext_message.c_str() : "";
}

DCS_API const char* dcs_error_request_id(const dcs_error* err) {
    return err != nullptr ? err->error.request_id.c_str() : "";
}

DCS_API int dcs_error_request_sent(const dcs_error* err) {
    return err != nullptr ? static_cast<int>(err->error.sent) : DCS_SENT_NO;
}

DCS_API void dcs_error_free(dcs_error* err) { delete err; }

}  // extern "C"
