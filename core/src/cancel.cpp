#include "cancel.hpp"

#include <algorithm>
#include <thread>

namespace dcs::core {

void CancelState::cancel() {
    {
        // Raise the flag under the mutex so a sleeper cannot miss the notification
        // between checking the flag and starting to wait.
        std::lock_guard<std::mutex> lock(mu_);
        cancelled_.store(true, std::memory_order_release);
    }
    cv_.notify_all();
}

bool CancelState::sleep_until(SteadyClock::time_point until) const {
    std::unique_lock<std::mutex> lock(mu_);
    return !cv_.wait_until(lock, until, [this] { return cancelled(); });
}

int64_t Deadline::remaining_ms() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at_ - SteadyClock::now());
    return left.count();
}

bool interruptible_sleep(int64_t ms, const Deadline& deadline, const CancelState* cancel) {
    auto until = std::min(SteadyClock::now() + std::chrono::milliseconds(std::max<int64_t>(ms, 0)),
                          deadline.at());
    if (cancel != nullptr) {
        return cancel->sleep_until(until);
    }
    std::this_thread::sleep_until(until);
    return true;
}

}  // namespace dcs::core
