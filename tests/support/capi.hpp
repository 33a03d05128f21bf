// Test-side conveniences over the public C ABI: owning pointers for its handles, a copy of a
// dcs_error that outlives it, and a client factory. Only <dcs/dcs.h> is used, as a C
// caller would.
#pragma once

#include <dcs/dcs.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace dcs::test {

// The seed of `dcs-emulator --demo`.
namespace demo {
inline constexpr const char* kAccessKey = "DEMOACCESSKEY0000001";
inline constexpr const char* kSecretKey = "demo-secret-key-0123456789abcdefghijklmnop";
inline constexpr const char* kProjectId = "0123456789abcdef0123456789abcdef";
inline constexpr const char* kInstanceId = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b";
inline constexpr const char* kBackupId = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19";
}  // namespace demo

template <class T, void (*Free)(T*)>
struct FreeWith {
    void operator()(T* p) const { Free(p); }
};
using ClientPtr = std::unique_ptr<dcs_client, FreeWith<dcs_client, dcs_client_free>>;
using ClientOptionsPtr =
    std::unique_ptr<dcs_client_options, FreeWith<dcs_client_options, dcs_client_options_free>>;
using CallOptionsPtr =
    std::unique_ptr<dcs_call_options, FreeWith<dcs_call_options, dcs_call_options_free>>;
using ListOptionsPtr =
    std::unique_ptr<dcs_list_options, FreeWith<dcs_list_options, dcs_list_options_free>>;
using WaitOptionsPtr =
    std::unique_ptr<dcs_wait_options, FreeWith<dcs_wait_options, dcs_wait_options_free>>;
using CancelTokenPtr =
    std::unique_ptr<dcs_cancel_token, FreeWith<dcs_cancel_token, dcs_cancel_token_free>>;
using RestoreRecordPtr =
    std::unique_ptr<dcs_restore_record, FreeWith<dcs_restore_record, dcs_restore_record_free>>;
using RestoreListPtr =
    std::unique_ptr<dcs_restore_list, FreeWith<dcs_restore_list, dcs_restore_list_free>>;
using BackupListPtr =
    std::unique_ptr<dcs_backup_list, FreeWith<dcs_backup_list, dcs_backup_list_free>>;
using InstancePtr = std::unique_ptr<dcs_instance, FreeWith<dcs_instance, dcs_instance_free>>;
using ErrorPtr = std::unique_ptr<dcs_error, FreeWith<dcs_error, dcs_error_free>>;

inline void free_string(char* s) { dcs_string_free(s); }
using StringPtr = std::unique_ptr<char, FreeWith<char, free_string>>;

// Everything a dcs_error says, copied, so assertions can read it after the error is freed.
struct Failure {
    dcs_status status = DCS_OK;
    std::string message;
    int http_status = 0;
    std::string service_code;
    std::string service_message;
    std::string service_ext_message;
    std::string request_id;
    int request_sent = -1;
};

// Copies and frees `err`; a NULL error gives status DCS_OK.
Failure take_error(dcs_error* err);

struct ClientSettings {
    std::string endpoint;
    std::string access_key = demo::kAccessKey;
    std::string secret_key = demo::kSecretKey;
    std::string project_id = demo::kProjectId;
    std::string security_token;  // empty = none
    int max_attempts = 0;        // 0 = the library's default
    int64_t timeout_ms = 0;      // 0 = the library's default
    int64_t connect_timeout_ms = 0;
    size_t max_response_bytes = 0;
    int64_t attempt_timeout_ms = 0;    // 0 = automatic
    int64_t reconcile_window_ms = -1;  // -1 = the library's default
    dcs_log_fn log_fn = nullptr;
    void* log_user_data = nullptr;
    int log_level = DCS_LOG_DEBUG;
};

// A client configured from `settings`; throws std::runtime_error if the library refuses.
ClientPtr make_client(const ClientSettings& settings);

struct CallSettings {
    int64_t timeout_ms = 0;
    dcs_cancel_token* cancel = nullptr;
    int max_attempts = 0;
    bool preflight = false;
    int64_t attempt_timeout_ms = 0;   // 0 = the client's
    int64_t reconcile_window_ms = 0;  // 0 = the client's
    bool wait_while_busy = false;
};

CallOptionsPtr make_call_options(const CallSettings& settings);
CancelTokenPtr make_cancel_token();

// Milliseconds since construction, on the monotonic clock.
class Stopwatch {
   public:
    Stopwatch() : start_(std::chrono::steady_clock::now()) {}
    [[nodiscard]] int64_t elapsed_ms() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - start_)
            .count();
    }

   private:
    std::chrono::steady_clock::time_point start_;
};

}  // namespace dcs::test
