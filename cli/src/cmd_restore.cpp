// dcsctl restore: start a restore, optionally wait for it with a progress display.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "commands.hpp"
#include "json_output.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace dcsctl {
namespace {

using dcs::core::RestoreRecord;

void print_result(const Session& session, const Fields& fields) {
    if (session.json()) {
        print_json_record(stdout, fields);
    } else {
        print_record(stdout, fields);
    }
}

int run_restore(Session& session) {
    const ParsedArgs& args = session.args();
    std::string instance_id = args.required("instance");
    std::string backup_id = args.required("backup");
    std::optional<std::string> remark = args.get("remark");
    bool wait_instance = args.has("wait-instance");
    bool wait = args.has("wait") || wait_instance;

    dcs::core::CallOptions call = session.call_options();
    call.preflight = !args.has("no-preflight");
    auto started = session.client().restore_instance(instance_id, backup_id, remark, call);
    if (!started) {
        dcs::core::Error error = std::move(started).error();
        if (error.sent == dcs::core::Sent::Maybe) {
            error.message +=
                "; the restore may have started: check 'dcsctl restores list "
                "--instance " +
                instance_id + "' before retrying";
        }
        throw Failure{std::move(error)};
    }
    std::string restore_id = std::move(started).value();
    if (!wait) {
        print_result(session, {{"restore_id", restore_id}});
        return 0;
    }
    // The id first, so that an interrupted wait still tells what was started.
    std::fprintf(stderr, "dcsctl: restore %s started on instance %s\n", restore_id.c_str(),
                 instance_id.c_str());

    std::optional<RestoreRecord> last_seen;
    ProgressDisplay progress(stderr, "restore " + restore_id);
    dcs::core::WaitOptions options;
    options.poll_interval_ms = session.poll_interval_ms();
    options.max_poll_interval_ms = std::max<int64_t>(options.poll_interval_ms, 10000);
    options.wait_for_instance = wait_instance;
    options.on_progress = [&](const RestoreRecord& record) {
        last_seen = record;
        progress.update(record.status, record.progress);
    };
    auto finished =
        session.client().wait_for_restore(instance_id, restore_id, options, session.call_options());
    progress.finish();
    if (!finished) {
        // A failed restore still has a record worth showing; the error line follows.
        if (finished.error().status == dcs::core::Status::RestoreFailed && last_seen) {
            print_result(session, fields_of(*last_seen));
        }
        throw Failure{std::move(finished).error()};
    }
    print_result(session, fields_of(finished.value()));
    return 0;
}

}  // namespace

std::vector<CommandSpec> restore_commands() {
    return {{
        "restore",
        "",
        "restore an instance from one of its backups",
        "--instance ID --backup ID [--remark TEXT] [--wait] [--wait-instance] [--no-preflight] "
        "[--timeout DURATION] [--poll-interval DURATION] [--json]",
        "Starts restoring the instance's data from the backup and prints the restore id.\n"
        "Before starting, a pre-flight check makes sure the instance is RUNNING and not\n"
        "single-node, and that the backup belongs to it, succeeded and supports restore;\n"
        "a failed check exits 3 and starts nothing (--no-preflight skips it and leaves the\n"
        "judgement to the service). A restore is never started twice, even when a request\n"
        "is retried.\n"
        "\n"
        "With --wait, follows the restore until it ends: a progress bar on stderr when it is\n"
        "a terminal, else one line per change, then the final restore record on stdout.\n"
        "Exit code 5 when the restore ends \"failed\". --wait-instance (implies --wait) also\n"
        "waits for the instance to be RUNNING again.\n"
        "\n"
        "--timeout bounds the whole command, waiting included (default: 2 minutes for the\n"
        "request, 30 minutes for the wait). Ctrl-C cancels cleanly and exits 130; the\n"
        "restore, once started, goes on in the service.",
        {"instance", "backup", "remark", "wait", "wait-instance", "no-preflight", "timeout",
         "poll-interval", "json"},
        run_restore,
    }};
}

}  // namespace dcsctl
