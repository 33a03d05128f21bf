// How the outcome of a libdcs call reaches the tool: a failure's error copied out of its
// dcs_error (so that a command can add to its message), the Failure that main() reports and
// turns into the exit code, and the helpers that run a call and throw that Failure.
#pragma once

#include <dcs/dcs.h>

#include <optional>
#include <string>
#include <utility>

#include "handles.hpp"

namespace dcsctl {

// An error of libdcs, or one of the tool's own (a backup that ends badly), as plain values.
struct Error {
    dcs_status status = DCS_E_INTERNAL;
    std::string message;
    int http_status = 0;
    std::string service_code;
    std::string request_id;
    int sent = DCS_SENT_NO;  // one of DCS_SENT_*
};

// What a call that returned `status` reported in `err`; `err` may be NULL (out of memory:
// then the status is all there is).
Error error_of(dcs_status status, const dcs_error* err);

// A failed operation; main() reports it and turns it into the exit code.
struct Failure {
    Error error;
    // What to do next, printed on stderr after the error line (e.g. the command that tells
    // whether an unresolved restore started); "" = nothing to add.
    std::string hint = {};
};

// Runs `fn(args..., &err)`, a libdcs call whose last parameter is `dcs_error **out_err`:
// nullopt when it succeeds, else its error.
template <class Fn, class... Args>
std::optional<Error> attempt(Fn fn, Args... args) {
    dcs_error* raw = nullptr;
    dcs_status status = fn(args..., &raw);
    ErrorPtr err(raw);
    if (status == DCS_OK) {
        return std::nullopt;
    }
    return error_of(status, err.get());
}

// As attempt(), but a failure is thrown as a Failure.
template <class Fn, class... Args>
void check(Fn fn, Args... args) {
    if (auto error = attempt(fn, args...)) {
        throw Failure{std::move(*error)};
    }
}

// Runs a call whose output (just before out_err) is a new object, and owns that object.
template <class Handle, class Fn, class... Args>
Handle make(Fn fn, Args... args) {
    typename Handle::pointer out = nullptr;
    check(fn, args..., &out);
    return Handle(out);
}

}  // namespace dcsctl
