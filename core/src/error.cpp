#include "error.hpp"

namespace dcs::core {

const char* status_name(Status s) {
    switch (s) {
        case Status::Ok:
            return "ok";
        case Status::InvalidArgument:
            return "invalid argument";
        case Status::Auth:
            return "authentication failed";
        case Status::NotFound:
            return "not found";
        case Status::Throttled:
            return "throttled";
        case Status::Busy:
            return "busy";
        case Status::Server:
            return "server error";
        case Status::Transport:
            return "transport error";
        case Status::Timeout:
            return "timeout";
        case Status::Cancelled:
            return "cancelled";
        case Status::BadResponse:
            return "bad response";
        case Status::Internal:
            return "internal error";
        case Status::NoMem:
            return "out of memory";
        case Status::Rejected:
            return "rejected";
        case Status::Precondition:
            return "precondition failed";
        case Status::RestoreFailed:
            return "restore failed";
    }
    // Reached for values cast from an integer outside the enumeration (e.g. from the C ABI).
    return "unknown status";
}

}  // namespace dcs::core
