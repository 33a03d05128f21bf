// Cancellation from another thread ends a call promptly wherever it is: in a request, in a
// wait between polls, in a backoff sleep before a retry. dcs.h promises 100 ms; the tests
// allow 150 ms for the scheduler.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "emulator_fixture.hpp"

using namespace dcs::test;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr int64_t kPromiseMs = 150;

int64_t ms_between(SteadyClock::time_point from, SteadyClock::time_point to) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

// Cancels a token from its own thread, after a delay or when told to, and remembers when.
class Canceller {
   public:
    explicit Canceller(dcs_cancel_token* token) : token_(token) {}
    ~Canceller() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    Canceller(const Canceller&) = delete;
    Canceller& operator=(const Canceller&) = delete;

    void cancel_after(std::chrono::milliseconds delay) {
        thread_ = std::thread([this, delay] {
            std::this_thread::sleep_for(delay);
            cancel_now();
        });
    }

    // Cancels `delay` after trigger() is called (from any thread).
    void cancel_when_triggered(std::chrono::milliseconds delay) {
        thread_ = std::thread([this, delay] {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [this] { return triggered_; });
            lock.unlock();
            std::this_thread::sleep_for(delay);
            cancel_now();
        });
    }
    void trigger() {
        {
            std::lock_guard<std::mutex> lock(mu_);
            triggered_ = true;
        }
        cv_.notify_all();
    }

    void join() { thread_.join(); }
    [[nodiscard]] SteadyClock::time_point cancelled_at() const { return cancelled_at_; }

   private:
    void cancel_now() {
        cancelled_at_ = SteadyClock::now();
        dcs_cancel_token_cancel(token_);
    }

    dcs_cancel_token* token_;
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool triggered_ = false;
    SteadyClock::time_point cancelled_at_;
};

// Log callback: tells the canceller when the library announces a backoff sleep.
void trigger_on_retry(void* user_data, int /*level*/, const char* message) {
    if (std::strstr(message, "retrying in") != nullptr) {
        static_cast<Canceller*>(user_data)->trigger();
    }
}

}  // namespace

TEST_CASE("cancelling during a request returns DCS_E_CANCELLED promptly") {
    Sandbox sandbox;
    auto client = sandbox.client();
    FaultSpec fault;
    fault.operation = "ShowInstance";
    fault.kind = "delay";
    fault.count = 1;
    fault.delay_ms = 5000;
    admin().add_fault(fault);

    auto token = make_cancel_token();
    auto call = make_call_options(CallSettings{30000, token.get(), 0, false});
    Canceller canceller(token.get());
    canceller.cancel_after(std::chrono::milliseconds(300));
    dcs_instance* instance = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_show_instance(client.get(), sandbox.instance_id.c_str(), call.get(), &instance, &err);
    auto returned = SteadyClock::now();
    canceller.join();
    Failure f = take_error(err);
    int64_t latency = ms_between(canceller.cancelled_at(), returned);
    MESSAGE("returned " << latency << " ms after the cancel");
    CHECK(status == DCS_E_CANCELLED);
    CHECK(f.status == DCS_E_CANCELLED);
    CHECK(instance == nullptr);
    CHECK(latency >= 0);
    CHECK(latency < kPromiseMs);
    CHECK(dcs_cancel_token_is_cancelled(token.get()) == 1);
}

TEST_CASE("cancelling a restore in flight starts nothing and says the request may have been sent") {
    Sandbox sandbox;
    auto client = sandbox.client();
    FaultSpec fault;
    fault.operation = "RestoreInstance";
    fault.kind = "delay";
    fault.count = 1;
    fault.delay_ms = 1500;
    admin().add_fault(fault);

    auto token = make_cancel_token();
    auto call = make_call_options(CallSettings{30000, token.get(), 0, false});
    Canceller canceller(token.get());
    canceller.cancel_after(std::chrono::milliseconds(300));
    char* id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_restore_instance(client.get(), sandbox.instance_id.c_str(), sandbox.backup_id.c_str(),
                             nullptr, call.get(), &id, &err);
    auto returned = SteadyClock::now();
    canceller.join();
    Failure f = take_error(err);
    CHECK(status == DCS_E_CANCELLED);
    CHECK(id == nullptr);
    CHECK(f.request_sent == DCS_SENT_MAYBE);
    CHECK(ms_between(canceller.cancelled_at(), returned) < kPromiseMs);
    // The emulator drops a delayed request whose client went away: let the delay pass, then
    // make sure nothing started late.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(admin().restores_started(sandbox.instance_id) == 0);
}

TEST_CASE("cancelling during a wait returns DCS_E_CANCELLED promptly") {
    Sandbox sandbox;
    // A restore that stays "restoring" for a long time, polled rarely.
    TimingsPatch slow;
    slow.restore_waiting_ms = 50;
    slow.restore_running_ms = 20000;
    admin().set_timings(slow);
    auto client = sandbox.client();
    char* raw_id = nullptr;
    REQUIRE(dcs_restore_instance(client.get(), sandbox.instance_id.c_str(),
                                 sandbox.backup_id.c_str(), nullptr, nullptr, &raw_id,
                                 nullptr) == DCS_OK);
    StringPtr restore_id(raw_id);

    dcs_wait_options* raw_wait = nullptr;
    REQUIRE(dcs_wait_options_new(&raw_wait, nullptr) == DCS_OK);
    WaitOptionsPtr wait(raw_wait);
    REQUIRE(dcs_wait_options_set_poll_interval_ms(wait.get(), 5000, nullptr) == DCS_OK);
    REQUIRE(dcs_wait_options_set_max_poll_interval_ms(wait.get(), 5000, nullptr) == DCS_OK);

    auto token = make_cancel_token();
    auto call = make_call_options(CallSettings{60000, token.get(), 0, false});
    Canceller canceller(token.get());
    canceller.cancel_after(std::chrono::milliseconds(400));
    dcs_restore_record* record = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_wait_for_restore(client.get(), sandbox.instance_id.c_str(), restore_id.get(),
                             wait.get(), call.get(), &record, &err);
    auto returned = SteadyClock::now();
    canceller.join();
    Failure f = take_error(err);
    int64_t latency = ms_between(canceller.cancelled_at(), returned);
    MESSAGE("returned " << latency << " ms after the cancel");
    CHECK(status == DCS_E_CANCELLED);
    CHECK(record == nullptr);
    CHECK(latency < kPromiseMs);
}

TEST_CASE("cancelling during a backoff sleep returns DCS_E_CANCELLED promptly") {
    Sandbox sandbox;
    auto token = make_cancel_token();
    Canceller canceller(token.get());
    ClientSettings settings;
    settings.log_fn = trigger_on_retry;
    settings.log_user_data = &canceller;
    settings.log_level = DCS_LOG_INFO;
    auto client = sandbox.client(settings);

    SUBCASE("busy: the instance answers DCS.4096 every time") {
        FaultSpec busy;
        busy.operation = "ShowInstance";
        busy.kind = "status";
        busy.status = 400;
        busy.body = "{\"error_code\":\"DCS.4096\",\"error_msg\":\"the instance is backuping.\"}";
        admin().add_fault(busy);
    }
    SUBCASE("throttled: Retry-After 10 seconds") {
        FaultSpec throttle;
        throttle.operation = "ShowInstance";
        throttle.kind = "throttle";
        throttle.retry_after = 10;
        admin().add_fault(throttle);
    }

    // The cancel lands 20 ms into the first backoff sleep (which lasts 250 ms or more).
    canceller.cancel_when_triggered(std::chrono::milliseconds(20));
    auto call = make_call_options(CallSettings{60000, token.get(), 10, false});
    dcs_instance* instance = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_show_instance(client.get(), sandbox.instance_id.c_str(), call.get(), &instance, &err);
    auto returned = SteadyClock::now();
    canceller.trigger();  // should the library never have slept, do not leave the thread hanging
    canceller.join();
    Failure f = take_error(err);
    int64_t latency = ms_between(canceller.cancelled_at(), returned);
    MESSAGE("returned " << latency << " ms after the cancel: " << f.message);
    CHECK(status == DCS_E_CANCELLED);
    CHECK(latency >= 0);
    CHECK(latency < kPromiseMs);
    // One attempt, then the sleep that was cut short: no second attempt.
    size_t shows = 0;
    for (const auto& r : admin().requests()) {
        shows += r.operation == "ShowInstance" ? 1 : 0;
    }
    CHECK(shows == 1);
}

TEST_CASE("a token cancelled before the call: DCS_E_CANCELLED and nothing sent") {
    Sandbox sandbox;
    auto client = sandbox.client();
    auto token = make_cancel_token();
    dcs_cancel_token_cancel(token.get());
    dcs_cancel_token_cancel(token.get());  // idempotent
    auto call = make_call_options(CallSettings{0, token.get(), 0, false});
    char* id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_restore_instance(client.get(), sandbox.instance_id.c_str(), sandbox.backup_id.c_str(),
                             nullptr, call.get(), &id, &err);
    Failure f = take_error(err);
    CHECK(status == DCS_E_CANCELLED);
    CHECK(f.request_sent == DCS_SENT_NO);
    CHECK(admin().requests().empty());
    CHECK(admin().restores_started(sandbox.instance_id) == 0);
}

TEST_CASE("freeing the token while its call runs is safe") {
    Sandbox sandbox;
    auto client = sandbox.client();
    FaultSpec fault;
    fault.operation = "ShowInstance";
    fault.kind = "delay";
    fault.count = 1;
    fault.delay_ms = 300;
    admin().add_fault(fault);
    auto token = make_cancel_token();
    auto call = make_call_options(CallSettings{5000, token.get(), 0, false});
    token.reset();  // the call options hold their own reference
    dcs_instance* instance = nullptr;
    CHECK(dcs_show_instance(client.get(), sandbox.instance_id.c_str(), call.get(), &instance,
                            nullptr) == DCS_OK);
    dcs_instance_free(instance);
}
