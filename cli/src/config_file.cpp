#include "config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace dcsctl {
namespace {

constexpr std::array<const char*, 12> kKeys = {"endpoint",
                                               "region",
                                               "project_id",
                                               "ak",
                                               "sk",
                                               "ca_file",
                                               "security_token",
                                               "insecure",
                                               "attempt_timeout",
                                               "reconcile_window",
                                               "ca_dir",
                                               "proxy"};
// Anything bigger is not a configuration file; refuse rather than read it whole.
constexpr off_t kMaxFileBytes = off_t{64} * 1024;

std::string trim(const std::string& s) {
    size_t first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) {
        return "";
    }
    size_t last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

std::string unquote(const std::string& s) {
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
        return s.substr(1, s.size() - 2);
    }
    return s;
}

struct FileCloser {
    int fd;
    ~FileCloser() { ::close(fd); }
};

}  // namespace

std::string default_config_path(bool& explicit_choice) {
    if (const char* env = std::getenv("DCS_CONFIG"); env != nullptr && *env != '\0') {
        explicit_choice = true;
        return env;
    }
    explicit_choice = false;
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') {
        return "";
    }
    return std::string(home) + "/.config/dcsctl/config";
}

std::optional<ConfigFile> read_config_file(const std::string& path, bool missing_ok) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT && missing_ok) {
            return std::nullopt;
        }
        throw ConfigError("cannot read config file " + path + ": " + std::strerror(errno));
    }
    FileCloser closer{fd};
    // fstat on the open descriptor: the mode checked is the mode of the file read.
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        throw ConfigError("config file " + path + " is not a regular file");
    }
    if (st.st_size > kMaxFileBytes) {
        throw ConfigError("config file " + path + " is larger than 64 KiB");
    }
    std::string text;
    std::array<char, 4096> buffer{};
    for (;;) {
        ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw ConfigError("cannot read config file " + path + ": " + std::strerror(errno));
        }
        if (n == 0) {
            break;
        }
        text.append(buffer.data(), static_cast<size_t>(n));
    }

    ConfigFile file;
    file.path = path;
    size_t line_number = 0;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        std::string line = trim(text.substr(start, end - start));
        start = end + 1;
        ++line_number;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        auto where = [&] { return path + ":" + std::to_string(line_number) + ": "; };
        size_t eq = line.find('=');
        if (eq == std::string::npos) {
            throw ConfigError(where() + "expected 'key = value'");
        }
        std::string key = trim(line.substr(0, eq));
        if (std::find_if(kKeys.begin(), kKeys.end(), [&](const char* k) { return key == k; }) ==
            kKeys.end()) {
            throw ConfigError(where() + "unknown key '" + key +
                              "' (known: endpoint, region, project_id, ak, sk, "
                              "security_token, ca_file, insecure, attempt_timeout, "
                              "reconcile_window, ca_dir, proxy)");
        }
        if (file.values.count(key) != 0) {
            throw ConfigError(where() + "'" + key + "' is set twice");
        }
        file.values[key] = unquote(trim(line.substr(eq + 1)));
    }

    // A proxy URL with user info holds the proxy's password.
    bool holds_secret = !file.value("sk").empty() || !file.value("security_token").empty() ||
                        file.value("proxy").find('@') != std::string::npos;
    if (holds_secret && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        throw ConfigError("config file " + path + " holds a secret key but is accessible by " +
                          "group or others (mode " + mode +
                          "); refusing to use it. Fix: chmod 600 " + path);
    }
    return file;
}

}  // namespace dcsctl
