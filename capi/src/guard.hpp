// The one place where C++ meets C: every exported function runs its body through
// guarded(), so no exception crosses the ABI and every error reaches the caller the same way.
#pragma once

#include <dcs/dcs.h>

#include <cstring>
#include <new>
#include <string>

#include "handles.hpp"

namespace dcs::capi {

// DCS_OK as a dcs_status: the enumerator's own type would clash with int in deduced lambda
// return types.
constexpr dcs_status kOk = DCS_OK;

// Hands an error to the caller (if it asked for one) and returns its status.
inline dcs_status fail(dcs_error** out_err, dcs::core::Error error) {
    auto status = static_cast<dcs_status>(error.status);
    if (out_err != nullptr) {
        *out_err = new (std::nothrow) dcs_error{std::move(error)};
    }
    return status;
}

inline dcs_status fail(dcs_error** out_err, dcs::core::Status status, std::string message) {
    return fail(out_err, dcs::core::make_error(status, std::move(message)));
}

inline dcs_status null_argument(dcs_error** out_err, const char* name) {
    return fail(out_err, dcs::core::Status::InvalidArgument,
                std::string(name) + " must not be NULL");
}

// Runs `body` (which returns a dcs_status and reports errors through fail()), turning any
// exception into DCS_E_NOMEM or DCS_E_INTERNAL.
template <class Body>
dcs_status guarded(dcs_error** out_err, Body&& body) noexcept {
    if (out_err != nullptr) {
        *out_err = nullptr;
    }
    try {
        return body();
    } catch (const std::bad_alloc&) {
        if (out_err != nullptr) {
            *out_err = nullptr;  // allocating an error object would likely fail too
        }
        return DCS_E_NOMEM;
    } catch (const std::exception& e) {
        return fail(out_err, dcs::core::Status::Internal,
                    std::string("internal error: ") + e.what());
    } catch (...) {
        return fail(out_err, dcs::core::Status::Internal, "internal error");
    }
}

// A copy of `s` the caller frees with dcs_string_free().
inline char* copy_string(const std::string& s) {
    char* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (out == nullptr) {
        throw std::bad_alloc();
    }
    std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

// A string argument that may be NULL.
inline std::optional<std::string> optional_string(const char* s) {
    if (s == nullptr) {
        return std::nullopt;
    }
    return std::string(s);
}

}  // namespace dcs::capi
