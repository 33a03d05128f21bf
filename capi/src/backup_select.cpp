// Choosing a backup by time, type and name, and a restore's dry run: the selector's setters,
// dcs_select_backup, dcs_plan_restore and the plan's getters. Every rule (what is
// restorable, the limits of each filter, the checks) is the core's (backup_select.hpp).
#include "guard.hpp"
#include "validate.hpp"

using dcs::capi::fail;
using dcs::capi::guarded;
using dcs::capi::kOk;
using dcs::capi::null_argument;
using dcs::capi::optional_string;
using dcs::core::BackupSelector;

namespace {

// Changes one field of a copy of the selector and keeps the copy only if the core's
// validators accept it (`change` may report a problem of its own value first), so a refused
// value leaves the selector as it was.
template <class Change>
dcs_status update(dcs_backup_selector* sel, dcs_error** out_err, Change&& change) {
    return guarded(out_err, [&] {
        if (sel == nullptr) {
            return null_argument(out_err, "selector");
        }
        BackupSelector updated = sel->selector;
        std::optional<dcs::core::Error> problem = change(updated);
        if (!problem) {
            problem = dcs::core::validate_selector(updated);
        }
        if (problem) {
            return fail(out_err, std::move(*problem));
        }
        sel->selector = std::move(updated);
        return kOk;
    });
}

// The checks both calls make before anything is sent: the handle, the output and the id.
dcs_status check_call(dcs_client* client, const char* instance_id, const void* out,
                      dcs_error** out_err) {
    if (client == nullptr || !client->client) {
        return null_argument(out_err, "client");
    }
    if (out == nullptr) {
        return null_argument(out_err, "out");
    }
    if (instance_id == nullptr) {
        return null_argument(out_err, "instance_id");
    }
    return kOk;
}

const BackupSelector& selector_of(const dcs_backup_selector* sel) {
    static const BackupSelector kNewestRestorable;
    return sel != nullptr ? sel->selector : kNewestRestorable;
}

const dcs::core::CallOptions& options_of(const dcs_call_options* call) {
    static const dcs::core::CallOptions kDefaults;
    return call != nullptr ? call->options : kDefaults;
}

const dcs::core::RestoreCheck* check_at(const dcs_restore_plan* p, size_t index) {
    return p != nullptr && index < p->checks.size() ? &p->checks[index] : nullptr;
}

}  // namespace

extern "C" {

DCS_API dcs_status dcs_backup_selector_new(dcs_backup_selector** out, dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (out == nullptr) {
            return null_argument(out_err, "out");
        }
        *out = new dcs_backup_selector();
        return kOk;
    });
}

DCS_API void dcs_backup_selector_free(dcs_backup_selector* sel) { delete sel; }

DCS_API dcs_status dcs_backup_selector_set_before_ms(dcs_backup_selector* sel, int64_t epoch_ms,
                                                     dcs_error** out_err) {
    return update(sel, out_err, [&](BackupSelector& s) {
        s.before_ms = epoch_ms;
        return std::optional<dcs::core::Error>();
    });
}

// An id or a type given as "" is refused, not read as "no filter": only NULL clears one.
DCS_API dcs_status dcs_backup_selector_set_backup_type(dcs_backup_selector* sel,
                                                       const char* backup_type,
                                                       dcs_error** out_err) {
    return update(sel, out_err, [&](BackupSelector& s) {
        s.backup_type = optional_string(backup_type).value_or(std::string());
        return backup_type != nullptr ? dcs::core::validate_backup_type(backup_type) : std::nullopt;
    });
}

DCS_API dcs_status dcs_backup_selector_set_backup_name(dcs_backup_selector* sel,
                                                       const char* backup_name,
                                                       dcs_error** out_err) {
    return update(sel, out_err, [&](BackupSelector& s) {
        s.backup_name = optional_string(backup_name).value_or(std::string());
        return std::optional<dcs::core::Error>();
    });
}

DCS_API dcs_status dcs_backup_selector_set_backup_id(dcs_backup_selector* sel,
                                                     const char* backup_id, dcs_error** out_err) {
    return update(sel, out_err, [&](BackupSelector& s) {
        s.backup_id = optional_string(backup_id).value_or(std::string());
        return backup_id != nullptr ? dcs::core::validate_id("backup_id", backup_id) : std::nullopt;
    });
}

DCS_API dcs_status dcs_select_backup(dcs_client* client, const char* instance_id,
                                     const dcs_backup_selector* sel, const dcs_call_options* call,
                                     dcs_backup_record** out, dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check_call(client, instance_id, out, out_err)) {
            return s;
        }
        auto chosen =
            client->client->select_backup(instance_id, selector_of(sel), options_of(call));
        if (!chosen) {
            return fail(out_err, std::move(chosen).error());
        }
        *out = new dcs_backup_record{std::move(chosen.value())};
        return kOk;
    });
}

DCS_API dcs_status dcs_plan_restore(dcs_client* client, const char* instance_id,
                                    const dcs_backup_selector* sel, const dcs_call_options* call,
                                    dcs_restore_plan** out, dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check_call(client, instance_id, out, out_err)) {
            return s;
        }
        auto planned =
            client->client->plan_restore(instance_id, selector_of(sel), options_of(call));
        if (!planned) {
            return fail(out_err, std::move(planned).error());
        }
        dcs::core::RestorePlan& plan = planned.value();
        auto held = std::make_unique<dcs_restore_plan>();
        held->instance.info = std::move(plan.instance);
        if (plan.backup) {
            held->backup = dcs_backup_record{std::move(*plan.backup)};
        }
        held->backup_age_ms = plan.backup_age_ms;
        held->checks = std::move(plan.checks);
        held->would_start = plan.would_start;
        *out = held.release();
        return kOk;
    });
}

DCS_API int dcs_restore_plan_would_start(const dcs_restore_plan* p) {
    return p != nullptr && p->would_start ? 1 : 0;
}

DCS_API const dcs_instance* dcs_restore_plan_instance(const dcs_restore_plan* p) {
    return p != nullptr ? &p->instance : nullptr;
}

DCS_API const dcs_backup_record* dcs_restore_plan_backup(const dcs_restore_plan* p) {
    return p != nullptr && p->backup ? &*p->backup : nullptr;
}

DCS_API int64_t dcs_restore_plan_backup_age_ms(const dcs_restore_plan* p) {
    return p != nullptr && p->backup ? p->backup_age_ms : -1;
}

DCS_API size_t dcs_restore_plan_check_count(const dcs_restore_plan* p) {
    return p != nullptr ? p->checks.size() : 0;
}

DCS_API const char* dcs_restore_plan_check_name(const dcs_restore_plan* p, size_t index) {
    const auto* check = check_at(p, index);
    return check != nullptr ? check->name.c_str() : "";
}

DCS_API int dcs_restore_plan_check_passed(const dcs_restore_plan* p, size_t index) {
    const auto* check = check_at(p, index);
    return check != nullptr && check->passed ? 1 : 0;
}

DCS_API const char* dcs_restore_plan_check_detail(const dcs_restore_plan* p, size_t index) {
    const auto* check = check_at(p, index);
    return check != nullptr ? check->detail.c_str() : "";
}

DCS_API void dcs_restore_plan_free(dcs_restore_plan* p) { delete p; }

}  // extern "C"
