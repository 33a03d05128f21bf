#include "interrupt.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace dcsctl {
namespace {

// The write end of the self-pipe, for the handler. One watcher per process.
volatile std::sig_atomic_t g_write_fd = -1;
constexpr unsigned char kStopWatching = 0;

extern "C" void on_signal(int signo) {
    int saved_errno = errno;
    if (g_write_fd >= 0) {
        auto byte = static_cast<unsigned char>(signo);
        // Nothing useful can be done if the pipe is full: a signal is already pending.
        [[maybe_unused]] ssize_t n = ::write(g_write_fd, &byte, 1);
    }
    errno = saved_errno;
}

void install(int signo, void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(signo, &action, nullptr);
}

}  // namespace

InterruptWatcher::InterruptWatcher(dcs_cancel_token* cancel) : cancel_(cancel) {
    if (::pipe2(pipe_, O_CLOEXEC) != 0) {
        return;  // no watcher: a signal then simply kills the process
    }
    g_write_fd = pipe_[1];
    install(SIGINT, on_signal);
    install(SIGTERM, on_signal);
    thread_ = std::thread([this] { watch(); });
}

InterruptWatcher::~InterruptWatcher() {
    if (thread_.joinable()) {
        unsigned char stop = kStopWatching;
        while (::write(pipe_[1], &stop, 1) < 0 && errno == EINTR) {
        }
        thread_.join();
    }
    install(SIGINT, SIG_DFL);
    install(SIGTERM, SIG_DFL);
    g_write_fd = -1;
    for (int fd : pipe_) {
        if (fd >= 0) {
            ::close(fd);
        }
    }
}

void InterruptWatcher::watch() {
    for (;;) {
        unsigned char byte = 0;
        ssize_t n = ::read(pipe_[0], &byte, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0 || byte == kStopWatching) {
            return;
        }
        int signo = byte;
        if (signal_.load() == 0) {
            {
                // Under the mutex, so that a sleeper cannot miss the wake-up between checking
                // the signal and starting to wait.
                std::lock_guard<std::mutex> lock(mu_);
                signal_.store(signo);
            }
            // Patience has limits: the same signal again ends the process at once.
            install(signo, SIG_DFL);
            dcs_cancel_token_cancel(cancel_);
            woken_.notify_all();
        }
    }
}

bool InterruptWatcher::sleep_until(std::chrono::steady_clock::time_point until) {
    std::unique_lock<std::mutex> lock(mu_);
    return !woken_.wait_until(lock, until, [this] { return signal_.load() != 0; });
}

}  // namespace dcsctl
