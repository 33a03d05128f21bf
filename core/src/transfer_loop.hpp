// The one event loop of a client: every transfer of a Transport runs in one curl multi
// handle (one connection cache), driven by the calling threads themselves.
#pragma once

#include <curl/curl.h>

#include <condition_variable>
#include <mutex>
#include <vector>

#include "cancel.hpp"

namespace dcs::core {

// Leader/follower, with no thread of its own: a caller whose transfer is not done and who
// finds nobody driving becomes the driver and runs curl_multi_perform/poll/info_read for
// every transfer in the multi, completing the other callers' transfers and waking them;
// the others hand their easy handle over, wake the driver (curl_multi_wakeup) and sleep on
// their own condition variable until their transfer is done or they must take over the
// driving. Why not a dedicated thread: a library must not start threads behind its
// caller's back (fork, signal masks, embedding in Python), and a sequential caller then
// drives its own transfer with no thread switch at all, exactly as cheap as a private multi.
//
// Only the driver touches the multi handle (libcurl's multi calls are not thread-safe),
// except curl_multi_wakeup, which is what cancel() and new transfers use to get the
// driver's attention. Waiting costs no CPU: the driver sleeps in curl_multi_poll until a
// socket, a watched signal fd, a wake-up, libcurl's own timer or the earliest deadline.
class TransferLoop final : private CancelState::Waker {
   public:
    enum class End {
        Finished,        // libcurl ended the transfer: see `result`
        Cancelled,       // the call's cancel state was raised first
        DeadlinePassed,  // the deadline passed first
    };
    struct Outcome {
        End end = End::Finished;
        CURLcode result = CURLE_OK;
    };

    // `max_connects`: the connections kept alive for reuse (CURLMOPT_MAXCONNECTS).
    explicit TransferLoop(long max_connects);
    ~TransferLoop() override;
    TransferLoop(const TransferLoop&) = delete;
    TransferLoop& operator=(const TransferLoop&) = delete;

    // Runs `easy` (every option already set) until libcurl finishes it, `deadline` passes
    // or `cancel` (may be null) is raised. Safe to call from many threads at once; `easy` is
    // out of the multi again when this returns.
    Outcome run(CURL* easy, SteadyClock::time_point deadline, const CancelState* cancel);

   private:
    struct Transfer;
    // An intrusive list: a transfer moves from pending to running to finished without any
    // allocation, so the driver cannot fail half-way through handing a transfer on.
    struct List {
        Transfer* head = nullptr;
        void push(Transfer* t);
        void remove(Transfer* t);
    };

    void wake() noexcept override;
    void drive(std::unique_lock<std::mutex>& lock, Transfer& mine);
    void finish(Transfer* t, End end, CURLcode result);
    void wait_for_activity();
    void hand_over();

    CURLM* multi_ = nullptr;
    // curl_multi_wakeup worked when tried: else (a libcurl built without it) the driver polls
    // in short slices, as a lost wake-up would otherwise be a hang.
    bool wakeup_works_ = false;

    std::mutex mu_;
    bool driving_ = false;  // guarded by mu_
    // The driver is in (or on its way into) curl_multi_poll; guarded by mu_. Only then does
    // a new transfer need a wake-up (a write to curl's wake-up pipe, and a read back).
    bool polling_ = false;
    // A new transfer has woken the polling driver already (guarded by mu_).
    bool woken_ = false;
    List pending_;  // guarded by mu_: handed over, not yet in the multi

    // Owned by whoever drives (driving_ passes them on, under mu_).
    List running_;   // in the multi
    List finished_;  // out of the multi, owners not yet told
    std::vector<curl_waitfd> watch_fds_;
};

}  // namespace dcs::core
