// Error objects, status names, version queries and global initialisation.
#include <atomic>
#include <cstdlib>

#include "guard.hpp"
#include "transport.hpp"

using dcs::capi::guarded;
using dcs::capi::kOk;

namespace {
std::atomic<int> g_init_count{0};
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
