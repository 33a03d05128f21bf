// The operations around a restore: list and get restore records (one record is found through
// creation-time windows of the listing, never the whole history), list, create and delete
// backups, show an instance. Each validates its arguments before anything is sent, then
// runs through the call engine (call_engine.cpp).
#include "client.hpp"
#include "http_errors.hpp"
#include "text.hpp"
#include "validate.hpp"

namespace dcs::core {
namespace {

std::optional<Error> validate_filter(const ListFilter& filter) {
    if (!filter.begin_time.empty()) {
        if (auto err = validate_time_filter("begin_time", filter.begin_time)) {
            return err;
        }
    }
    if (!filter.end_time.empty()) {
        if (auto err = validate_time_filter("end_time", filter.end_time)) {
            return err;
        }
    }
    return std::nullopt;
}

// A creation-time window of the restore listing, service clock, epoch ms; -1 = open.
struct RestoreWindow {
    int64_t begin_ms;
    int64_t end_ms;
};

// Where one restore is looked for when nothing says when it was created: the last hour
// first (a restore being waited on or read back was almost always started then, and the
// signature check keeps clock skew under 15 minutes), then the last day, the last 30 days,
// and what is older. The windows share their edge second: a record there is listed twice,
// which is harmless, rather than never.
std::vector<RestoreWindow> lookup_windows(int64_t service_now_ms) {
    constexpr int64_t kHourMs = 3600LL * 1000;
    constexpr int64_t kDayMs = 24 * kHourMs;
    constexpr int64_t kMonthMs = 30 * kDayMs;
    const int64_t hour = service_now_ms - kHourMs;
    const int64_t day = service_now_ms - kDayMs;
    const int64_t month = service_now_ms - kMonthMs;
    return {{hour, -1}, {day, hour}, {month, day}, {-1, month}};
}

std::string describe(const ListFilter& filter) {
    if (filter.begin_time.empty() && filter.end_time.empty()) {
        return "at any time";
    }
    std::string text;
    if (!filter.begin_time.empty()) {
        text = "since " + filter.begin_time;
    }
    if (!filter.end_time.empty()) {
        text += std::string(text.empty() ? "" : " and ") + "until " + filter.end_time;
    }
    return text + " UTC";
}

}  // namespace

Result<std::vector<RestoreRecord>> Client::list_restores(const std::string& instance_id,
                                                         const ListFilter& filter,
                                                         const CallOptions& options) {
    if (auto err = validate_id("instance_id", instance_id)) {
        return *err;
    }
    if (auto err = validate_filter(filter)) {
        return *err;
    }
    return all_restores(begin(options, config_.timeout_ms), instance_id, filter);
}

Result<RestoreRecord> Client::restore_by_id(const Call& call, const std::string& instance_id,
                                            const std::string& restore_id, int64_t since_ms) {
    // The listing is filtered by creation time, so that finding one record does not cost
    // the whole history (whose pages may not even fit under the response cap): one window
    // when the caller knows when the record was created, else windows going back in time.
    std::vector<RestoreWindow> windows;
    if (since_ms >= 0) {
        windows.push_back({since_ms, -1});
    } else {
        windows = lookup_windows(wall_now_ms() +
                                 (server_clock_known_ ? server_clock_offset_ms_.load() : 0));
    }
    for (const RestoreWindow& window : windows) {
        ListFilter filter;
        if (window.begin_ms >= 0) {
            filter.begin_time = utc_compact(window.begin_ms);
        }
        if (window.end_ms >= 0) {
            filter.end_time = utc_compact(window.end_ms);
        }
        // Paging stops at the record: the listing is newest first, and it is recent.
        auto records = all_restores(call, instance_id, filter, [&](const RestoreRecord& r) {
            return r.restore_id == restore_id;
        });
        if (!records) {
            Error error = std::move(records).error();
            error.message = "looking for restore " + restore_id + " of instance " + instance_id +
                            " among the records created " + describe(filter) + ": " + error.message;
            return error;
        }
        if (!records.value().empty() && records.value().back().restore_id == restore_id) {
            return std::move(records.value().back());
        }
    }
    return make_error(Status::NotFound,
                      "instance " + instance_id + " has no restore record " + restore_id +
                          (since_ms >= 0 ? " created since " + utc_compact(since_ms) + " UTC" : ""),
                      Sent::Yes);
}

Result<RestoreRecord> Client::get_restore(const std::string& instance_id,
                                          const std::string& restore_id,
                                          const CallOptions& options) {
    if (auto err = validate_id("instance_id", instance_id)) {
        return *err;
    }
    if (auto err = validate_id("restore_id", restore_id)) {
        return *err;
    }
    return restore_by_id(begin(options, config_.timeout_ms), instance_id, restore_id);
}

Result<std::vector<BackupRecord>> Client::list_backups(const std::string& instance_id,
                                                       const ListFilter& filter,
                                                       const CallOptions& options) {
    if (auto err = validate_id("instance_id", instance_id)) {
        return *err;
    }
    if (auto err = validate_filter(filter)) {
        return *err;
    }
    return all_backups(begin(options, config_.timeout_ms), instance_id, filter);
}

Result<std::string> Client::create_backup(const std::string& instance_id,
                                          const std::optional<std::string>& remark,
                                          const std::optional<std::string>& backup_format,
                                          const CallOptions& options) {
    if (auto err = validate_id("instance_id", instance_id)) {
        return *err;
    }
    if (remark) {
        if (auto err = validate_remark("remark", *remark)) {
            return *err;
        }
    }
    if (backup_format) {
        if (auto err = validate_backup_format(*backup_format)) {
            return *err;
        }
    }
    Call call = begin(options, config_.timeout_ms);
    Request request{"CopyInstance",
                    "POST",
                    instance_path(instance_id) + "/backups",
                    {},
                    encode_backup_body(remark, backup_format),
                    true};
    // CopyInstance starts a backup: it is repeated only when nothing can have started.
    // An ambiguous outcome is returned as it is (sent = maybe) rather than risk two backups.
    auto response = send(call, request, Idempotency::StartsBackup);
    if (!response) {
        return std::move(response).error();
    }
    auto id = parse_backup_id(response.value().body);
    if (!id) {
        return bad_response(response.value(), id.error());
    }
    return id;
}

Outcome Client::delete_backup(const std::string& instance_id, const std::string& backup_id,
                              const CallOptions& options) {
    if (auto err = validate_id("instance_id", instance_id)) {
        return *err;
    }
    if (auto err = validate_id("backup_id", backup_id)) {
        return *err;
    }
    Call call = begin(options, config_.timeout_ms);
    Request request{
        "DeleteBackupFile", "DELETE", instance_path(instance_id) + "/backups/" + backup_id, {}, ""};
    // Deleting twice leaves the same state, so a delete is retried like a read...
    bool earlier_maybe_delivered = false;
    auto response = send(call, request, Idempotency::Repeatable, &earlier_maybe_delivered);
    if (!response) {
        // ...but the retry of a delete that did happen hears "no such backup": that is
        // the success the caller asked for, not an error.
        const Error& error = response.error();
        bool gone = error.status == Status::NotFound || error.service_code == "111400063" ||
                    error.service_code == "DCS.4063" || error.service_code == "DCS.4031";
        if (earlier_maybe_delivered && gone) {
            log(LogLevel::Info,
                "backup " + backup_id + " was deleted by an earlier attempt whose answer was lost");
            return Unit{};
        }
        return std::move(response).error();
    }
    return Unit{};
}

Result<InstanceInfo> Client::show(const Call& call, const std::string& instance_id) {
    Request request{"ShowInstance", "GET", instance_path(instance_id), {}, ""};
    auto response = send(call, request, Idempotency::Repeatable);
    if (!response) {
        return std::move(response).error();
    }
    auto instance = parse_instance(response.value().body);
    if (!instance) {
        return bad_response(response.value(), instance.error());
    }
    return instance;
}

Result<InstanceInfo> Client::show_instance(const std::string& instance_id,
                                           const CallOptions& options) {
    if (auto err = validate_id("instance_id", instance_id)) {
        return *err;
    }
    return show(begin(options, config_.timeout_ms), instance_id);
}

}  // namespace dcs::core
