// The backup choice and dry run of dcsctl restore (restore_choice.hpp). What is restorable,
// what each filter means and which checks a restore must pass are libdcs's rules; this file
// turns flags into a selector and prints what libdcs answered.
#include "restore_choice.hpp"

#include <chrono>
#include <cstdio>
#include <string>

#include "duration.hpp"
#include "exit_codes.hpp"
#include "json_output.hpp"
#include "table.hpp"

namespace dcsctl {

namespace {

// The restore options that choose a backup, besides --backup latest.
const char* const kChoiceOptions[] = {"before", "backup-type", "backup-name"};

constexpr const char* kLatest = "latest";

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// "3d 4h", "2h 5m", "12m", "40s": how old a backup is, as a person reads it.
std::string age_text(int64_t ms) {
    if (ms < 0) {
        return "unknown";
    }
    const int64_t seconds = ms / 1000;
    const int64_t minutes = seconds / 60;
    const int64_t hours = minutes / 60;
    const int64_t days = hours / 24;
    if (days > 0) {
        return std::to_string(days) + "d " + std::to_string(hours % 24) + "h";
    }
    if (hours > 0) {
        return std::to_string(hours) + "h " + std::to_string(minutes % 60) + "m";
    }
    if (minutes > 0) {
        return std::to_string(minutes) + "m";
    }
    return std::to_string(seconds) + "s";
}

// The selector the flags describe; a named backup (--backup ID) becomes a selector of that
// id, so that a dry run of it is planned the same way.
BackupSelectorPtr selector_of(const ParsedArgs& args) {
    auto selector = make<BackupSelectorPtr>(dcs_backup_selector_new);
    if (auto backup = args.get("backup"); backup && *backup != kLatest) {
        check(dcs_backup_selector_set_backup_id, selector.get(), backup->c_str());
    }
    if (auto before = args.get("before")) {
        check(dcs_backup_selector_set_before_ms, selector.get(),
              parse_time_ms("before", *before, now_ms()));
    }
    if (auto type = args.get("backup-type")) {
        check(dcs_backup_selector_set_backup_type, selector.get(), type->c_str());
    }
    if (auto name = args.get("backup-name")) {
        check(dcs_backup_selector_set_backup_name, selector.get(), name->c_str());
    }
    return selector;
}

// What the filters asked for, in the words of --help, for the line that names the choice.
std::string asked_for(const ParsedArgs& args) {
    std::string text = "the newest restorable backup";
    if (auto before = args.get("before")) {
        text += " created before " + format_rfc3339_utc(parse_time_ms("before", *before, now_ms()));
    }
    if (auto type = args.get("backup-type")) {
        text += " of type " + *type;
    }
    if (auto name = args.get("backup-name")) {
        text += " named \"" + *name + "\"";
    }
    return text;
}

std::string size_text(int64_t bytes) {
    return bytes < 0 ? "size unknown" : std::to_string(bytes) + " bytes";
}

Fields plan_fields(const dcs_restore_plan* plan, bool json) {
    const dcs_instance* instance = dcs_restore_plan_instance(plan);
    Fields fields = {
        boolean_field("would_start", dcs_restore_plan_would_start(plan) != 0),
        {"instance_id", dcs_instance_instance_id(instance)},
        {"instance_status", dcs_instance_status(instance)},
        {"cache_mode", dcs_instance_cache_mode(instance)},
    };
    // The same fields with or without a backup ("" and null without), for scripts.
    const dcs_backup_record* backup = dcs_restore_plan_backup(plan);
    auto text = [&](const char* (*get)(const dcs_backup_record*)) {
        return std::string(backup != nullptr ? get(backup) : "");
    };
    const int64_t size = backup != nullptr ? dcs_backup_record_size(backup) : -1;
    const int64_t age_ms = dcs_restore_plan_backup_age_ms(plan);
    fields.push_back({"backup_id", text(dcs_backup_record_backup_id)});
    fields.push_back({"backup_name", text(dcs_backup_record_backup_name)});
    fields.push_back({"backup_type", text(dcs_backup_record_backup_type)});
    fields.push_back({"backup_status", text(dcs_backup_record_status)});
    fields.push_back({"created_at", text(dcs_backup_record_created_at)});
    fields.push_back({"size", size < 0 ? "" : std::to_string(size), true});
    fields.push_back({"backup_age_ms", age_ms < 0 ? "" : std::to_string(age_ms), true});
    if (!json) {
        fields.push_back({"backup_age", age_text(age_ms)});
    }
    // Each check by its name: a boolean in JSON, the verdict and what was found in a table.
    for (size_t i = 0; i < dcs_restore_plan_check_count(plan); ++i) {
        const bool passed = dcs_restore_plan_check_passed(plan, i) != 0;
        const char* name = dcs_restore_plan_check_name(plan, i);
        if (json) {
            fields.push_back(boolean_field(name, passed));
        } else {
            fields.push_back({name, std::string(passed ? "ok: " : "FAILED: ") +
                                        dcs_restore_plan_check_detail(plan, i)});
        }
    }
    return fields;
}

}  // namespace

bool chooses_backup(const ParsedArgs& args) {
    bool filtered = false;
    for (const char* option : kChoiceOptions) {
        filtered = filtered || args.has(option);
    }
    auto backup = args.get("backup");
    if (!backup) {
        if (!filtered) {
            throw UsageError(
                "--backup is required (a backup id, or 'latest'), unless --before, "
                "--backup-type or --backup-name choose one");
        }
        return true;
    }
    if (*backup == kLatest) {
        return true;
    }
    if (filtered) {
        throw UsageError(
            "--before, --backup-type and --backup-name choose a backup: give them "
            "with --backup latest (or without --backup), not with a backup id");
    }
    return false;
}

std::string choose_backup(const Session& session, const std::string& instance_id) {
    auto selector = selector_of(session.args());
    auto chosen = make<BackupRecordPtr>(dcs_select_backup, session.client(), instance_id.c_str(),
                                        selector.get(), session.call_options().get());
    std::string backup_id = dcs_backup_record_backup_id(chosen.get());
    const int64_t created_ms = dcs_backup_record_created_at_ms(chosen.get());
    std::fprintf(
        stderr, "dcsctl: chose backup %s (%s, %s, created %s, %s old, %s): %s of instance %s\n",
        backup_id.c_str(), dcs_backup_record_backup_name(chosen.get()),
        dcs_backup_record_backup_type(chosen.get()), dcs_backup_record_created_at(chosen.get()),
        age_text(created_ms < 0 ? -1 : now_ms() - created_ms).c_str(),
        size_text(dcs_backup_record_size(chosen.get())).c_str(), asked_for(session.args()).c_str(),
        instance_id.c_str());
    return backup_id;
}

int run_dry_run(const Session& session, const std::string& instance_id) {
    auto selector = selector_of(session.args());
    auto plan = make<RestorePlanPtr>(dcs_plan_restore, session.client(), instance_id.c_str(),
                                     selector.get(), session.call_options().get());
    const bool would_start = dcs_restore_plan_would_start(plan.get()) != 0;
    if (session.json()) {
        print_json_record(stdout, plan_fields(plan.get(), true));
    } else {
        print_record(stdout, plan_fields(plan.get(), false));
    }
    std::fflush(stdout);
    if (would_start) {
        std::fprintf(stderr, "dcsctl: dry run: the restore would start; nothing was sent\n");
        return exit_code::kOk;
    }
    for (size_t i = 0; i < dcs_restore_plan_check_count(plan.get()); ++i) {
        if (dcs_restore_plan_check_passed(plan.get(), i) == 0) {
            std::fprintf(stderr, "dcsctl: dry run: the restore would not start: %s\n",
                         dcs_restore_plan_check_detail(plan.get(), i));
        }
    }
    return exit_code::kApi;
}

}  // namespace dcsctl
