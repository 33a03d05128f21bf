// The call engine: one signed attempt, retries with backoff under the call's deadline, and
// the paging of the list operations. Every operation sends its requests through here.
#include <algorithm>

#include "client.hpp"
#include "http_errors.hpp"
#include "text.hpp"

namespace dcs::core {
namespace {

// The list calls' largest page (dcs-api.md §1.2: limit 1-1000).
constexpr int64_t kPageSize = 1000;
// A guard against a service that keeps answering full pages forever.
constexpr int64_t kMaxPages = 1000;

}  // namespace

Result<HttpResponse> Client::attempt(const Call& call, const Request& request, int number) {
    // Signed afresh for every attempt: a new X-Sdk-Date each time.
    SignedRequest signed_request = signer_.sign_request(request_template_, request.method,
                                                        request.path, request.query, request.body);
    std::string url;
    url.reserve(endpoint_.base_url.size() + signed_request.path_and_query.size());
    url += endpoint_.base_url;
    url += signed_request.path_and_query;
    HttpRequest http{request.method, std::move(url), std::move(signed_request.headers),
                     request.body, request.starts_work};
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

}  // namespace dcs::core
