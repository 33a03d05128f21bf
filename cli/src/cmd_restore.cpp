// dcsctl restore: start a restore, optionally wait for it with a progress display.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "duration.hpp"
#include "json_output.hpp"
#include "progress.hpp"
#include "restore_choice.hpp"
#include "table.hpp"

namespace dcsctl {
namespace {

// The configuration flags a follow-up command needs to reach the same service; secrets
// (--sk, --security-token) are never repeated, and neither is --ak, which goes with them.
// --proxy neither: its URL may hold the proxy's password.
const char* const kConnectionFlags[] = {
    "endpoint", "region",       "project-id",        "config", "ca-file", "insecure",
    "profile",  "ecs-metadata", "metadata-endpoint", "ca-dir", "no-proxy"};

void print_result(const Session& session, const Fields& fields) {
    if (session.json()) {
        print_json_record(stdout, fields);
    } else {
        print_record(stdout, fields);
    }
}

Fields with_adopted(Fields fields, bool adopted) {
    fields.push_back(boolean_field("adopted", adopted));
    return fields;
}

// One word of a POSIX shell command line: as it is when it is plainly safe, else quoted.
std::string shell_word(const std::string& text) {
    bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 ||
               std::string_view("-_.,:/@%+=").find(static_cast<char>(c)) != std::string_view::npos;
    });
    if (plain) {
        return text;
    }
    std::string quoted = "'";
    for (char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

// The command that tells whether a restore of this intent started since `since_ms`.
std::string find_command(const ParsedArgs& args, const std::string& instance_id,
                         const std::string& backup_id, const std::optional<std::string>& remark,
                         int64_t since_ms) {
    std::string command = "dcsctl restores find --instance " + shell_word(instance_id) +
                          " --backup " + shell_word(backup_id);
    if (remark) {
        command += " --remark " + shell_word(*remark);
    }
    command += " --since " + format_rfc3339_utc(since_ms);
    for (const char* flag : kConnectionFlags) {
        if (auto value = args.get(flag)) {
            command += std::string(" --") + flag;
            if (!value->empty()) {
                command += " " + shell_word(*value);
            }
        }
    }
    return command;
}

// An error after which the restore may have started: never a plain "try again", but the
// lookup that says whether it did.
Failure may_have_started(Error error, const std::string& command) {
    // The core names its own API (find_restore); the tool's command follows instead.
    auto api_hint = error.message.find(" Check with find_restore");
    if (api_hint != std::string::npos) {
        error.message.erase(api_hint);
    }
    std::string hint =
        "dcsctl: the restore may have started, so do not simply run it again; check first "
        "with:\n  " +
        command +
        "\ndcsctl: (it prints the restore and exits 0 if one started; exit 3 if none is "
        "listed)\n";
    return Failure{std::move(error), std::move(hint)};
}

// What the wait's progress callback works with: the display, and the last record seen (as
// fields: the record itself is only lent to the callback).
struct WaitProgress {
    ProgressDisplay* display;
    std::optional<Fields> last_seen;
};

void on_progress(void* user_data, const dcs_restore_record* record) {
    auto* wait = static_cast<WaitProgress*>(user_data);
    // Nothing may be thrown back into libdcs; a record that cannot be copied or shown only
    // costs the display.
    try {
        wait->last_seen = fields_of(record);
        wait->display->update(dcs_restore_record_status(record),
                              dcs_restore_record_progress(record),
                              dcs_restore_record_progress_percent(record));
    } catch (...) {
    }
}

int run_restore(Session& session) {
    const ParsedArgs& args = session.args();
    if (args.has("plan")) {
        return run_restore_plan(session);
    }
    for (const char* option : {"parallel", "again"}) {
        if (args.has(option)) {
            throw UsageError(std::string("--") + option + " goes with --plan");
        }
    }
    std::string instance_id = args.required("instance");
    const bool chosen = chooses_backup(args);
    std::optional<std::string> remark = args.get("remark");
    if (remark) {
        // Refused before anything is read, in a dry run as in a restore.
        check(dcs_validate_remark, remark->c_str());
    }
    if (args.has("dry-run")) {
        return run_dry_run(session, instance_id);
    }
    // The chosen backup is named on stderr before the restore starts.
    std::string backup_id = chosen ? choose_backup(session, instance_id) : args.required("backup");
    bool wait_instance = args.has("wait-instance");
    bool wait = args.has("wait") || wait_instance;

    CallOptionsPtr call = session.call_options();
    check(dcs_call_options_set_preflight, call.get(), args.has("no-preflight") ? 0 : 1);
    // With pre-flight on, libdcs also waits for an instance in a passing state (RESTORING,
    // RESTARTING, ...) to be RUNNING again.
    check(dcs_call_options_set_wait_while_busy, call.get(), args.has("wait-while-busy") ? 1 : 0);
    // Taken before the call: a restore it starts is created after this instant.
    int64_t since_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    dcs_restore_outcome* outcome = nullptr;
    if (auto error =
            attempt(dcs_restore_instance_ext, session.client(), instance_id.c_str(),
                    backup_id.c_str(), remark ? remark->c_str() : nullptr, call.get(), &outcome)) {
        if (error->sent == DCS_SENT_MAYBE) {
            throw may_have_started(std::move(*error),
                                   find_command(args, instance_id, backup_id, remark, since_ms));
        }
        throw Failure{std::move(*error)};
    }
    RestoreOutcomePtr started(outcome);
    std::string restore_id = dcs_restore_outcome_restore_id(started.get());
    bool adopted = dcs_restore_outcome_adopted(started.get()) != 0;
    if (adopted) {
        // The id did not come from an answer: say so, and why.
        std::fprintf(stderr,
                     "dcsctl: restore %s adopted: an attempt's answer was lost, the service had "
                     "started it (instance %s)\n",
                     restore_id.c_str(), instance_id.c_str());
    }
    if (!wait) {
        Fields result = {{"restore_id", restore_id}};
        if (chosen) {
            result.push_back({"backup_id", backup_id});
        }
        result.push_back(boolean_field("adopted", adopted));
        print_result(session, result);
        return 0;
    }
    // The id first, so that an interrupted wait still tells what was started.
    if (!adopted) {
        std::fprintf(stderr, "dcsctl: restore %s started on instance %s\n", restore_id.c_str(),
                     instance_id.c_str());
    }

    ProgressDisplay display(stderr, "restore " + restore_id);
    WaitProgress progress{&display, std::nullopt};
    auto options = make<WaitOptionsPtr>(dcs_wait_options_new);
    // A wait ends by its deadline, which is at most DCS_MAX_TIMEOUT_MS away, so a longer
    // --poll-interval waits exactly as that one does.
    int64_t interval = std::min(session.poll_interval_ms(), DCS_MAX_TIMEOUT_MS);
    check(dcs_wait_options_set_max_poll_interval_ms, options.get(),
          std::max<int64_t>(interval, 10000));
    check(dcs_wait_options_set_poll_interval_ms, options.get(), interval);
    check(dcs_wait_options_set_wait_for_instance, options.get(), wait_instance ? 1 : 0);
    check(dcs_wait_options_set_progress_callback, options.get(), on_progress,
          static_cast<void*>(&progress));
    dcs_restore_record* final_record = nullptr;
    auto error =
        attempt(dcs_wait_for_restore, session.client(), instance_id.c_str(), restore_id.c_str(),
                options.get(), session.call_options().get(), &final_record);
    display.finish();
    if (error) {
        // A failed restore still has a record worth showing; the error line follows.
        if (error->status == DCS_E_RESTORE_FAILED && progress.last_seen) {
            print_result(session, with_adopted(std::move(*progress.last_seen), adopted));
        }
        throw Failure{std::move(*error)};
    }
    RestoreRecordPtr finished(final_record);
    print_result(session, with_adopted(fields_of(finished.get()), adopted));
    return 0;
}

}  // namespace

std::vector<CommandSpec> restore_commands() {
    return {{
        "restore",
        "",
        "restore an instance from one of its backups",
        "--instance ID (--backup ID | [--backup latest] [--before TIME] [--backup-type "
        "manual|auto] [--backup-name NAME]) [--dry-run] [--remark TEXT] [--wait] "
        "[--wait-instance] [--no-preflight] [--timeout DURATION] [--attempt-timeout DURATION] "
        "[--reconcile-window DURATION] [--wait-while-busy] [--poll-interval DURATION] [--json]\n"
        "   or: dcsctl restore --plan FILE [--parallel N] [--again] [--dry-run] [--wait] "
        "[--wait-instance] [the options above that name no instance or backup]",
        "Starts restoring the instance's data from the backup and prints the restore id, and\n"
        "whether it was adopted (below). Before starting, a pre-flight check makes sure the\n"
        "instance is RUNNING and not single-node, and that the backup belongs to it,\n"
        "succeeded and supports restore; a failed check exits 3 and starts nothing\n"
        "(--no-preflight skips it and leaves the judgement to the service).\n"
        "\n"
        "Instead of an id, --backup latest restores the newest restorable backup (status\n"
        "succeed, is_support_restore TRUE), and --before TIME (2026-11-27T10:00:00Z, or a\n"
        "duration ago: 2h) the newest one created before that time; --backup-type manual|auto\n"
        "and --backup-name NAME narrow the choice (each implies --backup latest). The chosen\n"
        "backup (id, name, type, creation time, age, size) is printed on stderr before the\n"
        "restore starts; when none matches, dcsctl exits 3 and starts nothing.\n"
        "\n"
        "--dry-run runs the pre-flight checks, chooses the backup and prints what would happen\n"
        "(the instance, its status and cache mode, the backup, its age and size, each check)\n"
        "without starting anything: exit 0 when the restore would start, 3 when a check fails.\n"
        "\n"
        "A restore is never started twice. The request is sent again only after an answer\n"
        "that proves nothing started (the instance is busy, the request was throttled, or\n"
        "the connection failed before it was sent). When an answer is lost - none within\n"
        "the attempt timeout, a closed connection, a 5xx, an unreadable reply - the request\n"
        "is not sent again: dcsctl looks in the restore records, for up to the reconcile\n"
        "window, for the restore of this backup and remark it may have started, and adopts\n"
        "it (\"adopted\": true, and a note on stderr). If none is listed in time, the restore\n"
        "is unresolved: dcsctl exits non-zero (3, 4, 6 or 1, as the failure was) and prints\n"
        "the 'dcsctl restores find' command that tells later whether it started. Run that,\n"
        "not the restore again.\n"
        "\n"
        "--attempt-timeout limits each request (default: a quarter of --timeout, between 1s\n"
        "and 60s); --reconcile-window is how long a lost answer's restore is looked for\n"
        "(default 30s; 0 = look once). Both can be set in the config file as well\n"
        "(attempt_timeout, reconcile_window). --wait-while-busy waits until --timeout while\n"
        "the instance is busy instead of failing: a RESTORING, RESTARTING, CREATING,\n"
        "EXTENDING or FLUSHING instance is waited for (in the pre-flight check), and busy\n"
        "answers are retried beyond the usual 4 attempts.\n"
        "\n"
        "With --wait, follows the restore until it ends: a progress bar on stderr when it is\n"
        "a terminal, else one line per change, then the final restore record (plus\n"
        "\"adopted\") on stdout. Exit code 5 when the restore ends \"failed\". --wait-instance\n"
        "(implies --wait) also waits for the instance to be RUNNING again.\n"
        "\n"
        "--timeout bounds the whole command, waiting included (default: 2 minutes for the\n"
        "request, 30 minutes for the wait). Ctrl-C cancels cleanly and exits 130; the\n"
        "restore, once started, goes on in the service.\n"
        "\n"
        "--plan FILE restores many instances: FILE is JSON, {\"restores\": [{\"instance_id\":\n"
        "ID, \"backup\": ID|\"latest\", \"before\": TIME, \"backup_type\": \"manual\"|\"auto\",\n"
        "\"backup_name\": NAME, \"remark\": TEXT}, ...]} (- reads stdin). The whole file is\n"
        "checked first (unknown keys, ids, an instance listed twice: exit 2, nothing sent).\n"
        "--parallel N (1-16, default 4) instances are restored at a time; each line on stderr\n"
        "begins with its instance id. stdout gets a table, or with --json one summary object:\n"
        "ok, dry_run, total, failed_count, failed (the instance ids) and restores, one per\n"
        "instance (instance_id, backup_id, restore_id, adopted, action, status, ok, error,\n"
        "error_code). The exit code is 0 when every instance is fine, else the code its\n"
        "failures share (1 when they differ); the failed instances are named on stderr.\n"
        "Running a plan again never restores an instance twice: the instance's restore\n"
        "records are read first, a restore of the same backup and remark still in flight is\n"
        "adopted (action \"adopted\", no request sent), and an instance whose newest restore\n"
        "is a succeeded one of that backup and remark is left as it is (\"already_restored\")\n"
        "unless --again is given. So after an interrupted or unresolved run, run the plan\n"
        "again. --dry-run checks every instance and starts nothing.",
        {"instance", "backup", "before", "backup-type", "backup-name", "dry-run", "remark", "wait",
         "wait-instance", "no-preflight", "timeout", "attempt-timeout", "reconcile-window",
         "wait-while-busy", "poll-interval", "json", "plan", "parallel", "again"},
        run_restore,
    }};
}

}  // namespace dcsctl
