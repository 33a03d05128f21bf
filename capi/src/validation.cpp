// The core's argument checks, offered on their own so that a tool can refuse bad input as
// early as it likes (Terraform at plan time) with exactly the rules the calls apply.
#include "guard.hpp"
#include "validate.hpp"

using dcs::capi::fail;
using dcs::capi::guarded;
using dcs::capi::kOk;
using dcs::capi::null_argument;

extern "C" {

DCS_API dcs_status dcs_validate_id(const char* name, const char* value, dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (value == nullptr) {
            return null_argument(out_err, name != nullptr ? name : "id");
        }
        if (auto problem = dcs::core::validate_id(name != nullptr ? name : "id", value)) {
            return fail(out_err, std::move(*problem));
        }
        return kOk;
    });
}

DCS_API dcs_status dcs_validate_remark(const char* value, dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (value == nullptr) {
            return null_argument(out_err, "remark");
        }
        if (auto problem = dcs::core::validate_remark("remark", value)) {
            return fail(out_err, std::move(*problem));
        }
        return kOk;
    });
}

}  // extern "C"
