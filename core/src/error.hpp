// Typed errors and results of the core. The numeric values of Status are the C ABI's
// dcs_status values (capi/include/dcs/dcs.h), so the C layer converts without a table.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace dcs::core {

enum class Status : int {
    Ok = 0,
    InvalidArgument = 1,
    Auth = 2,
    NotFound = 3,
    Throttled = 4,
    Busy = 5,
    Server = 6,
    Transport = 7,
    Timeout = 8,
    Cancelled = 9,
    BadResponse = 10,
    Internal = 11,
    NoMem = 12,
    Rejected = 13,
    Precondition = 14,
    RestoreFailed = 15,
};

// Whether a failed request may have reached the service (DCS_SENT_* in the C ABI).
enum class Sent : int { No = 0, Yes = 1, Maybe = 2 };

struct Error {
    Status status = Status::Internal;
    std::string message;  // one line, never a secret
    int http_status = 0;
    std::string service_code;         // error_code
    std::string service_message;      // error_msg
    std::string service_ext_message;  // error_ext_msg
    std::string request_id;           // X-Request-Id
    Sent sent = Sent::No;
    int64_t retry_after_ms = -1;  // from a Retry-After header; -1 when absent
    // libcurl sent the request a second time on a fresh connection (the kept-alive one died
    // without an answer), so a first copy may have been carried out.
    bool resent = false;
    // The attempt's own timeout passed, not the call's deadline: another attempt (or a
    // reconciliation) still fits in the call.
    bool attempt_timed_out = false;
    // Trying again cannot help: a certificate that fails verification, an unreadable CA file.
    bool permanent = false;
};

inline Error make_error(Status status, std::string message, Sent sent = Sent::No) {
    Error e;
    e.status = status;
    e.message = std::move(message);
    e.sent = sent;
    return e;
}

// A value or an Error. The core never throws through its own API (std::bad_alloc aside,
// which the C layer catches).
template <class T>
class Result {
   public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    Error& error() & { return std::get<1>(v_); }
    const Error& error() const& { return std::get<1>(v_); }
    Error&& error() && { return std::get<1>(std::move(v_)); }

   private:
    std::variant<T, Error> v_;
};

// Result of an operation that yields nothing but success.
struct Unit {};
using Outcome = Result<Unit>;

const char* status_name(Status s);

}  // namespace dcs::core
