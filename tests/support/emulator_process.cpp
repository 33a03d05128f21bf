#include "emulator_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#ifndef DCS_EMULATOR_PATH
#error "DCS_EMULATOR_PATH must name the dcs-emulator binary"
#endif

namespace dcs::test {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Reads up to the first newline, giving up at `deadline`.
std::string read_first_line(int fd, SteadyClock::time_point deadline) {
    std::string line;
    for (;;) {
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
        if (left.count() <= 0) {
            throw std::runtime_error("dcs-emulator did not print its URL in time");
        }
        pollfd p{fd, POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            continue;  // the deadline check above ends the loop
        }
        char c = 0;
        ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            throw std::runtime_error("dcs-emulator exited before printing its URL");
        }
        if (c == '\n') {
            return line;
        }
        line += c;
    }
}

bool reap_within(pid_t pid, std::chrono::milliseconds limit) {
    auto until = SteadyClock::now() + limit;
    for (;;) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) {
            return true;
        }
        if (SteadyClock::now() >= until) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace

std::string EmulatorProcess::binary_path() {
    const char* overridden = std::getenv("DCS_EMULATOR");
    return overridden != nullptr && *overridden != '\0' ? overridden : DCS_EMULATOR_PATH;
}

EmulatorProcess::EmulatorProcess(const std::vector<std::string>& extra_args,
                                 std::chrono::milliseconds startup_timeout) {
    std::string binary = binary_path();
    if (::access(binary.c_str(), X_OK) != 0) {
        throw std::runtime_error("dcs-emulator not found or not executable at " + binary +
                                 " (build it, or set DCS_EMULATOR)");
    }
    std::vector<std::string> args = {binary,   "--listen",  "127.0.0.1:0",
                                     "--demo", "--timings", "fast"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    // Everything the child needs is prepared before fork: after it, only
    // async-signal-safe calls are allowed in a multi-threaded parent.
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    }
    pid_t parent = ::getpid();
    pid_t child = ::fork();
    if (child < 0) {
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (child == 0) {
        // Should the test program die without running destructors (a crash, a ctest
        // timeout), the kernel still stops the emulator.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) {
            ::_exit(127);
        }
        ::dup2(pipe_fds[1], STDOUT_FILENO);  // dup2 clears O_CLOEXEC on the copy
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    pid_ = child;
    stdout_fd_ = pipe_fds[0];
    try {
        base_url_ = read_first_line(stdout_fd_, SteadyClock::now() + startup_timeout);
        if (base_url_.rfind("http://", 0) != 0 && base_url_.rfind("https://", 0) != 0) {
            throw std::runtime_error("dcs-emulator printed \"" + base_url_ +
                                     "\" instead of its base URL");
        }
        while (!base_url_.empty() && base_url_.back() == '/') {
            base_url_.pop_back();
        }
    } catch (...) {
        stop();
        throw;
    }
}

EmulatorProcess::~EmulatorProcess() { stop(); }

void EmulatorProcess::stop() noexcept {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        // SIGTERM lets it stop its redis-servers; SIGKILL only if it hangs.
        if (!reap_within(pid_, std::chrono::seconds(10))) {
            ::kill(pid_, SIGKILL);
            reap_within(pid_, std::chrono::seconds(5));
        }
        pid_ = -1;
    }
    if (stdout_fd_ >= 0) {
        ::close(stdout_fd_);
        stdout_fd_ = -1;
    }
}

}  // namespace dcs::test
