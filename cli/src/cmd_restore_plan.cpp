// dcsctl restore --plan FILE: restore many instances, each from its own backup, N at a time.
//
// Each instance runs on a worker thread of its own; all of them share the run's one
// dcs_client (safe for concurrent calls: its connection pool is shared too), its --timeout
// budget and its cancel token, so Ctrl-C ends every call in flight at once.
//
// Re-running a plan must never restore an instance twice. Before posting, each worker reads
// the instance's restore records and decides from the service's side, not from any local
// state file (an interrupted run may have left none, or it may be run from another host):
//  - a restore of the same backup and remark still waiting or restoring is adopted (followed
//    with --wait), with no POST: an earlier run of this plan started it;
//  - a restore of another backup (or with another remark) in flight means the instance is
//    busy with someone else's restore: that instance fails, nothing is posted;
//  - when the instance's newest restore is a succeeded restore of the same backup and remark,
//    the instance counts as done ("already_restored"): what an operator wants after an
//    interrupted run is the rest of the fleet restored, not the finished instances rolled
//    back a second time over the writes they took since. --again restores them again.
// A restore whose answer was lost and could not be found ("unresolved") is therefore safe to
// settle by re-running the same plan: it adopts the restore if it started, and starts it if
// it did not.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "json_output.hpp"
#include "plan_file.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace dcsctl {
namespace {

constexpr int kDefaultParallel = 4;
// Enough to restore a fleet quickly without looking like a flood to the service's throttle.
constexpr int kMaxParallel = 16;

// The options of a single restore that the plan replaces, entry by entry.
const char* const kPerInstanceOptions[] = {"instance",    "backup",      "before",
                                           "backup-type", "backup-name", "remark"};

// What happened to one instance (the "action" of the summary).
enum class Action {
    kNone,             // nothing was started: the instance failed before, or was not reached
    kStarted,          // posted by this run
    kAdopted,          // a restore of this backup was already in flight: followed, not posted
    kAlreadyRestored,  // its newest restore, of this backup, succeeded: not posted again
    kWouldStart,       // dry run
    kWouldNotStart,    // dry run: a check failed
};

const char* action_name(Action action) {
    switch (action) {
        case Action::kStarted:
            return "started";
        case Action::kAdopted:
            return "adopted";
        case Action::kAlreadyRestored:
            return "already_restored";
        case Action::kWouldStart:
            return "would_start";
        case Action::kWouldNotStart:
            return "would_not_start";
        case Action::kNone:
        default:
            return "none";
    }
}

struct InstanceResult {
    std::string backup_id;
    std::string restore_id;
    bool adopted = false;  // the restore id came from the records, not from a POST's answer
    Action action = Action::kNone;
    std::string status;  // the restore record's status as last seen ("" when none)
    std::optional<Error> error;
    // Dry run: each pre-flight check by name, and whether it passed (names are copied: the
    // plan that lent them is gone when the summary is printed).
    std::vector<std::pair<std::string, bool>> checks;
};

struct RunFlags {
    bool dry_run = false;
    bool wait = false;
    bool wait_instance = false;
    bool again = false;
    bool preflight = true;
    bool wait_while_busy = false;
};

// stderr shared by the workers: each line is written whole under one lock and begins with
// its instance id, so the lines of several instances interleave but never mix. Never any
// terminal control codes: N bars cannot be redrawn in place on one line.
class Lines {
   public:
    void say(const std::string& instance_id, const std::string& text) {
        std::lock_guard<std::mutex> lock(mu_);
        std::fprintf(stderr, "%s: %s\n", instance_id.c_str(), text.c_str());
        std::fflush(stderr);
    }

    // The error line of a single restore (exit_codes.hpp), naming the instance.
    void error(const std::string& instance_id, Error error) {
        error.message = instance_id + ": " +
                        (error.message.empty() ? dcs_status_str(error.status) : error.message);
        std::lock_guard<std::mutex> lock(mu_);
        print_error(error);
        std::fflush(stderr);
    }

   private:
    std::mutex mu_;
};

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Error make_error(dcs_status status, std::string message) {
    Error error;
    error.status = status;
    error.message = std::move(message);
    return error;
}

// The entry's choice of backup as libdcs's selector (a named backup as a selector of its id,
// so that a dry run plans it the same way).
BackupSelectorPtr selector_of(const PlanEntry& entry) {
    auto selector = make<BackupSelectorPtr>(dcs_backup_selector_new);
    if (entry.backup_id) {
        check(dcs_backup_selector_set_backup_id, selector.get(), entry.backup_id->c_str());
    }
    if (entry.before_ms) {
        check(dcs_backup_selector_set_before_ms, selector.get(), *entry.before_ms);
    }
    if (entry.backup_type) {
        check(dcs_backup_selector_set_backup_type, selector.get(), entry.backup_type->c_str());
    }
    if (entry.backup_name) {
        check(dcs_backup_selector_set_backup_name, selector.get(), entry.backup_name->c_str());
    }
    return selector;
}

// What the instance's restore records say about restoring `backup_id` with `remark`.
struct Earlier {
    enum Kind { kNothing, kInFlight, kBusyElsewhere, kDone } kind = kNothing;
    std::string restore_id;
    std::string backup_id;
    std::string status;
};

bool is_in_flight(const std::string& status) {
    return status == "waiting" || status == "restoring";
}

Earlier look_for_earlier(const Session& session, const PlanEntry& entry,
                         const std::string& backup_id) {
    auto filter = make<ListOptionsPtr>(dcs_list_options_new);
    auto list = make<RestoreListPtr>(dcs_list_restores, session.client(), entry.instance_id.c_str(),
                                     filter.get(), session.call_options().get());
    const std::string remark = entry.remark.value_or("");
    const dcs_restore_record* newest = nullptr;
    Earlier earlier;
    for (size_t i = 0; i < dcs_restore_list_count(list.get()); ++i) {
        const dcs_restore_record* record = dcs_restore_list_at(list.get(), i);
        const std::string status = dcs_restore_record_status(record);
        const bool same = backup_id == dcs_restore_record_backup_id(record) &&
                          remark == dcs_restore_record_restore_remark(record);
        if (is_in_flight(status) && earlier.kind != Earlier::kInFlight) {
            // Ours wins over someone else's, should the records show both.
            earlier = {same ? Earlier::kInFlight : Earlier::kBusyElsewhere,
                       dcs_restore_record_restore_id(record), dcs_restore_record_backup_id(record),
                       status};
        }
        if (newest == nullptr ||
            dcs_restore_record_created_at_ms(record) >= dcs_restore_record_created_at_ms(newest)) {
            newest = record;
        }
    }
    if (earlier.kind != Earlier::kNothing || newest == nullptr) {
        return earlier;
    }
    if (std::string(dcs_restore_record_status(newest)) == "succeed" &&
        backup_id == dcs_restore_record_backup_id(newest) &&
        remark == dcs_restore_record_restore_remark(newest)) {
        return {Earlier::kDone, dcs_restore_record_restore_id(newest), backup_id, "succeed"};
    }
    return earlier;
}

// The worker's view of the run: shared, read-only but for its own result.
struct PlanRun {
    Session* session;
    RunFlags flags;
    Lines lines;
};

// The wait's progress callback: one line per change of status or progress.
struct WaitLines {
    PlanRun* run;
    const std::string* instance_id;
    std::string restore_id;
    std::string last_status;
    std::string last_progress;
    bool shown = false;
};

void on_progress(void* user_data, const dcs_restore_record* record) {
    auto* wait = static_cast<WaitLines*>(user_data);
    // Nothing may be thrown back into libdcs: a line that cannot be built is only not shown.
    try {
        std::string status = dcs_restore_record_status(record);
        std::string progress = dcs_restore_record_progress(record);
        if (wait->shown && status == wait->last_status && progress == wait->last_progress) {
            return;
        }
        wait->shown = true;
        wait->last_status = status;
        wait->last_progress = progress;
        wait->run->lines.say(
            *wait->instance_id,
            "restore " + wait->restore_id + ": " +
                ProgressDisplay::render(status, dcs_restore_record_progress_percent(record)));
    } catch (...) {
    }
}

void wait_for(PlanRun& run, const PlanEntry& entry, InstanceResult& result) {
    const Session& session = *run.session;
    WaitLines lines{&run, &entry.instance_id, result.restore_id, "", "", false};
    auto options = make<WaitOptionsPtr>(dcs_wait_options_new);
    const int64_t interval = std::min(session.poll_interval_ms(), DCS_MAX_TIMEOUT_MS);
    check(dcs_wait_options_set_max_poll_interval_ms, options.get(),
          std::max<int64_t>(interval, 10000));
    check(dcs_wait_options_set_poll_interval_ms, options.get(), interval);
    check(dcs_wait_options_set_wait_for_instance, options.get(), run.flags.wait_instance ? 1 : 0);
    check(dcs_wait_options_set_progress_callback, options.get(), on_progress,
          static_cast<void*>(&lines));
    dcs_restore_record* final_record = nullptr;
    auto error = attempt(dcs_wait_for_restore, session.client(), entry.instance_id.c_str(),
                         result.restore_id.c_str(), options.get(), session.call_options().get(),
                         &final_record);
    RestoreRecordPtr finished(final_record);
    if (lines.shown) {
        result.status = lines.last_status;
    }
    if (error) {
        if (error->status == DCS_E_RESTORE_FAILED) {
            result.status = "failed";
        }
        throw Failure{std::move(*error)};
    }
    result.status = dcs_restore_record_status(finished.get());
}

void dry_run_one(PlanRun& run, const PlanEntry& entry, InstanceResult& result) {
    const Session& session = *run.session;
    auto selector = selector_of(entry);
    auto plan = make<RestorePlanPtr>(dcs_plan_restore, session.client(), entry.instance_id.c_str(),
                                     selector.get(), session.call_options().get());
    const dcs_backup_record* backup = dcs_restore_plan_backup(plan.get());
    result.backup_id = backup != nullptr ? dcs_backup_record_backup_id(backup) : "";
    std::string failed;
    for (size_t i = 0; i < dcs_restore_plan_check_count(plan.get()); ++i) {
        const bool passed = dcs_restore_plan_check_passed(plan.get(), i) != 0;
        result.checks.emplace_back(dcs_restore_plan_check_name(plan.get(), i), passed);
        if (!passed && failed.empty()) {
            failed = dcs_restore_plan_check_detail(plan.get(), i);
        }
    }
    if (!result.backup_id.empty()) {
        // A real run would adopt or skip before any pre-flight check (which an instance that
        // is RESTORING fails): the dry run says the same.
        Earlier earlier = look_for_earlier(session, entry, result.backup_id);
        if (earlier.kind == Earlier::kInFlight || earlier.kind == Earlier::kDone) {
            result.action =
                earlier.kind == Earlier::kInFlight ? Action::kAdopted : Action::kAlreadyRestored;
            result.restore_id = earlier.restore_id;
            result.adopted = true;
            result.status = earlier.status;
            run.lines.say(entry.instance_id,
                          std::string("dry run: would ") +
                              (earlier.kind == Earlier::kInFlight ? "adopt restore "
                                                                  : "skip: already restored by ") +
                              earlier.restore_id + " of backup " + result.backup_id +
                              "; nothing was sent");
            return;
        }
    }
    if (dcs_restore_plan_would_start(plan.get()) != 0) {
        result.action = Action::kWouldStart;
        run.lines.say(entry.instance_id,
                      "dry run: would restore backup " + result.backup_id + "; nothing was sent");
        return;
    }
    result.action = Action::kWouldNotStart;
    throw Failure{make_error(DCS_E_PRECONDITION, "dry run: would not start: " + failed)};
}

void restore_one(PlanRun& run, const PlanEntry& entry, InstanceResult& result) {
    const Session& session = *run.session;
    if (entry.backup_id) {
        result.backup_id = *entry.backup_id;
    } else {
        auto selector = selector_of(entry);
        auto chosen =
            make<BackupRecordPtr>(dcs_select_backup, session.client(), entry.instance_id.c_str(),
                                  selector.get(), session.call_options().get());
        result.backup_id = dcs_backup_record_backup_id(chosen.get());
        run.lines.say(entry.instance_id, "chose backup " + result.backup_id + " (" +
                                             dcs_backup_record_backup_name(chosen.get()) + ", " +
                                             dcs_backup_record_backup_type(chosen.get()) +
                                             ", created " +
                                             dcs_backup_record_created_at(chosen.get()) + ")");
    }

    Earlier earlier = look_for_earlier(session, entry, result.backup_id);
    if (earlier.kind == Earlier::kBusyElsewhere) {
        // Not this plan's restore (another backup, or another remark): neither adopted nor
        // raced; the instance is left to it.
        throw Failure{make_error(DCS_E_BUSY, "not started: the instance is busy with restore " +
                                                 earlier.restore_id + " (backup " +
                                                 earlier.backup_id + ", " + earlier.status +
                                                 "), which is not this plan's")};
    }
    if (earlier.kind == Earlier::kDone && !run.flags.again) {
        result.action = Action::kAlreadyRestored;
        result.restore_id = earlier.restore_id;
        result.adopted = true;
        result.status = earlier.status;
        run.lines.say(entry.instance_id, "already restored from backup " + result.backup_id +
                                             " by restore " + earlier.restore_id +
                                             "; not started again (--again would)");
        return;
    }
    if (earlier.kind == Earlier::kInFlight) {
        result.action = Action::kAdopted;
        result.restore_id = earlier.restore_id;
        result.adopted = true;
        result.status = earlier.status;
        run.lines.say(entry.instance_id, "restore " + earlier.restore_id + " of backup " +
                                             result.backup_id + " is already " + earlier.status +
                                             ": adopted, not started again");
    } else {
        CallOptionsPtr call = session.call_options();
        check(dcs_call_options_set_preflight, call.get(), run.flags.preflight ? 1 : 0);
        check(dcs_call_options_set_wait_while_busy, call.get(), run.flags.wait_while_busy ? 1 : 0);
        dcs_restore_outcome* raw = nullptr;
        if (auto error =
                attempt(dcs_restore_instance_ext, session.client(), entry.instance_id.c_str(),
                        result.backup_id.c_str(), entry.remark ? entry.remark->c_str() : nullptr,
                        call.get(), &raw)) {
            if (error->sent == DCS_SENT_MAYBE) {
                // Settled by the records, as every re-run is (see the top of this file).
                error->message +=
                    " (the restore may have started: run the same plan again, "
                    "which adopts it if it did, rather than restoring by hand)";
            }
            throw Failure{std::move(*error)};
        }
        RestoreOutcomePtr outcome(raw);
        result.action = Action::kStarted;
        result.restore_id = dcs_restore_outcome_restore_id(outcome.get());
        result.adopted = dcs_restore_outcome_adopted(outcome.get()) != 0;
        run.lines.say(entry.instance_id,
                      "restore " + result.restore_id + " started from backup " + result.backup_id +
                          (result.adopted ? " (adopted: the answer was lost, the service had "
                                            "started it)"
                                          : ""));
    }
    if (run.flags.wait) {
        wait_for(run, entry, result);
    }
}

// Runs one entry; nothing leaves a worker thread but its result.
void run_entry(PlanRun& run, const PlanEntry& entry, InstanceResult& result) {
    try {
        if (run.session->interrupted_by() != 0) {
            throw Failure{make_error(DCS_E_CANCELLED, "not started: the run was interrupted")};
        }
        if (run.flags.dry_run) {
            dry_run_one(run, entry, result);
        } else {
            restore_one(run, entry, result);
        }
    } catch (const Failure& failure) {
        result.error = failure.error;
    } catch (const std::exception& e) {
        result.error = make_error(DCS_E_INTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
        result.error = make_error(DCS_E_INTERNAL, "internal error");
    }
    if (result.error) {
        run.lines.error(entry.instance_id, *result.error);
    }
}

int parallel_of(const ParsedArgs& args) {
    auto text = args.get("parallel");
    if (!text) {
        return kDefaultParallel;
    }
    const bool digits =
        !text->empty() && text->size() <= 3 &&
        std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; });
    const int value = digits ? std::stoi(*text) : 0;
    if (value < 1 || value > kMaxParallel) {
        throw UsageError("--parallel must be a whole number from 1 to " +
                         std::to_string(kMaxParallel) + ", not '" + *text + "'");
    }
    return value;
}

Fields summary_fields(const PlanEntry& entry, const InstanceResult& result, bool dry_run) {
    Fields fields = {
        {"instance_id", entry.instance_id},
        {"backup_id", result.backup_id},
        {"restore_id", result.restore_id},
        boolean_field("adopted", result.adopted),
        {"action", action_name(result.action)},
        {"status", result.status},
        boolean_field("ok", !result.error),
        {"error", result.error ? result.error->message : ""},
        {"error_code", result.error ? result.error->service_code : ""},
    };
    if (dry_run) {
        for (const auto& [name, passed] : result.checks) {
            fields.push_back(boolean_field(name.c_str(), passed));
        }
    }
    return fields;
}

// The exit code of the run: 0 when every instance is fine; else the code all the failures
// share (3 when every one was refused, 5 when every restore ended failed, ...), or 1 when
// they differ.
int exit_code_of(const std::vector<InstanceResult>& results) {
    std::optional<int> code;
    for (const auto& result : results) {
        if (!result.error) {
            continue;
        }
        const int mine = exit_code_for(*result.error);
        if (code && *code != mine) {
            return exit_code::kOther;
        }
        code = mine;
    }
    return code.value_or(exit_code::kOk);
}

}  // namespace

int run_restore_plan(Session& session) {
    const ParsedArgs& args = session.args();
    for (const char* option : kPerInstanceOptions) {
        if (args.has(option)) {
            throw UsageError(std::string("--plan names each instance and its backup: --") + option +
                             " cannot be given with it");
        }
    }
    const int parallel = parallel_of(args);
    // The whole plan is read and checked before the first request.
    const std::vector<PlanEntry> entries = read_plan_file(args.required("plan"), now_ms());

    PlanRun run{&session, {}, {}};
    run.flags.dry_run = args.has("dry-run");
    run.flags.wait_instance = args.has("wait-instance");
    run.flags.wait = args.has("wait") || run.flags.wait_instance;
    run.flags.again = args.has("again");
    run.flags.preflight = !args.has("no-preflight");
    run.flags.wait_while_busy = args.has("wait-while-busy");

    std::vector<InstanceResult> results(entries.size());
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i = next++; i < entries.size(); i = next++) {
            run_entry(run, entries[i], results[i]);
        }
    };
    const size_t threads = std::min(entries.size(), static_cast<size_t>(parallel));
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (size_t i = 0; i < threads; ++i) {
        pool.emplace_back(worker);
    }
    for (auto& thread : pool) {
        thread.join();
    }

    std::vector<Fields> rows;
    std::vector<std::string> failed;
    for (size_t i = 0; i < entries.size(); ++i) {
        rows.push_back(summary_fields(entries[i], results[i], run.flags.dry_run));
        if (results[i].error) {
            failed.push_back(entries[i].instance_id);
        }
    }
    if (session.json()) {
        Fields head = {
            boolean_field("ok", failed.empty()),
            boolean_field("dry_run", run.flags.dry_run),
            {"total", std::to_string(entries.size()), true},
            {"failed_count", std::to_string(failed.size()), true},
        };
        print_json_summary(stdout, head, {{"failed", failed}}, "restores", rows);
    } else {
        print_table(
            stdout,
            {"instance_id", "backup_id", "restore_id", "adopted", "action", "status", "error"},
            rows);
    }
    std::fflush(stdout);

    if (!failed.empty()) {
        std::string names;
        for (const auto& id : failed) {
            names += (names.empty() ? "" : ", ") + id;
        }
        std::fprintf(stderr, "dcsctl: %zu of %zu instances failed: %s\n", failed.size(),
                     entries.size(), names.c_str());
    }
    if (int signo = session.interrupted_by(); signo != 0) {
        return 128 + signo;
    }
    return exit_code_of(results);
}

}  // namespace dcsctl
