#include "exit_codes.hpp"

#include <cstdio>
#include <string>

namespace dcsctl {

using dcs::core::Status;

int exit_code_for(const dcs::core::Error& error) {
    switch (error.status) {
        case Status::Ok:
            return exit_code::kOk;
        case Status::InvalidArgument:
            return exit_code::kUsage;
        case Status::Auth:
        case Status::NotFound:
        case Status::Throttled:
        case Status::Busy:
        case Status::Server:
        case Status::Rejected:
        case Status::Precondition:
            return exit_code::kApi;
        case Status::Timeout:
        case Status::Cancelled:
            return exit_code::kTimeout;
        case Status::RestoreFailed:
            return exit_code::kFailed;
        case Status::Transport:
            return exit_code::kTransport;
        case Status::BadResponse:
        case Status::Internal:
        case Status::NoMem:
            return exit_code::kOther;
    }
    return exit_code::kOther;
}

void print_error(const dcs::core::Error& error) {
    std::string line = error.message.empty() ? dcs::core::status_name(error.status) : error.message;
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
