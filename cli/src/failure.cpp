#include "failure.hpp"

namespace dcsctl {

Error error_of(dcs_status status, const dcs_error* err) {
    Error error;
    error.status = status;
    if (err != nullptr) {
        error.message = dcs_error_message(err);
        error.http_status = dcs_error_http_status(err);
        error.service_code = dcs_error_service_code(err);
        error.request_id = dcs_error_request_id(err);
        error.sent = dcs_error_request_sent(err);
    }
    return error;
}

}  // namespace dcsctl
