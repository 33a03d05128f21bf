// dcsctl backups list / create / delete: the backups a restore starts from.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "commands.hpp"
#include "json_output.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace dcsctl {
namespace {

const std::vector<std::string> kListColumns = {"backup_id", "backup_name",        "status",
                                               "progress",  "is_support_restore", "backup_format",
                                               "size",      "created_at",         "remark"};

// How long `backups create --wait` waits without --timeout (a backup takes minutes).
constexpr int64_t kDefaultBackupWaitMs = 30LL * 60 * 1000;
constexpr int64_t kMaxPollIntervalMs = 10000;

// A backup a restore can start from: it succeeded, and libdcs reads is_support_restore as yes.
bool restorable(const dcs_backup_record* backup) {
    return std::strcmp(dcs_backup_record_status(backup), "succeed") == 0 &&
           dcs_backup_record_restorable(backup) != 0;
}

bool ended_badly(const std::string& status) {
    return status == "failed" || status == "expired" || status == "deleted";
}

void print_one(const Session& session, const Fields& fields) {
    if (session.json()) {
        print_json_record(stdout, fields);
    } else {
        print_record(stdout, fields);
    }
}

int run_list(Session& session) {
    const ParsedArgs& args = session.args();
    std::string instance_id = args.required("instance");
    auto backups = make<BackupListPtr>(dcs_list_backups, session.client(), instance_id.c_str(),
                                       session.list_filter().get(), session.call_options().get());
    std::vector<Fields> rows;
    for (size_t i = 0; i < dcs_backup_list_count(backups.get()); ++i) {
        const dcs_backup_record* backup = dcs_backup_list_at(backups.get(), i);
        if (!args.has("restorable") || restorable(backup)) {
            rows.push_back(fields_of(backup));
        }
    }
    if (session.json()) {
        print_json_records(stdout, rows);
    } else {
        print_table(stdout, kListColumns, rows);
    }
    return 0;
}

Failure wait_failure(dcs_status status, std::string message) {
    Error error;
    error.status = status;
    error.message = std::move(message);
    error.sent = DCS_SENT_YES;
    return Failure{std::move(error)};
}

// Polls the backup listing until the backup succeeds (its record) or ends otherwise
// (a Failure, exit 5), within the run's deadline.
Fields wait_for_backup(Session& session, const std::string& instance_id,
                       const std::string& backup_id) {
    Clock::time_point deadline = session.deadline_or(kDefaultBackupWaitMs);
    ProgressDisplay progress(stderr, "backup " + backup_id);
    int64_t interval = session.poll_interval_ms();
    std::string last_seen = "not yet listed";
    for (;;) {
        auto backups = make<BackupListPtr>(dcs_list_backups, session.client(), instance_id.c_str(),
                                           nullptr, session.call_options_until(deadline).get());
        const dcs_backup_record* found = nullptr;
        for (size_t i = 0; i < dcs_backup_list_count(backups.get()) && found == nullptr; ++i) {
            const dcs_backup_record* backup = dcs_backup_list_at(backups.get(), i);
            if (backup_id == dcs_backup_record_backup_id(backup)) {
                found = backup;
            }
        }
        if (found != nullptr) {
            std::string status = dcs_backup_record_status(found);
            progress.update(status, dcs_backup_record_progress(found),
                            dcs_backup_record_progress_percent(found));
            last_seen = "\"" + status + "\"";
            if (status == "succeed") {
                progress.finish();
                return fields_of(found);
            }
            if (ended_badly(status)) {
                progress.finish();
                print_one(session, fields_of(found));
                std::string error_code = dcs_backup_record_error_code(found);
                Failure failure =
                    wait_failure(DCS_E_RESTORE_FAILED,
                                 "backup " + backup_id + " of instance " + instance_id + " ended " +
                                     status + (error_code.empty() ? "" : " with " + error_code));
                failure.error.service_code = error_code;
                throw failure;
            }
        }
        if (!session.sleep(interval, deadline)) {
            progress.finish();
            throw wait_failure(DCS_E_CANCELLED, "the wait for backup " + backup_id +
                                                    " was cancelled (last seen " + last_seen + ")");
        }
        if (remaining_ms(deadline) <= 0) {
            progress.finish();
            throw wait_failure(DCS_E_TIMEOUT, "backup " + backup_id + " was still " + last_seen +
                                                  " when the wait's deadline passed");
        }
        interval = std::min(std::max(kMaxPollIntervalMs, session.poll_interval_ms()),
                            interval + interval / 2);
    }
}

int run_create(Session& session) {
    const ParsedArgs& args = session.args();
    std::string instance_id = args.required("instance");
    std::optional<std::string> remark = args.get("remark");
    std::optional<std::string> format = args.get("format");
    char* started = nullptr;
    if (auto error = attempt(dcs_create_backup, session.client(), instance_id.c_str(),
                             remark ? remark->c_str() : nullptr, format ? format->c_str() : nullptr,
                             session.call_options().get(), &started)) {
        if (error->sent == DCS_SENT_MAYBE) {
            error->message +=
                "; the backup may have started: check 'dcsctl backups list "
                "--instance " +
                instance_id + "' before retrying";
        }
        throw Failure{std::move(*error)};
    }
    std::string backup_id = StringPtr(started).get();
    if (!args.has("wait")) {
        print_one(session, {{"backup_id", backup_id}});
        return 0;
    }
    std::fprintf(stderr, "dcsctl: backup %s started on instance %s\n", backup_id.c_str(),
                 instance_id.c_str());
    print_one(session, wait_for_backup(session, instance_id, backup_id));
    return 0;
}

int run_delete(Session& session) {
    const ParsedArgs& args = session.args();
    std::string backup_id = args.required("backup");
    std::string instance_id = args.required("instance");
    check(dcs_delete_backup, session.client(), instance_id.c_str(), backup_id.c_str(),
          session.call_options().get());
    if (session.json()) {
        print_json_record(stdout, {{"backup_id", backup_id}});
    } else {
        std::printf("deleted backup %s\n", backup_id.c_str());
    }
    return 0;
}

}  // namespace

std::vector<CommandSpec> backups_commands() {
    return {
        {"backups",
         "list",
         "list the backups of an instance",
         "--instance ID [--restorable] [--begin yyyyMMddHHmmss] [--end yyyyMMddHHmmss] "
         "[--timeout DURATION] [--json]",
         "Lists every backup record of the instance (all pages). --restorable keeps only the\n"
         "backups a restore can start from: status \"succeed\" and is_support_restore \"TRUE\".\n"
         "--begin and --end filter by creation time, in UTC.",
         {"instance", "restorable", "begin", "end", "timeout", "json"},
         run_list},
        {"backups",
         "create",
         "start a manual backup of an instance",
         "--instance ID [--remark TEXT] [--format rdb|aof] [--wait] [--timeout DURATION] "
         "[--poll-interval DURATION] [--json]",
         "Starts a manual backup and prints its backup id. With --wait, polls the backup\n"
         "listing (progress on stderr) until the backup succeeds, then prints its record;\n"
         "exit code 5 when it ends failed (or expired or deleted). --timeout bounds the whole\n"
         "command (default wait: 30 minutes).",
         {"instance", "remark", "format", "wait", "timeout", "poll-interval", "json"},
         run_create},
        {"backups",
         "delete",
         "delete a backup",
         "--instance ID --backup ID [--timeout DURATION] [--json]",
         "Deletes the backup file. Deleting is safe to retry.",
         {"instance", "backup", "timeout", "json"},
         run_delete},
    };
}

}  // namespace dcsctl
