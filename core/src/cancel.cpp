#include "cancel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <system_error>
#include <thread>

namespace dcs::core {
namespace {

constexpr int64_t kSignoSlots = 256;  // watch_ packs fd * 256 + signo
constexpr int kMaxSigno = 64;         // Linux's highest real-time signal

int64_t pack(int fd, int signo) { return int64_t{fd} * kSignoSlots + signo; }

CancelState::Watch unpack(int64_t packed) {
    if (packed < 0) {
        return {};
    }
    return {static_cast<int>(packed / kSignoSlots), static_cast<int>(packed % kSignoSlots)};
}

// Both ends non-blocking (a full pipe must not block cancel(), an empty one must not block a
// reader) and closed on exec (a child process has no business with them).
bool make_wake_pipe(std::array<int, 2>& fds) {
    if (pipe(fds.data()) != 0) {
        return false;
    }
    for (int fd : fds) {
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    return true;
}

}  // namespace

CancelState::Registration::Registration(const CancelState& state, Waker& waker)
    : state_(state), waker_(waker) {
    std::lock_guard<std::mutex> lock(state_.mu_);
    state_.wakers_.push_back(&waker_);
}

CancelState::Registration::~Registration() {
    std::lock_guard<std::mutex> lock(state_.mu_);
    auto it = std::find(state_.wakers_.rbegin(), state_.wakers_.rend(), &waker_);
    if (it != state_.wakers_.rend()) {
        state_.wakers_.erase(std::next(it).base());
    }
}

CancelState::~CancelState() {
    int read_fd = wake_read_fd_.load();
    if (read_fd >= 0) {
        close(read_fd);
        close(wake_write_fd_);
    }
}

void CancelState::cancel() { raise(); }

void CancelState::raise() const {
    {
        // Raise the flag under the mutex so a sleeper cannot miss the notification
        // between checking the flag and starting to wait, and so no waker is unregistered
        // (and destroyed) while it is being woken.
        std::lock_guard<std::mutex> lock(mu_);
        if (cancelled_.exchange(true, std::memory_order_acq_rel)) {
            return;  // already cancelled: everyone waiting was woken then
        }
        for (Waker* waker : wakers_) {
            waker->wake();
        }
        if (wake_write_fd_ >= 0) {
            // Never read back: the pipe stays readable, as the flag stays raised.
            const char byte = 1;
            ssize_t written = write(wake_write_fd_, &byte, 1);
            static_cast<void>(written);  // a full pipe is readable already
        }
    }
    cv_.notify_all();
}

std::optional<Error> CancelState::watch_fd(int fd, int signo) {
    if (fd < -1) {
        return make_error(Status::InvalidArgument,
                          "fd must be an open file descriptor (0 or more), or -1 to stop "
                          "watching, not " +
                              std::to_string(fd));
    }
    if (fd >= 0 && (signo < 1 || signo > kMaxSigno)) {
        return make_error(Status::InvalidArgument, "signo must be a signal number from 1 to " +
                                                       std::to_string(kMaxSigno) + ", not " +
                                                       std::to_string(signo));
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (fd >= 0 && wake_write_fd_ < 0) {
        std::array<int, 2> fds{-1, -1};
        if (!make_wake_pipe(fds)) {
            return make_error(Status::Internal,
                              "could not create the pipe that lets a cancel wake a watching "
                              "sleep: " +
                                  std::generic_category().message(errno));
        }
        wake_write_fd_ = fds[1];
        // Published before the watch (release), so whoever sees the watch sees the pipe.
        wake_read_fd_.store(fds[0], std::memory_order_release);
    }
    watch_.store(fd < 0 ? -1 : pack(fd, signo), std::memory_order_release);
    cv_.notify_all();  // a sleep on the condition variable switches to watching
    return std::nullopt;
}

CancelState::Watch CancelState::watch() const {
    return unpack(watch_.load(std::memory_order_acquire));
}

void CancelState::stop_watching(int fd) const {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t current = watch_.load(std::memory_order_acquire);
    if (current >= 0 && unpack(current).fd == fd) {
        watch_.store(-1, std::memory_order_release);
    }
}

CancelState::SignalBytes CancelState::read_watched(int fd) {
    SignalBytes read;
    ssize_t n = ::read(fd, read.bytes.data(), read.bytes.size());
    if (n > 0) {
        read.size = static_cast<size_t>(n);
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        read.gone = true;
    }
    // Else someone else read the bytes first: nothing lost, nothing to do.
    return read;
}

void CancelState::offer(int fd, const SignalBytes& read) const {
    Watch current = watch();
    if (current.fd != fd) {
        return;
    }
    if (read.gone) {
        stop_watching(fd);
    } else if (std::memchr(read.bytes.data(), current.signo, read.size) != nullptr) {
        raise();
    }
}

// Sleeps in poll() on the watched fd and the wake pipe. Returns when cancelled (false), when
// `until` passes (true), or when the watch changes (nullopt: the caller starts over).
std::optional<bool> CancelState::sleep_watching(SteadyClock::time_point until, Watch watch) const {
    const int wake_fd = wake_read_fd_.load(std::memory_order_acquire);
    for (;;) {
        if (cancelled()) {
            return false;
        }
        if (SteadyClock::now() >= until) {
            return true;
        }
        std::array<pollfd, 2> fds{};
        fds[0].fd = watch.fd;
        fds[0].events = POLLIN;
        fds[1].fd = wake_fd;
        fds[1].events = POLLIN;
        int ready = poll(fds.data(), fds.size(), poll_timeout_ms(until));
        if (ready < 0 && errno != EINTR) {
            // Cannot poll (out of memory, say): stop watching rather than spin; the
            // condition variable still serves cancel().
            stop_watching(watch.fd);
        } else if (ready > 0 && fds[0].revents != 0) {
            offer(watch.fd, read_watched(watch.fd));
        }
        Watch now = this->watch();
        if (now.fd != watch.fd || now.signo != watch.signo) {
            return std::nullopt;
        }
    }
}

bool CancelState::sleep_until(SteadyClock::time_point until) const {
    for (;;) {
        std::unique_lock<std::mutex> lock(mu_);
        Watch watch = unpack(watch_.load(std::memory_order_acquire));
        if (watch.fd >= 0) {
            lock.unlock();
            if (std::optional<bool> slept = sleep_watching(until, watch)) {
                return *slept;
            }
            continue;
        }
        bool woken = cv_.wait_until(lock, until, [this] {
            return cancelled() || watch_.load(std::memory_order_acquire) >= 0;
        });
        if (cancelled()) {
            return false;
        }
        if (!woken) {
            return true;  // `until` passed
        }
        // A watch was set meanwhile: sleep the rest of the time watching it.
    }
}

int64_t Deadline::remaining_ms() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at_ - SteadyClock::now());
    return left.count();
}

int poll_timeout_ms(SteadyClock::time_point until) {
    auto left = until - SteadyClock::now();
    if (left <= SteadyClock::duration::zero()) {
        return 0;
    }
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return static_cast<int>(std::min<int64_t>(ms, INT_MAX));
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
