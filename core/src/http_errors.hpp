// Turns an HTTP response that is not a success into a typed Error.
#pragma once

#include <string_view>

#include "error.hpp"
#include "transport.hpp"

namespace dcs::core {

// Codes with which the service says the instance is busy and that request started
// nothing: retry later (dcs-api.md §2.2, the set Terraform retries plus their numeric twins).
bool is_busy_code(std::string_view service_code);

// DCS.4096 / 111400096: "the instance is backuping" - possibly by a backup this very call
// started on an earlier, lost attempt.
bool is_backuping_code(std::string_view service_code);

// Codes with which the service says the instance or backup cannot take the operation at
// all (single-node, backup not succeeded, backup/restore unsupported).
bool is_precondition_code(std::string_view service_code);

// Maps a non-2xx response: 401/403 auth, 404 not found, 429 throttled, busy and
// precondition codes, other 4xx rejected, 5xx server (every row of the error table in
// emulator/README.md is tested in tests/unit_extra/test_http_errors.cpp). A non-JSON body
// (an HTML page from a proxy) keeps the HTTP status and a short, sanitised snippet. The
// request id is the X-Request-Id header, else the gateway body's "request_id".
Error error_from_response(const HttpResponse& response);

// A 2xx whose body could not be understood.
Error bad_response(const HttpResponse& response, const Error& parse_error);

// The first `max` bytes of a body as printable ASCII, for messages.
std::string body_snippet(std::string_view body, size_t max = 120);

}  // namespace dcs::core
