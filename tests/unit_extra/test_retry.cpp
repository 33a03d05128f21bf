// retry_verdict and backoff_ms: which failures are repeated, and after how long.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "retry.hpp"

using dcs::core::backoff_ms;
using dcs::core::Error;
using dcs::core::Idempotency;
using dcs::core::retry_verdict;
using dcs::core::RetryTuning;
using dcs::core::RetryVerdict;
using dcs::core::Sent;
using dcs::core::Status;

namespace {

Error error(Status status, Sent sent = Sent::Yes, int http_status = 0, std::string code = "") {
    Error e;
    e.status = status;
    e.sent = sent;
    e.http_status = http_status;
    e.service_code = std::move(code);
    return e;
}

const char* name(RetryVerdict v) {
    switch (v) {
        case RetryVerdict::Stop:
            return "Stop";
        case RetryVerdict::Retry:
            return "Retry";
        case RetryVerdict::Reconcile:
            return "Reconcile";
    }
    return "?";
}

}  // namespace

TEST_CASE("retry_verdict for every status and both kinds of request") {
    struct Case {
        const char* what;
        Error error;
        RetryVerdict repeatable;
        RetryVerdict starts_work;
    };
    const std::vector<Case> cases = {
        {"invalid argument", error(Status::InvalidArgument, Sent::No), RetryVerdict::Stop,
         RetryVerdict::Stop},
        {"auth 401", error(Status::Auth, Sent::Yes, 401), RetryVerdict::Stop, RetryVerdict::Stop},
        {"not found", error(Status::NotFound, Sent::Yes, 404), RetryVerdict::Stop,
         RetryVerdict::Stop},
        // The gateway refused before the service saw anything.
        {"throttled", error(Status::Throttled, Sent::Yes, 429), RetryVerdict::Retry,
         RetryVerdict::Retry},
        // A busy answer started nothing...
        {"busy DCS.4096", error(Status::Busy, Sent::Yes, 400, "DCS.4096"), RetryVerdict::Retry,
         RetryVerdict::Retry},
        {"busy DCS.4049", error(Status::Busy, Sent::Yes, 400, "DCS.4049"), RetryVerdict::Retry,
         RetryVerdict::Retry},
        // ..."restoring" too: it is another caller's restore, since an attempt of this call
        // that may have reached the service ends the call before any repost.
        {"busy DCS.4097", error(Status::Busy, Sent::Yes, 400, "DCS.4097"), RetryVerdict::Retry,
         RetryVerdict::Retry},
        {"busy 111400097", error(Status::Busy, Sent::Yes, 400, "111400097"), RetryVerdict::Retry,
         RetryVerdict::Retry},
        {"server 500", error(Status::Server, Sent::Yes, 500), RetryVerdict::Retry,
         RetryVerdict::Reconcile},
        {"server 502", error(Status::Server, Sent::Yes, 502), RetryVerdict::Retry,
         RetryVerdict::Reconcile},
        {"transport, never sent", error(Status::Transport, Sent::No), RetryVerdict::Retry,
         RetryVerdict::Retry},
        {"transport, maybe sent", error(Status::Transport, Sent::Maybe), RetryVerdict::Retry,
         RetryVerdict::Reconcile},
        {"transport, sent", error(Status::Transport, Sent::Yes), RetryVerdict::Retry,
         RetryVerdict::Reconcile},
        {"timeout", error(Status::Timeout, Sent::Maybe), RetryVerdict::Stop, RetryVerdict::Stop},
        {"timeout, never sent", error(Status::Timeout, Sent::No), RetryVerdict::Stop,
         RetryVerdict::Stop},
        {"cancelled", error(Status::Cancelled, Sent::Maybe), RetryVerdict::Stop,
         RetryVerdict::Stop},
        // A 2xx we could not read: a read asks again, a restore did start.
        {"bad 2xx response", error(Status::BadResponse, Sent::Yes, 200), RetryVerdict::Retry,
         RetryVerdict::Reconcile},
        {"bad response, no status", error(Status::BadResponse, Sent::Maybe, 0), RetryVerdict::Stop,
         RetryVerdict::Reconcile},
        {"internal", error(Status::Internal, Sent::No), RetryVerdict::Stop, RetryVerdict::Stop},
        {"no memory", error(Status::NoMem, Sent::No), RetryVerdict::Stop, RetryVerdict::Stop},
        {"rejected", error(Status::Rejected, Sent::Yes, 400, "111400062"), RetryVerdict::Stop,
         RetryVerdict::Stop},
        {"precondition", error(Status::Precondition, Sent::Yes, 400, "111400087"),
         RetryVerdict::Stop, RetryVerdict::Stop},
        {"restore failed", error(Status::RestoreFailed, Sent::Yes), RetryVerdict::Stop,
         RetryVerdict::Stop},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        CHECK(name(retry_verdict(c.error, Idempotency::Repeatable)) ==
              std::string(name(c.repeatable)));
        CHECK(name(retry_verdict(c.error, Idempotency::StartsWork)) ==
              std::string(name(c.starts_work)));
    }
}

TEST_CASE("a StartsWork request is never simply repeated after an ambiguous failure") {
    // Exhaustive over the statuses: whatever the library does, Retry for StartsWork is only
    // allowed where the request provably started nothing.
    for (int s = 1; s <= 15; ++s) {
        for (Sent sent : {Sent::No, Sent::Yes, Sent::Maybe}) {
            for (int http : {0, 200, 400, 429, 500}) {
                Error e = error(static_cast<Status>(s), sent, http, "DCS.4097");
                CAPTURE(s);
                CAPTURE(static_cast<int>(sent));
                CAPTURE(http);
                if (retry_verdict(e, Idempotency::StartsWork) == RetryVerdict::Retry) {
                    // A busy or throttled answer is the service saying this request did
                    // nothing; a transport failure with nothing sent never reached it.
                    bool started_nothing = e.status == Status::Throttled ||
                                           e.status == Status::Busy ||
                                           (e.status == Status::Transport && sent == Sent::No);
                    CHECK(started_nothing);
                }
            }
        }
    }
}

TEST_CASE("an attempt's own timeout is retried when nothing left, reconciled when it may have") {
    Error silent = error(Status::Timeout, Sent::No);
    silent.attempt_timed_out = true;
    CHECK(retry_verdict(silent, Idempotency::StartsWork) == RetryVerdict::Retry);
    CHECK(retry_verdict(silent, Idempotency::Repeatable) == RetryVerdict::Retry);
    Error unanswered = error(Status::Timeout, Sent::Maybe);
    unanswered.attempt_timed_out = true;
    CHECK(retry_verdict(unanswered, Idempotency::StartsWork) == RetryVerdict::Reconcile);
    CHECK(retry_verdict(unanswered, Idempotency::Repeatable) == RetryVerdict::Retry);
    // The call's own deadline ends everything.
    CHECK(retry_verdict(error(Status::Timeout, Sent::Maybe), Idempotency::Repeatable) ==
          RetryVerdict::Stop);
}

TEST_CASE("a failure that cannot heal is never retried") {
    Error untrusted = error(Status::Transport, Sent::No);
    untrusted.permanent = true;
    CHECK(retry_verdict(untrusted, Idempotency::Repeatable) == RetryVerdict::Stop);
    CHECK(retry_verdict(untrusted, Idempotency::StartsWork) == RetryVerdict::Stop);
}

TEST_CASE("backoff_ms stays within full-jitter bounds and grows to the cap") {
    RetryTuning tuning;
    tuning.backoff_base_ms = 200;
    tuning.busy_backoff_base_ms = 1000;
    tuning.backoff_cap_ms = 10000;
    struct Case {
        Status status;
        int attempt;
        int64_t ceiling;
    };
    const Case cases[] = {
        {Status::Server, 1, 200},    {Status::Server, 2, 400},    {Status::Server, 3, 800},
        {Status::Server, 6, 6400},   {Status::Server, 7, 10000},  {Status::Server, 60, 10000},
        {Status::Transport, 1, 200}, {Status::Throttled, 2, 400}, {Status::Busy, 1, 1000},
        {Status::Busy, 2, 2000},     {Status::Busy, 4, 8000},     {Status::Busy, 5, 10000},
        {Status::Server, 0, 200},    {Status::Server, -3, 200},   {Status::Busy, 1000, 10000},
    };
    for (const Case& c : cases) {
        CAPTURE(static_cast<int>(c.status));
        CAPTURE(c.attempt);
        Error e = error(c.status);
        int64_t low = c.ceiling, high = 0;
        for (int i = 0; i < 2000; ++i) {
            int64_t wait = backoff_ms(e, c.attempt, tuning);
            low = std::min(low, wait);
            high = std::max(high, wait);
        }
        CHECK(low >= c.ceiling / 4);
        CHECK(high <= c.ceiling);
        // Jitter: 2000 draws from a range this wide are not all the same.
        CHECK(high - low > c.ceiling / 4);
    }
}

TEST_CASE("backoff_ms waits at least the server's Retry-After") {
    RetryTuning tuning;
    Error e = error(Status::Throttled, Sent::Yes, 429);

    e.retry_after_ms = 5000;  // above the first ceiling: exactly Retry-After
    for (int i = 0; i < 200; ++i) {
        CHECK(backoff_ms(e, 1, tuning) == 5000);
    }
    e.retry_after_ms = 60000;  // above the cap as well: the server still wins
    CHECK(backoff_ms(e, 3, tuning) == 60000);

    e.retry_after_ms = 0;  // "retry now": the jittered backoff still applies
    for (int i = 0; i < 200; ++i) {
        int64_t wait = backoff_ms(e, 1, tuning);
        CHECK(wait >= tuning.backoff_base_ms / 4);
        CHECK(wait <= tuning.backoff_base_ms);
    }

    e.retry_after_ms = 150;  // within the jitter range: never below it
    for (int i = 0; i < 500; ++i) {
        int64_t wait = backoff_ms(e, 1, tuning);
        CHECK(wait >= 150);
        CHECK(wait <= tuning.backoff_base_ms);
    }
}
