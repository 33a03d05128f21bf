#include "transfer_loop.hpp"

#include <poll.h>

#include <algorithm>
#include <new>
#include <optional>

namespace dcs::core {
namespace {

// The poll slice when a wake-up could be missed: a libcurl without curl_multi_wakeup, or
// no memory to list the watched fds. The old per-call polling interval, well inside the
// 100 ms promise of dcs_cancel_token_cancel().
constexpr int kFallbackPollMs = 50;

}  // namespace

struct TransferLoop::Transfer {
    CURL* easy = nullptr;
    SteadyClock::time_point deadline;
    const CancelState* cancel = nullptr;
    // The owner sleeps on its own mutex and condition variable, not on the loop's mu_: a
    // woken owner then never queues behind the driver for mu_, which the driver holds while
    // it hands transfers in and out (with 64 callers that wait-after-wake was a context
    // switch per call). Whoever sets `done` or `must_drive` does it holding `m` and notifies
    // before releasing it: the owner cannot see the flag, return and destroy this before the
    // notification is over.
    std::mutex m;
    std::condition_variable cv;
    bool done = false;        // guarded by m: `outcome` is final
    bool must_drive = false;  // guarded by m: the driver stopped and chose this owner
    Outcome outcome;          // written by the driver before `done`
    Transfer* prev = nullptr;
    Transfer* next = nullptr;

    void signal(bool Transfer::*flag) {
        std::lock_guard<std::mutex> guard(m);
        this->*flag = true;
        cv.notify_one();
    }
};

void TransferLoop::List::push(Transfer* t) {
    t->prev = nullptr;
    t->next = head;
    if (head != nullptr) {
        head->prev = t;
    }
    head = t;
}

void TransferLoop::List::remove(Transfer* t) {
    if (t->prev != nullptr) {
        t->prev->next = t->next;
    } else {
        head = t->next;
    }
    if (t->next != nullptr) {
        t->next->prev = t->prev;
    }
    t->prev = nullptr;
    t->next = nullptr;
}

TransferLoop::TransferLoop(long max_connects) {
    multi_ = curl_multi_init();
    if (multi_ == nullptr) {
        throw std::bad_alloc();
    }
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, max_connects);
    // Tried once, so a libcurl built without wake-ups is known up front. The wake-up it
    // leaves pending only makes the first poll return at once.
    wakeup_works_ = curl_multi_wakeup(multi_) == CURLM_OK;
}

TransferLoop::~TransferLoop() { curl_multi_cleanup(multi_); }

void TransferLoop::wake() noexcept { curl_multi_wakeup(multi_); }

TransferLoop::Outcome TransferLoop::run(CURL* easy, SteadyClock::time_point deadline,
                                        const CancelState* cancel) {
    Transfer mine;
    mine.easy = easy;
    mine.deadline = deadline;
    mine.cancel = cancel;
    // Registered before the transfer is handed over, so a cancel() from then on reaches
    // whoever drives it. Declared before the lock: unregistered after the lock is released,
    // as cancel() takes the state's lock and then wakes us, never the other way round.
    std::optional<CancelState::Registration> registration;
    if (cancel != nullptr) {
        registration.emplace(*cancel, static_cast<CancelState::Waker&>(*this));
    }
    std::unique_lock<std::mutex> lock(mu_);
    pending_.push(&mine);
    if (polling_ && !woken_) {
        // The driver sleeps (or is about to) in curl_multi_poll: wake it to add the transfer.
        // A driver that is not polling looks at pending_ before it does, and one wake-up per
        // poll is enough: the woken driver takes every transfer pending by then, so with
        // many callers the others skip the write to curl's wake-up pipe (and its read).
        woken_ = true;
        wake();
    }
    for (;;) {
        if (!driving_) {
            {
                // A driver that came and went while this owner was between its wake-up and
                // mu_ may have finished this transfer already: then there is nothing to drive.
                std::lock_guard<std::mutex> mine_guard(mine.m);
                if (mine.done) {
                    return mine.outcome;
                }
            }
            // Nobody drives and this transfer is not done: drive until it is.
            driving_ = true;
            drive(lock, mine);
            driving_ = false;
            hand_over();
            return mine.outcome;
        }
        lock.unlock();
        {
            std::unique_lock<std::mutex> mine_lock(mine.m);
            mine.cv.wait(mine_lock, [&] { return mine.done || mine.must_drive; });
            if (mine.done) {
                return mine.outcome;
            }
            mine.must_drive = false;
        }
        // Chosen to drive; another caller may have started driving meanwhile.
        lock.lock();
    }
}

void TransferLoop::drive(std::unique_lock<std::mutex>& lock, Transfer& mine) {
    for (;;) {
        Transfer* incoming = pending_.head;
        pending_.head = nullptr;
        lock.unlock();

        while (incoming != nullptr) {
            Transfer* t = incoming;
            incoming = t->next;
            if (curl_multi_add_handle(multi_, t->easy) == CURLM_OK) {
                running_.push(t);
            } else {
                t->outcome = {End::Finished, CURLE_OUT_OF_MEMORY};
                finished_.push(t);
            }
        }
        int still_running = 0;
        if (curl_multi_perform(multi_, &still_running) != CURLM_OK) {
            while (running_.head != nullptr) {
                finish(running_.head, End::Finished, CURLE_OUT_OF_MEMORY);
            }
        }
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            // Read before finish(): removing the handle frees the message.
            CURL* easy = msg->easy_handle;
            CURLcode result = msg->data.result;
            for (Transfer* t = running_.head; t != nullptr; t = t->next) {
                if (t->easy == easy) {
                    finish(t, End::Finished, result);
                    break;
                }
            }
        }
        // A finished transfer keeps its answer even if its cancel or deadline came in the
        // same turn; the others end here, whatever libcurl was still waiting for.
        const auto now = SteadyClock::now();
        for (Transfer* t = running_.head; t != nullptr;) {
            Transfer* next = t->next;
            if (t->cancel != nullptr && t->cancel->cancelled()) {
                finish(t, End::Cancelled, CURLE_OK);
            } else if (now >= t->deadline) {
                finish(t, End::DeadlinePassed, CURLE_OPERATION_TIMEDOUT);
            }
            t = next;
        }

        // The finished transfers are the driver's alone: their owners are told without mu_.
        bool mine_done = false;
        while (Transfer* t = finished_.head) {
            finished_.remove(t);
            if (t == &mine) {
                mine_done = true;
            } else {
                t->signal(&Transfer::done);  // t may be gone once this returns
            }
        }
        lock.lock();
        if (mine_done) {
            return;
        }
        if (pending_.head != nullptr) {
            continue;  // handed over while this turn ran: add them before sleeping
        }
        polling_ = true;
        lock.unlock();
        wait_for_activity();
        lock.lock();
        polling_ = false;
        woken_ = false;
    }
}

void TransferLoop::finish(Transfer* t, End end, CURLcode result) {
    curl_multi_remove_handle(multi_, t->easy);
    running_.remove(t);
    t->outcome = {end, result};
    finished_.push(t);
}

void TransferLoop::wait_for_activity() {
    // No fixed slices: libcurl's own timer (curl_multi_poll shortens the wait to
    // curl_multi_timeout by itself), the earliest deadline, a socket, a watched fd or a
    // wake-up (a new transfer, a cancel) ends the wait.
    std::optional<SteadyClock::time_point> earliest;
    for (Transfer* t = running_.head; t != nullptr; t = t->next) {
        earliest = earliest ? std::min(*earliest, t->deadline) : t->deadline;
    }
    int timeout_ms = earliest ? poll_timeout_ms(*earliest) : kFallbackPollMs;
    if (!wakeup_works_) {
        timeout_ms = std::min(timeout_ms, kFallbackPollMs);
    }

    watch_fds_.clear();
    try {
        for (Transfer* t = running_.head; t != nullptr; t = t->next) {
            int fd = t->cancel != nullptr ? t->cancel->watch().fd : -1;
            if (fd >= 0 && std::none_of(watch_fds_.begin(), watch_fds_.end(),
                                        [fd](const curl_waitfd& w) { return w.fd == fd; })) {
                watch_fds_.push_back(curl_waitfd{fd, CURL_WAIT_POLLIN, 0});
            }
        }
    } catch (const std::bad_alloc&) {
        timeout_ms = std::min(timeout_ms, kFallbackPollMs);
    }
    curl_multi_poll(multi_, watch_fds_.data(), static_cast<unsigned>(watch_fds_.size()), timeout_ms,
                    nullptr);

    // curl_multi_poll reports only POLLIN/POLLOUT/POLLPRI of extra fds, not the hang-up or
    // invalid fd that would make it return at once forever: ask poll() itself, without
    // waiting, which watched fds have something to say.
    for (const curl_waitfd& w : watch_fds_) {
        pollfd p{w.fd, POLLIN, 0};
        if (poll(&p, 1, 0) <= 0 || p.revents == 0) {
            continue;
        }
        const CancelState::SignalBytes bytes = CancelState::read_watched(w.fd);
        for (Transfer* t = running_.head; t != nullptr; t = t->next) {
            if (t->cancel != nullptr) {
                t->cancel->offer(w.fd, bytes);
            }
        }
    }
}

void TransferLoop::hand_over() {
    // Whoever still has a transfer here must drive now: wake one of them (the others keep
    // sleeping until their transfer is done).
    Transfer* next = running_.head != nullptr ? running_.head : pending_.head;
    if (next != nullptr) {
        next->signal(&Transfer::must_drive);
    }
}

}  // namespace dcs::core
