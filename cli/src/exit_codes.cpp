#include "exit_codes.hpp"

#include <cstdio>
#include <string>

namespace dcsctl {

int exit_code_for(const Error& error) {
    switch (error.status) {
        case DCS_OK:
            return exit_code::kOk;
        case DCS_E_INVALID_ARGUMENT:
            return exit_code::kUsage;
        case DCS_E_AUTH:
        case DCS_E_NOT_FOUND:
        case DCS_E_THROTTLED:
        case DCS_E_BUSY:
        case DCS_E_SERVER:
        case DCS_E_REJECTED:
        case DCS_E_PRECONDITION:
            return exit_code::kApi;
        case DCS_E_TIMEOUT:
        case DCS_E_CANCELLED:
            return exit_code::kTimeout;
        case DCS_E_RESTORE_FAILED:
            return exit_code::kFailed;
        case DCS_E_TRANSPORT:
            return exit_code::kTransport;
        case DCS_E_BAD_RESPONSE:
        case DCS_E_INTERNAL:
        case DCS_E_NOMEM:
        default:
            return exit_code::kOther;
    }
}

void print_error(const Error& error) {
    std::string line = error.message.empty() ? dcs_status_str(error.status) : error.message;
    std::string extra;
    if (!error.service_code.empty() && line.find(error.service_code) == std::string::npos) {
        extra += "code " + error.service_code;
    }
    if (!error.request_id.empty() && line.find(error.request_id) == std::string::npos) {
        extra += (extra.empty() ? "" : ", ") + std::string("request id ") + error.request_id;
    }
    if (!extra.empty()) {
        line += " [" + extra + "]";
    }
    // One line, whatever the service put in its message.
    for (char& c : line) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    std::fprintf(stderr, "dcsctl: %s\n", line.c_str());
}

}  // namespace dcsctl
