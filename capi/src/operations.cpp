// The client and its operations.
#include "guard.hpp"

using dcs::capi::copy_string;
using dcs::capi::fail;
using dcs::capi::guarded;
using dcs::capi::kOk;
using dcs::capi::null_argument;
using dcs::capi::optional_string;

namespace {

const dcs::core::CallOptions& call_of(const dcs_call_options* call) {
    static const dcs::core::CallOptions kDefaults;
    return call != nullptr ? call->options : kDefaults;
}

const dcs::core::ListFilter& filter_of(const dcs_list_options* filter) {
    static const dcs::core::ListFilter kNone;
    return filter != nullptr ? filter->filter : kNone;
}

// Checks the handle, the output pointer and the string arguments every operation shares.
// NULL strings are rejected here rather than read, with the parameter's name.
dcs_status check(dcs_client* client, const void* out, dcs_error** out_err,
                 std::initializer_list<std::pair<const char*, const char*>> strings) {
    if (client == nullptr || !client->client) {
        return null_argument(out_err, "client");
    }
    if (out == nullptr) {
        return null_argument(out_err, "out");
    }
    for (const auto& [name, value] : strings) {
        if (value == nullptr) {
            return null_argument(out_err, name);
        }
    }
    return kOk;
}

// A placeholder for operations that have no output pointer.
const int kNoOutput = 0;

}  // namespace

extern "C" {

DCS_API dcs_status dcs_client_new(const dcs_client_options* opts, dcs_client** out,
                                  dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (opts == nullptr) {
            return null_argument(out_err, "options");
        }
        if (out == nullptr) {
            return null_argument(out_err, "out");
        }
        auto client = dcs::core::Client::create(opts->config);
        if (!client) {
            return fail(out_err, client.error());
        }
        *out = new dcs_client{std::move(client.value())};
        return kOk;
    });
}

DCS_API void dcs_client_free(dcs_client* client) { delete client; }

DCS_API dcs_status dcs_restore_instance_ext(dcs_client* client, const char* instance_id,
                                            const char* backup_id, const char* remark,
                                            const dcs_call_options* call, dcs_restore_outcome** out,
                                            dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check(client, out, out_err,
                                 {{"instance_id", instance_id}, {"backup_id", backup_id}})) {
            return s;
        }
        auto started = client->client->restore_instance(instance_id, backup_id,
                                                        optional_string(remark), call_of(call));
        if (!started) {
            return fail(out_err, std::move(started).error());
        }
        *out = new dcs_restore_outcome{std::move(started.value())};
        return kOk;
    });
}

// The original entry point: the same call, keeping only the id. It calls the core itself
// rather than through dcs_restore_instance_ext, which would allocate an outcome only to
// copy the id out of it and free it.
DCS_API dcs_status dcs_restore_instance(dcs_client* client, const char* instance_id,
                                        const char* backup_id, const char* remark,
                                        const dcs_call_options* call, char** out_restore_id,
                                        dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check(client, out_restore_id, out_err,
                                 {{"instance_id", instance_id}, {"backup_id", backup_id}})) {
            return s;
        }
        auto started = client->client->restore_instance(instance_id, backup_id,
                                                        optional_string(remark), call_of(call));
        if (!started) {
            return fail(out_err, std::move(started).error());
        }
        *out_restore_id = copy_string(started.value().restore_id);
        return kOk;
    });
}

DCS_API dcs_status dcs_find_restore(dcs_client* client, const char* instance_id,
                                    const char* backup_id, const char* remark, int64_t since_ms,
                                    const dcs_call_options* call, dcs_restore_record** out,
                                    dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check(client, out, out_err,
                                 {{"instance_id", instance_id}, {"backup_id", backup_id}})) {
            return s;
        }
        dcs::core::RestoreQuery query{backup_id, optional_string(remark), since_ms};
        auto record = client->client->find_restore(instance_id, query, call_of(call));
        if (!record) {
            return fail(out_err, std::move(record).error());
        }
        *out = new dcs_restore_record{std::move(record.value())};
        return kOk;
    });
}

DCS_API dcs_status dcs_list_restores(dcs_client* client, const char* instance_id,
                                     const dcs_list_options* filter, const dcs_call_options* call,
                                     dcs_restore_list** out, dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check(client, out, out_err, {{"instance_id", instance_id}})) {
            return s;
        }
        auto records = client->client->list_restores(instance_id, filter_of(filter), call_of(call));
        if (!records) {
            return fail(out_err, std::move(records).error());
        }
        auto list = std::make_unique<dcs_restore_list>();
        list->records.reserve(records.value().size());
        for (auto& r : records.value()) {
            list->records.push_back(dcs_restore_record{std::move(r)});
        }
        *out = list.release();
        return kOk;
    });
}

DCS_API dcs_status dcs_get_restore(dcs_client* client, const char* instance_id,
                                   const char* restore_id, const dcs_call_options* call,
                                   dcs_restore_record** out, dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check(client, out, out_err,
                                 {{"instance_id", instance_id}, {"restore_id", restore_id}})) {
            return s;
        }
        auto record = client->client->get_restore(instance_id, restore_id, call_of(call));
        if (!record) {
            return fail(out_err, std::move(record).error());
        }
        *out = new dcs_restore_record{std::move(record.value())};
        return kOk;
    });
}

DCS_API dcs_status dcs_wait_for_restore(dcs_client* client, const char* instance_id,
                                        const char* restore_id, const dcs_wait_options* wait,
                                        const dcs_call_options* call, dcs_restore_record** out,
                                        dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check(client, &kNoOutput, out_err,
                                 {{"instance_id", instance_id}, {"restore_id", restore_id}})) {
            return s;
        }
        dcs::core::WaitOptions options = wait != nullptr ? wait->options : dcs::core::WaitOptions{};
        if (wait != nullptr && wait->progress != nullptr) {
            dcs_restore_progress_fn fn = wait->progress;
            void* user = wait->progress_user_data;
            options.on_progress = [fn, user](const dcs::core::RestoreRecord& r) {
                dcs_restore_record view{r};
                fn(user, &view);
            };
        }
        auto record =
            client->client->wait_for_restore(instance_id, restore_id, options, call_of(call));
        if (!record) {
            return fail(out_err, std::move(record).error());
        }
        if (out != nullptr) {
            *out = new dcs_restore_record{std::move(record.value())};
        }
        return kOk;
    });
}

DCS_API dcs_status dcs_list_backups(dcs_client* client, const char* instance_id,
                                    const dcs_list_options* filter, const dcs_call_options* call,
                                    dcs_backup_list** out, dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check(client, out, out_err, {{"instance_id", instance_id}})) {
            return s;
        }
        auto records = client->client->list_backups(instance_id, filter_of(filter), call_of(call));
        if (!records) {
            return fail(out_err, std::move(records).error());
        }
        auto list = std::make_unique<dcs_backup_list>();
        list->records.reserve(records.value().size());
        for (auto& r : records.value()) {
            list->records.push_back(dcs_backup_record{std::move(r)});
        }
        *out = list.release();
        return kOk;
    });
}

DCS_API dcs_status dcs_create_backup(dcs_client* client, const char* instance_id,
                                     const char* remark, const char* backup_format,
                                     const dcs_call_options* call, char** out_backup_id,
                                     dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check(client, out_backup_id, out_err, {{"instance_id", instance_id}})) {
            return s;
        }
        auto id = client->client->create_backup(instance_id, optional_string(remark),
                                                optional_string(backup_format), call_of(call));
        if (!id) {
            return fail(out_err, std::move(id).error());
        }
        *out_backup_id = copy_string(id.value());
        return kOk;
    });
}

DCS_API dcs_status dcs_delete_backup(dcs_client* client, const char* instance_id,
                                     const char* backup_id, const dcs_call_options* call,
                                     dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check(client, &kNoOutput, out_err,
                                 {{"instance_id", instance_id}, {"backup_id", backup_id}})) {
            return s;
        }
        auto done = client->client->delete_backup(instance_id, backup_id, call_of(call));
        if (!done) {
            return fail(out_err, std::move(done).error());
        }
        return kOk;
    });
}

DCS_API dcs_status dcs_show_instance(dcs_client* client, const char* instance_id,
                                     const dcs_call_options* call, dcs_instance** out,
                                     dcs_error** out_err) {
    return guarded(out_err, [&] {
        if (dcs_status s = check(client, out, out_err, {{"instance_id", instance_id}})) {
            return s;
        }
        auto info = client->client->show_instance(instance_id, call_of(call));
        if (!info) {
            return fail(out_err, std::move(info).error());
        }
        *out = new dcs_instance{std::move(info.value())};
        return kOk;
    });
}

}  // extern "C"
