#include "client.hpp"

#include <algorithm>
#include <chrono>

#include "http_errors.hpp"
#include "validate.hpp"

namespace dcs::core {
namespace {

constexpr const char* kVersion = "1.0.0";
// The list calls' largest page (dcs-api.md §1.2: limit 1-1000).
constexpr int64_t kPageSize = 1000;
// A guard against a service that keeps answering full pages forever.
constexpr int64_t kMaxPages = 1000;

// A quarter of the call, so that a request the service never answers leaves time to
// retry it or to find out what it did; at least 1 s (or the whole call, if shorter) and at
// most 60 s (a DCS API answer that takes longer is not coming).
int64_t automatic_attempt_timeout_ms(int64_t call_timeout_ms) {
    constexpr int64_t kFloorMs = 1000;
    constexpr int64_t kCapMs = 60000;
    return std::clamp(call_timeout_ms / 4, std::min(call_timeout_ms, kFloorMs), kCapMs);
}

int64_t elapsed_ms(SteadyClock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - since)
        .count();
}

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

std::optional<Error> validate_call_options(const CallOptions& options) {
    if (auto err = validate_duration_ms("call timeout", options.timeout_ms, true, kMaxTimeoutMs)) {
        return err;
    }
    if (auto err = validate_duration_ms("attempt timeout", options.attempt_timeout_ms, true,
                                        kMaxTimeoutMs)) {
        return err;
    }
    if (auto err = validate_duration_ms("reconcile window", options.reconcile_window_ms, true,
                                        kMaxReconcileWindowMs)) {
        return err;
    }
    if (options.max_attempts < 0 || options.max_attempts > kMaxAttempts) {
        return make_error(Status::InvalidArgument, "max attempts must be between 0 and 100");
    }
    return std::nullopt;
}

Result<std::unique_ptr<Client>> Client::create(ClientConfig config) {
    if (auto err = validate_config(config)) {
        return *err;
    }
    auto endpoint = resolve_endpoint(config);
    if (!endpoint) {
        return endpoint.error();
    }
    return std::unique_ptr<Client>(new Client(std::move(config), std::move(endpoint.value())));
}

Client::Client(ClientConfig config, Endpoint endpoint)
    : config_(std::move(config)),
      endpoint_(std::move(endpoint)),
      signer_(config_.credentials, config_.clock),
      transport_(config_.transport),
      user_agent_(std::string("libdcs/") + kVersion) {
    if (!config_.user_agent_suffix.empty()) {
        user_agent_ += " " + config_.user_agent_suffix;
    }
}

Client::Call Client::begin(const CallOptions& options, int64_t default_timeout_ms) const {
    int64_t timeout = options.timeout_ms > 0 ? options.timeout_ms : default_timeout_ms;
    int attempts = options.max_attempts > 0 ? options.max_attempts : config_.max_attempts;
    int64_t attempt_timeout =
        options.attempt_timeout_ms > 0 ? options.attempt_timeout_ms : config_.attempt_timeout_ms;
    if (attempt_timeout <= 0) {
        attempt_timeout = automatic_attempt_timeout_ms(timeout);
    }
    int64_t window = options.reconcile_window_ms > 0 ? options.reconcile_window_ms
                                                     : config_.retry.reconcile_window_ms;
    return Call{
        Deadline::after_ms(timeout), options.cancel.get(), attempts, attempt_timeout, window,
        options.wait_while_busy,     SteadyClock::now(),   {}};
}

int64_t Client::wall_now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(config_.clock().time_since_epoch())
        .count();
}

std::string Client::instance_path(const std::string& instance_id) const {
    return "/v2/" + config_.project_id + "/instances/" + instance_id;
}

Result<HttpResponse> Client::attempt(const Call& call, const Request& request, int number) {
    HeaderList headers = {
        {"Content-Type", "application/json"},
        {"User-Agent", user_agent_},
        {"X-Project-Id", config_.project_id},
    };
    // Signed afresh for every attempt: a new X-Sdk-Date each time.
    SignedRequest signed_request =
        signer_.sign_request(request.method, endpoint_.host, request.path, request.query,
                             std::move(headers), request.body);
    HttpRequest http{request.method, endpoint_.base_url + signed_request.path_and_query,
                     std::move(signed_request.headers), request.body, request.starts_work};
    int64_t limit_ms = call.attempt_timeout_ms;
    if (request.starts_work) {
        // Keep at least half of what is left of the call for finding out what an
        // unanswered attempt did: that is what turns a hang into an adopted restore.
        limit_ms = std::min(limit_ms, std::max<int64_t>(call.deadline.remaining_ms() / 2, 1));
    }
    auto started = SteadyClock::now();
    auto result =
        transport_.perform(http, call.deadline, Deadline::after_ms(limit_ms), call.cancel);
    // Log lines are built only when someone listens: this is every call's hot path.
    auto where = [&] {
        return std::string(request.operation) + " " + request.method + " " + request.path +
               " (attempt " + std::to_string(number) + ")";
    };
    if (!result) {
        if (config_.log.enabled(LogLevel::Warn)) {
            log(LogLevel::Warn, where() + " failed after " + std::to_string(elapsed_ms(started)) +
                                    " ms: " + result.error().message);
        }
        return result;
    }
    const HttpResponse& response = result.value();
    call.last_request_id = response.request_id;
    if (response.date_ms >= 0) {
        server_clock_offset_ms_ = response.date_ms - wall_now_ms();
        server_clock_known_ = true;
    }
    if (config_.log.enabled(LogLevel::Debug)) {
        log(LogLevel::Debug, where() + " -> HTTP " + std::to_string(response.status) + " in " +
                                 std::to_string(elapsed_ms(started)) + " ms, request id " +
                                 (response.request_id.empty() ? "-" : response.request_id));
    }
    if (response.status < 200 || response.status >= 300) {
        return error_from_response(response);
    }
    return result;
}

bool Client::pause_before_retry(const Call& call, Error& error, int attempt_number) {
    int64_t wait = backoff_ms(error, attempt_number, config_.retry);
    if (wait >= call.deadline.remaining_ms()) {
        // Sleeping would only end in a timeout; the last error says more.
        return false;
    }
    log(LogLevel::Info, "retrying in " + std::to_string(wait) + " ms after: " + error.message);
    if (!interruptible_sleep(wait, call.deadline, call.cancel)) {
        error = make_error(Status::Cancelled,
                           "the call was cancelled while waiting to retry after: " + error.message,
                           error.sent);
        return false;
    }
    return true;
}

Result<HttpResponse> Client::send(const Call& call, const Request& request, Idempotency kind,
                                  bool* earlier_maybe_delivered) {
    bool maybe_delivered = false;
    for (int number = 1;; ++number) {
        auto result = attempt(call, request, number);
        if (earlier_maybe_delivered != nullptr) {
            // A resent request is its own earlier attempt.
            *earlier_maybe_delivered = maybe_delivered || (!result && result.error().resent);
        }
        if (result) {
            return result;
        }
        Error& error = result.error();
        RetryVerdict verdict = retry_verdict(error, kind);
        bool waiting_out_busy = call.wait_while_busy && error.status == Status::Busy;
        if (verdict != RetryVerdict::Retry || (number >= call.max_attempts && !waiting_out_busy)) {
            return result;
        }
        if (!pause_before_retry(call, error, number)) {
            return result;
        }
        maybe_delivered = maybe_delivered || error.sent != Sent::No || error.resent;
    }
}

template <class Record, class Parse>
Result<std::vector<Record>> Client::collect_pages(
    const Call& call, const char* operation, const std::string& path, const ListFilter& filter,
    Parse parse, const std::function<bool(const Record&)>& stop_at) {
    std::vector<Record> all;
    for (int64_t page_number = 0; page_number < kMaxPages; ++page_number) {
        Request request{
            operation,
            "GET",
            path,
            {{"limit", std::to_string(kPageSize)}, {"offset", std::to_string(all.size())}},
            ""};
        if (!filter.begin_time.empty()) {
            request.query.emplace_back("begin_time", filter.begin_time);
        }
        if (!filter.end_time.empty()) {
            request.query.emplace_back("end_time", filter.end_time);
        }
        auto response = send(call, request, Idempotency::Repeatable);
        if (!response) {
            return std::move(response).error();
        }
        if (response.value().status == 204) {
            break;  // the service's way of saying "no record found"
        }
        Result<Page<Record>> page = parse(response.value().body);
        if (!page) {
            return bad_response(response.value(), page.error());
        }
        size_t got = page.value().records.size();
        for (auto& record : page.value().records) {
            all.push_back(std::move(record));
            if (stop_at && stop_at(all.back())) {
                return all;
            }
        }
        bool reached_total = page.value().total_num >= 0 &&
                             static_cast<int64_t>(all.size()) >= page.value().total_num;
        if (got < static_cast<size_t>(kPageSize) || reached_total) {
            break;
        }
    }
    return all;
}

Result<std::vector<RestoreRecord>> Client::all_restores(
    const Call& call, const std::string& instance_id, const ListFilter& filter,
    const std::function<bool(const RestoreRecord&)>& stop_at) {
    return collect_pages<RestoreRecord>(call, "ListRestoreRecords",
                                        instance_path(instance_id) + "/restores", filter,
                                        parse_restore_page, stop_at);
}

Result<std::vector<BackupRecord>> Client::all_backups(const Call& call,
                                                      const std::string& instance_id,
                                                      const ListFilter& filter) {
    return collect_pages<BackupRecord>(call, "ListBackupRecords",
                                       instance_path(instance_id) + "/backups", filter,
                                       parse_backup_page, nullptr);
}

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
