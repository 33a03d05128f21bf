// Fuzzes the response side of the client: one input is a response body, fed to every DCS
// response decoder (json_codec.hpp) and, under a spread of HTTP statuses, to
// error_from_response (http_errors.hpp). Beyond "no crash, no undefined behaviour, no
// leak", the decoders must degrade the way json_codec.hpp promises, and an error built
// from a hostile body must stay a single printable line with the documented status.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.hpp"
#include "http_errors.hpp"
#include "json_codec.hpp"

namespace core = dcs::core;
using dcs_fuzz::is_printable_line;

namespace {

void check_percent(std::string_view progress) {
    const double percent = core::parse_progress_percent(progress);
    FUZZ_CHECK(percent == -1 || (std::isfinite(percent) && percent >= 0));
}

void check_timestamp(std::string_view iso) { FUZZ_CHECK(core::parse_timestamp_ms(iso) >= -1); }

// A decoding failure is always a BadResponse with a one-line message.
void check_failure(const core::Error& error) {
    FUZZ_CHECK(error.status == core::Status::BadResponse);
    FUZZ_CHECK(!error.message.empty());
    FUZZ_CHECK(is_printable_line(error.message));
}

void check_restore_page(std::string_view body) {
    auto page = core::parse_restore_page(body);
    if (!page) {
        check_failure(page.error());
        return;
    }
    FUZZ_CHECK(page.value().total_num >= -1);
    if (body.empty()) {  // HTTP 204: no records
        FUZZ_CHECK(page.value().records.empty() && page.value().total_num == 0);
    }
    for (const auto& record : page.value().records) {
        check_percent(record.progress);
        check_timestamp(record.created_at);
        check_timestamp(record.updated_at);
    }
}

void check_backup_page(std::string_view body) {
    auto page = core::parse_backup_page(body);
    if (!page) {
        check_failure(page.error());
        return;
    }
    FUZZ_CHECK(page.value().total_num >= -1);
    if (body.empty()) {
        FUZZ_CHECK(page.value().records.empty() && page.value().total_num == 0);
    }
    for (const auto& record : page.value().records) {
        FUZZ_CHECK(record.size >= -1);
        check_percent(record.progress);
        check_timestamp(record.execution_at);
    }
}

void check_instance(std::string_view body) {
    auto instance = core::parse_instance(body);
    if (!instance) {
        check_failure(instance.error());
        return;
    }
    FUZZ_CHECK(instance.value().capacity >= -1);
    check_timestamp(instance.value().launched_at);
}

void check_ids(std::string_view body) {
    auto restore_id = core::parse_restore_id(body);
    if (restore_id) {
        FUZZ_CHECK(!restore_id.value().empty());
    } else {
        check_failure(restore_id.error());
    }
    auto backup_id = core::parse_backup_id(body);
    if (backup_id) {
        FUZZ_CHECK(!backup_id.value().empty());
    } else {
        check_failure(backup_id.error());
    }
}

// The status error_from_response must give whatever the body says, where the HTTP status
// alone decides it (http_errors.hpp).
void check_error_response(int http_status, std::string_view body) {
    core::HttpResponse response;
    response.status = http_status;
    response.body = std::string(body);
    const core::Error error = core::error_from_response(response);

    FUZZ_CHECK(error.http_status == http_status);
    FUZZ_CHECK(error.sent == core::Sent::Yes);
    FUZZ_CHECK(!error.message.empty());
    FUZZ_CHECK(is_printable_line(error.message));
    FUZZ_CHECK(error.service_code.size() <= 64);
    switch (http_status) {
        case 401:
        case 403:
            FUZZ_CHECK(error.status == core::Status::Auth);
            break;
        case 404:
            FUZZ_CHECK(error.status == core::Status::NotFound);
            break;
        case 429:
            FUZZ_CHECK(error.status == core::Status::Throttled);
            break;
        default:
            if (http_status >= 500) {
                FUZZ_CHECK(error.status == core::Status::Server);
            } else {
                FUZZ_CHECK(error.status == core::Status::Busy ||
                           error.status == core::Status::Precondition ||
                           error.status == core::Status::Rejected);
            }
    }

    const core::Error bad =
        core::bad_response(response, core::make_error(core::Status::BadResponse, "x"));
    FUZZ_CHECK(bad.status == core::Status::BadResponse);
    FUZZ_CHECK(is_printable_line(bad.message));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);

    check_restore_page(body);
    check_backup_page(body);
    check_instance(body);
    check_ids(body);
    (void)core::parse_service_error(body);
    check_percent(body);
    check_timestamp(body);
    for (int http_status : {400, 401, 403, 404, 409, 429, 500, 503}) {
        check_error_response(http_status, body);
    }
    return 0;
}
