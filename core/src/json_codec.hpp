// JSON request bodies and tolerant response decoding for the DCS v2 API (field names from the
// API spec, dcs-api.md). Decoding never trusts the documented types: the service's own examples
// put {} where strings are declared and send numbers as strings, so every string field degrades
// to "" and every integer field to -1 rather than failing the whole response.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace dcs::core {

// {"backup_id":...,"remark":...}; remark omitted when nullopt. Strings are escaped as JSON
// requires and UTF-8 is passed through unchanged.
std::string encode_restore_body(std::string_view backup_id,
                                const std::optional<std::string>& remark);

// {"remark":...,"backup_format":...}; each omitted when nullopt ("{}" when both are).
std::string encode_backup_body(const std::optional<std::string>& remark,
                               const std::optional<std::string>& backup_format);

// One entry of restore_record_response (InstanceRestoreInfo). The service's strings are kept
// as sent; what they mean is parsed here, once, for every layer above (the C ABI's getters).
struct RestoreRecord {
    std::string restore_id, backup_id, status, progress, error_code, restore_remark, restore_name,
        backup_name, backup_remark, created_at, updated_at;
    double progress_percent = -1;  // parse_progress_percent(progress)
    int64_t created_at_ms = -1;    // parse_timestamp_ms(created_at)
    int64_t updated_at_ms = -1;
};

// One entry of backup_record_response (BackupRecordResponse).
struct BackupRecord {
    std::string backup_id, backup_name, instance_id, backup_type, status, progress, error_code,
        remark, is_support_restore, backup_format, period, created_at, updated_at, execution_at;
    int64_t size = -1;  // bytes; -1 when absent or not an integer
    // is_support_restore says "TRUE" (the API documents "TRUE"/"FALSE"; any case is taken).
    bool restorable = false;
    double progress_percent = -1;
    int64_t created_at_ms = -1;
    int64_t updated_at_ms = -1;
    int64_t execution_at_ms = -1;
};

// The restore-relevant part of ShowInstance.
struct InstanceInfo {
    std::string instance_id, name, status, sub_status, engine, engine_version, cache_mode,
        product_type, launched_at;
    int64_t capacity = -1;  // -1 when absent or not an integer
    int64_t launched_at_ms = -1;
};

template <class T>
struct Page {
    std::vector<T> records;
    int64_t total_num = -1;  // -1 when the response does not say
};

// The service's description of a failed request.
struct ServiceError {
    std::string code, message, ext_message;
};

// {"restore_id": "..."}; a missing or empty ID, or one that validate_id refuses (NUL, control
// characters, '/', more than 64 bytes, ...), is a BadResponse. A number is taken as its text.
Result<std::string> parse_restore_id(std::string_view body);
// {"backup_id": "..."}; checked as restore_id is.
Result<std::string> parse_backup_id(std::string_view body);

// ListRestoreRecords: restore_record_response and total_num. An empty body (HTTP 204) is an
// empty page with total_num 0.
Result<Page<RestoreRecord>> parse_restore_page(std::string_view body);
// ListBackupRecords: backup_record_response and total_num; empty body as above.
Result<Page<BackupRecord>> parse_backup_page(std::string_view body);

// ShowInstance.
Result<InstanceInfo> parse_instance(std::string_view body);

// An error body in any shape the official SDKs understand, with their precedence:
// {"error_code","error_msg","error_ext_msg"}, then {"errorCode","errorMsg"}, then
// {"code","message","ext_message"}, then the same inside nested objects such as the v1.0
// {"error":{"code","message"}}. nullopt when the body is not JSON or has none of these shapes.
std::optional<ServiceError> parse_service_error(std::string_view body);

// "42.50" -> 42.5; "", anything that is not a decimal number and anything outside 0-100 -> -1.
double parse_progress_percent(std::string_view progress);

// "2017-07-18T21:41:35.182Z" (fraction optional; 'Z' or a +hh:mm / -hh:mm offset) -> Unix epoch
// milliseconds; -1 when unparseable or before the epoch.
int64_t parse_timestamp_ms(std::string_view iso);

}  // namespace dcs::core
