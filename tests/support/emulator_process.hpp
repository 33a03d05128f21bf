// A dcs-emulator child process for one test program: started on a free loopback port,
// stopped (SIGTERM, then SIGKILL if it lingers) and reaped when the object dies.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace dcs::test {

class EmulatorProcess {
   public:
    // Starts `<emulator> --listen 127.0.0.1:0 --demo --timings fast <extra_args...>` and
    // waits (at most `startup_timeout`) for the base URL on its first stdout line.
    // Throws std::runtime_error when it cannot start or does not announce itself.
    explicit EmulatorProcess(const std::vector<std::string>& extra_args = {},
                             std::chrono::milliseconds startup_timeout = std::chrono::seconds(15));
    ~EmulatorProcess();
    EmulatorProcess(const EmulatorProcess&) = delete;
    EmulatorProcess& operator=(const EmulatorProcess&) = delete;

    // e.g. "http://127.0.0.1:40123", no trailing slash.
    [[nodiscard]] const std::string& base_url() const { return base_url_; }
    [[nodiscard]] pid_t pid() const { return pid_; }

    // The emulator binary: env DCS_EMULATOR, else the build's DCS_EMULATOR_PATH.
    static std::string binary_path();

   private:
    void stop() noexcept;

    pid_t pid_ = -1;
    int stdout_fd_ = -1;  // kept open: a Go program dies of SIGPIPE writing to a closed stdout
    std::string base_url_;
};

}  // namespace dcs::test
