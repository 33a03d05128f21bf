// dcsctl backups list / create / delete: the backups a restore starts from.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "commands.hpp"
#include "json_output.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace dcsctl {
namespace {

using dcs::core::BackupRecord;
using dcs::core::Error;
using dcs::core::Status;

const std::vector<std::string> kListColumns = {"backup_id", "backup_name",        "status",
                                               "progress",  "is_support_restore", "backup_format",
                                               "size",      "created_at",         "remark"};

// How long `backups create --wait` waits without --timeout (a backup takes minutes).
constexpr int64_t kDefaultBackupWaitMs = 30LL * 60 * 1000;
constexpr int64_t kMaxPollIntervalMs = 10000;

bool restorable(const BackupRecord& backup) {
    return backup.status == "succeed" && backup.is_support_restore == "TRUE";
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
    dcs::core::ListFilter filter;
    filter.begin_time = args.get("begin").value_or("");
    filter.end_time = args.get("end").value_or("");
    auto backups = session.take(
        session.client().list_backups(args.required("instance"), filter, session.call_options()));
    std::vector<Fields> rows;
    for (const auto& backup : backups) {
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

// Polls the backup listing until the backup succeeds (its record) or ends otherwise
// (a Failure, exit 5), within the run's deadline.
BackupRecord wait_for_backup(Session& session, const std::string& instance_id,
                             const std::string& backup_id) {
    dcs::core::Deadline deadline = session.deadline_or(kDefaultBackupWaitMs);
    ProgressDisplay progress(stderr, "backup " + backup_id);
    int64_t interval = session.poll_interval_ms();
    std::string last_seen = "not yet listed";
    for (;;) {
        auto call = session.call_options();
        call.timeout_ms = std::max<int64_t>(deadline.remaining_ms(), 1);
        auto backups =
            session.take(session.client().list_backups(instance_id, dcs::core::ListFilter{}, call));
        auto found = std::find_if(backups.begin(), backups.end(),
                                  [&](const BackupRecord& b) { return b.backup_id == backup_id; });
        if (found != backups.end()) {
            progress.update(found->status, found->progress);
            last_seen = "\"" + found->status + "\"";
            if (found->status == "succeed") {
                progress.finish();
                return *found;
            }
            if (ended_badly(found->status)) {
                progress.finish();
                print_one(session, fields_of(*found));
                Error error = dcs::core::make_error(
                    Status::RestoreFailed,
                    "backup " + backup_id + " of instance " + instance_id + " ended " +
                        found->status +
                        (found->error_code.empty() ? "" : " with " + found->error_code),
                    dcs::core::Sent::Yes);
                error.service_code = found->error_code;
                throw Failure{error};
            }
        }
        if (!dcs::core::interruptible_sleep(interval, deadline, session.cancel().get())) {
            progress.finish();
            throw Failure{dcs::core::make_error(
                Status::Cancelled,
                "the wait for backup " + backup_id + " was cancelled (last seen " + last_seen + ")",
                dcs::core::Sent::Yes)};
        }
        if (deadline.expired()) {
            progress.finish();
            throw Failure{dcs::core::make_error(Status::Timeout,
                                                "backup " + backup_id + " was still " + last_seen +
                                                    " when the wait's deadline passed",
                                                dcs::core::Sent::Yes)};
        }
        interval = std::min(std::max(kMaxPollIntervalMs, session.poll_interval_ms()),
                            interval + interval / 2);
    }
}

int run_create(Session& session) {
    const ParsedArgs& args = session.args();
    std::string instance_id = args.required("instance");
    auto started = session.client().create_backup(instance_id, args.get("remark"),
                                                  args.get("format"), session.call_options());
    if (!started) {
        dcs::core::Error error = std::move(started).error();
        if (error.sent == dcs::core::Sent::Maybe) {
            error.message +=
                "; the backup may have started: check 'dcsctl backups list "
                "--instance " +
                instance_id + "' before retrying";
        }
        throw Failure{std::move(error)};
    }
    std::string backup_id = std::move(started).value();
    if (!args.has("wait")) {
        print_one(session, {{"backup_id", backup_id}});
        return 0;
    }
    std::fprintf(stderr, "dcsctl: backup %s started on instance %s\n", backup_id.c_str(),
                 instance_id.c_str());
    print_one(session, fields_of(wait_for_backup(session, instance_id, backup_id)));
    return 0;
}

int run_delete(Session& session) {
    const ParsedArgs& args = session.args();
    std::string backup_id = args.required("backup");
    session.take(session.client().delete_backup(args.required("instance"), backup_id,
                                                session.call_options()));
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
