// The exit codes of dcsctl (documented in --help and cli/README.md) and the one-line error
// report that goes with a failure.
#pragma once

#include "failure.hpp"

namespace dcsctl {

namespace exit_code {
constexpr int kOk = 0;
constexpr int kOther = 1;          // anything else: bad response, internal error
constexpr int kUsage = 2;          // bad arguments or configuration
constexpr int kApi = 3;            // the service refused: auth, not found, precondition, ...
constexpr int kTimeout = 4;        // the deadline (--timeout) passed, or the call was cancelled
constexpr int kFailed = 5;         // the restore or backup ended "failed"
constexpr int kTransport = 6;      // no answer: connection refused, DNS, TLS, reset
constexpr int kInterrupted = 130;  // SIGINT (128 + signal number for SIGTERM: 143)
}  // namespace exit_code

int exit_code_for(const Error& error);

// "dcsctl: <message> [code X, request id Y]" on stderr, on one line. The service code and
// request id are added when the message does not already carry them.
void print_error(const Error& error);

}  // namespace dcsctl
