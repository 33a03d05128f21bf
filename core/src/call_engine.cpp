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
// The API gateway's "The token must be updated." for expired temporary credentials.
constexpr const char* kExpiredToken = "APIGW.0307";

}  // namespace

Result<HttpResponse> Client::attempt(const Call& call, const Request& request, int number) {
    // Every endpoint once, from the one that answered last. Only an exchange that provably
    // sent nothing (a refused connection, a DNS failure, no connection in time, a failed
    // TLS handshake) moves on: the service cannot have seen it, so even a restore may go to
    // the next endpoint without any risk of starting twice. Anything later (a reset after
    // the request left, a timeout waiting for the answer, any HTTP status) is this
    // endpoint's answer, for the retry layer to judge. Moving on is part of one attempt: it
    // takes nothing from the call's attempt budget and waits no backoff.
    const size_t count = endpoints_.size();
    const size_t first = preferred_endpoint_.load(std::memory_order_relaxed) % count;
    for (size_t tried = 0;; ++tried) {
        const size_t index = (first + tried) % count;
        auto started = SteadyClock::now();
        auto result = exchange(call, request, index);
        // Log lines are built only when someone listens: this is every call's hot path.
        auto where = [&] {
            std::string text = std::string(request.operation) + " " + request.method + " " +
                               request.path + " (attempt " + std::to_string(number);
            if (count > 1) {
                text += ", endpoint " + endpoints_[index].host;
            }
            return text + ")";
        };
        const bool unreached = !result && result.error().status == Status::Transport &&
                               result.error().sent == Sent::No && !result.error().resent &&
                               !result.error().permanent;
        if (!result && config_.log.enabled(LogLevel::Warn)) {
            log(LogLevel::Warn, where() + " failed after " + std::to_string(elapsed_ms(started)) +
                                    " ms: " + result.error().message);
        }
        if (unreached && tried + 1 < count && call.deadline.remaining_ms() > 0) {
            if (config_.log.enabled(LogLevel::Info)) {
                log(LogLevel::Info, "endpoint " + endpoints_[index].host +
                                        " could not be reached; trying " +
                                        endpoints_[(index + 1) % count].host);
            }
            continue;
        }
        if (!unreached) {
            // It answered (or may have taken the request): the next attempt starts there.
            preferred_endpoint_.store(index, std::memory_order_relaxed);
        }
        if (!result) {
            return result;
        }
        const HttpResponse& response = result.value();
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
}

Result<HttpResponse> Client::exchange(const Call& call, const Request& request, size_t endpoint) {
    // Signed afresh for every exchange: a new X-Sdk-Date each time, and the endpoint's Host.
    // The credentials are looked at for every exchange, so that a long wait signs each poll
    // with credentials that have not expired; a provider that fails ends the call here,
    // before anything is sent.
    auto kit = credentials_->current();
    if (!kit) {
        return std::move(kit).error();
    }
    SignedRequest signed_request =
        kit.value()->signer->sign_request(kit.value()->templates[endpoint], request.method,
                                          request.path, request.query, request.body);
    const std::string& base_url = endpoints_[endpoint].base_url;
    std::string url;
    url.reserve(base_url.size() + signed_request.path_and_query.size());
    url += base_url;
    url += signed_request.path_and_query;
    HttpRequest http{request.method, std::move(url), std::move(signed_request.headers),
                     request.body, request.starts_work};
    int64_t limit_ms = call.attempt_timeout_ms;
    if (request.starts_work) {
        // Keep at least half of what is left of the call for finding out what an
        // unanswered attempt did: that is what turns a hang into an adopted restore.
        limit_ms = std::min(limit_ms, std::max<int64_t>(call.deadline.remaining_ms() / 2, 1));
    }
    auto result =
        transport_.perform(http, call.deadline, Deadline::after_ms(limit_ms), call.cancel);
    if (result) {
        const HttpResponse& response = result.value();
        call.last_request_id = response.request_id;
        if (response.date_ms >= 0) {
            server_clock_offset_ms_ = response.date_ms - wall_now_ms();
            server_clock_known_ = true;
        }
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
    bool refreshed = false;
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
        // The gateway refused credentials that expired in flight (a clock that runs behind,
        // a provider's expiry that was optimistic): it carried nothing out, so once per call
        // the request goes again with fresh credentials, at once and outside the budget.
        if (!refreshed && error.status == Status::Auth && error.service_code == kExpiredToken &&
            credentials_->expired()) {
            refreshed = true;
            log(LogLevel::Info, "the credentials expired; retrying with fresh ones");
            --number;
            continue;
        }
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
