// Cancellation and deadlines shared by every call.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "error.hpp"

namespace dcs::core {

using SteadyClock = std::chrono::steady_clock;

// A cancel flag that any thread may raise. Raising it is a wake-up, never something a waiter
// has to poll for: sleeps wait on a condition variable (or, with a watched fd, in poll() on a
// pipe the flag writes to), and whatever drives an in-flight transfer registers a Waker.
//
// It can also watch a signal self-pipe (dcs_cancel_token_watch_fd): whoever waits for a call
// using this state polls the fd too, and a byte equal to the signal number cancels.
//
// The calls that use a state get it as `const CancelState*`: they may wait on it, register a
// waker and report a watched signal, which all change only the mutable members below; only
// the owner of the token changes what is watched.
class CancelState {
   public:
    // Something cancel() must interrupt, e.g. a transfer loop sleeping in curl_multi_poll.
    // wake() runs on the cancelling thread with the state's lock held: it must be quick,
    // must not block and must not call back into this state.
    class Waker {
       public:
        Waker() = default;
        virtual ~Waker() = default;
        Waker(const Waker&) = delete;
        Waker& operator=(const Waker&) = delete;
        virtual void wake() noexcept = 0;
    };

    // Keeps `waker` registered while it lives. Unregistering takes the lock cancel() holds
    // while it wakes, so once the destructor returns no wake() of this registration is
    // running or will run: the waker may then be destroyed.
    class Registration {
       public:
        Registration(const CancelState& state, Waker& waker);
        ~Registration();
        Registration(const Registration&) = delete;
        Registration& operator=(const Registration&) = delete;

       private:
        const CancelState& state_;
        Waker& waker_;
    };

    // What is being watched: fd -1 when nothing.
    struct Watch {
        int fd = -1;
        int signo = 0;
    };

    CancelState() = default;
    ~CancelState();
    CancelState(const CancelState&) = delete;
    CancelState& operator=(const CancelState&) = delete;

    void cancel();
    [[nodiscard]] bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
    // Sleeps until `until` or cancellation; returns false if cancelled.
    bool sleep_until(SteadyClock::time_point until) const;

    // Also cancel when the byte `signo` (1..64) is read from `fd`; fd -1 stops watching (signo
    // is then ignored). Returns the InvalidArgument error for other values. A change reaches
    // transfers at their loop's next wake-up and sleeps at their next start.
    std::optional<Error> watch_fd(int fd, int signo);
    [[nodiscard]] Watch watch() const;

    // One read from a watched fd that poll() reported ready: one read() only, so a blocking
    // fd cannot hang the reader. `gone` when the fd can deliver nothing more (end of file, a
    // hard error): its watchers then stop watching it, else poll() would report it ready
    // forever and the waiter would spin.
    struct SignalBytes {
        std::array<unsigned char, 256> bytes{};
        size_t size = 0;
        bool gone = false;
    };
    static SignalBytes read_watched(int fd);
    // Hands this state what was read from `fd`: cancels if `fd` is the fd it watches and the
    // bytes hold its signal number. (Several states may watch one fd; the reader offers the
    // bytes to each of them.)
    void offer(int fd, const SignalBytes& read) const;

   private:
    friend class Registration;
    void raise() const;
    void stop_watching(int fd) const;
    std::optional<bool> sleep_watching(SteadyClock::time_point until, Watch watch) const;

    mutable std::atomic<bool> cancelled_{false};
    // The watch, packed as fd * 256 + signo so it is read and changed in one atomic step;
    // -1 = none.
    mutable std::atomic<int64_t> watch_{-1};
    // The read end of a pipe that raise() writes to, made when a watch is first set, so a
    // sleep in poll() on the watched fd is also woken by cancel(). -1 until then.
    std::atomic<int> wake_read_fd_{-1};
    int wake_write_fd_ = -1;  // guarded by mu_
    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
    mutable std::vector<Waker*> wakers_;  // guarded by mu_
};

using CancelPtr = std::shared_ptr<CancelState>;

// The point in time by which a whole call (retries and backoff included) must end.
class Deadline {
   public:
    explicit Deadline(SteadyClock::time_point at) : at_(at) {}
    static Deadline after_ms(int64_t ms) {
        return Deadline(SteadyClock::now() + std::chrono::milliseconds(ms));
    }
    [[nodiscard]] SteadyClock::time_point at() const { return at_; }
    [[nodiscard]] int64_t remaining_ms() const;
    [[nodiscard]] bool expired() const { return remaining_ms() <= 0; }

   private:
    SteadyClock::time_point at_;
};

// Milliseconds from now until `until`, rounded up (so a wait does not wake just before its
// time and spin) and clamped to 0..INT_MAX for poll().
int poll_timeout_ms(SteadyClock::time_point until);

// Sleeps for `ms` unless the deadline comes first or the call is cancelled.
// Returns false when the sleep was cut short by cancellation.
bool interruptible_sleep(int64_t ms, const Deadline& deadline, const CancelState* cancel);

}  // namespace dcs::core
