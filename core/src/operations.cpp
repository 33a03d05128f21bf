// The operations around a restore: list and get restore records, list, create and delete
// backups, show an instance. Each validates its arguments before anything is sent, then
// runs through the call engine (call_engine.cpp).
#include "client.hpp"
#include "http_errors.hpp"
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
                                            const std::string& restore_id) {
    auto records = all_restores(call, instance_id, ListFilter{},
                                [&](const RestoreRecord& r) { return r.restore_id == restore_id; });
    if (!records) {
        return std::move(records).error();
    }
    if (!records.value().empty() && records.value().back().restore_id == restore_id) {
        return std::move(records.value().back());
    }
    return make_error(Status::NotFound,
                      "instance " + instance_id + " has no restore record " + restore_id,
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
