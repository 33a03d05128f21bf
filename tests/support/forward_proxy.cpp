#include "forward_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace dcs::test {
namespace {

constexpr int kIoTimeoutMs = 10000;

bool readable(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, ms) > 0;
}

std::string lower(std::string s) {
    for (char& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

void send_all(int fd, const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            return;
        }
        sent += static_cast<size_t>(n);
    }
}

// Reads until `done(buffer)` or EOF or a quiet `kIoTimeoutMs`.
template <class Done>
std::string read_until(int fd, Done done) {
    std::string buffer;
    while (!done(buffer) && readable(fd, kIoTimeoutMs)) {
        char chunk[4096];
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            break;
        }
        buffer.append(chunk, static_cast<size_t>(n));
    }
    return buffer;
}

int listen_loopback(int* port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 8) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error(std::string("listen: ") + std::strerror(errno));
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

int connect_loopback(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

int closed_loopback_port() {
    int port = 0;
    ::close(listen_loopback(&port));
    return port;
}

ForwardProxy::ForwardProxy() {
    listen_fd_ = listen_loopback(&port_);
    thread_ = std::thread([this] { serve(); });
}

ForwardProxy::~ForwardProxy() {
    stopping_ = true;
    thread_.join();
    ::close(listen_fd_);
}

std::string ForwardProxy::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> ForwardProxy::request_lines() const {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
}

std::vector<std::string> ForwardProxy::proxy_authorizations() const {
    std::lock_guard<std::mutex> lock(mu_);
    return authorizations_;
}

void ForwardProxy::serve() {
    while (!stopping_) {
        if (!readable(listen_fd_, 50)) {
            continue;
        }
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
            relay(fd);
            ::close(fd);
        }
    }
}

void ForwardProxy::relay(int client_fd) {
    std::string request = read_until(client_fd, [](const std::string& b) {
        size_t end = b.find("\r\n\r\n");
        if (end == std::string::npos) {
            return false;
        }
        std::string head = lower(b.substr(0, end + 2));
        size_t at = head.find("\r\ncontent-length:");
        size_t length =
            at == std::string::npos ? 0 : std::strtoul(head.c_str() + at + 17, nullptr, 10);
        return b.size() >= end + 4 + length;
    });
    size_t head_end = request.find("\r\n\r\n");
    if (head_end == std::string::npos) {
        return;
    }
    // "METHOD http://host:port/path HTTP/1.1"
    std::string line = request.substr(0, request.find("\r\n"));
    size_t target = line.find(" http://");
    size_t path = target == std::string::npos ? std::string::npos : line.find('/', target + 8);
    size_t colon = target == std::string::npos ? std::string::npos : line.find(':', target + 8);
    if (path == std::string::npos || colon == std::string::npos || colon > path) {
        send_all(client_fd, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        return;
    }
    int port = std::atoi(line.c_str() + colon + 1);
    std::string origin_line = line.substr(0, target + 1) + line.substr(path);
    // The head without Connection / Proxy-* headers; the origin is asked to close after.
    std::string headers;
    std::string authorization;
    size_t pos = line.size() + 2;
    while (pos < head_end + 2) {
        size_t eol = request.find("\r\n", pos);
        std::string header = request.substr(pos, eol - pos);
        std::string name = lower(header.substr(0, header.find(':')));
        if (name == "proxy-authorization") {
            authorization = header.substr(header.find(':') + 1);
        } else if (name != "connection" && name != "proxy-connection") {
            headers += header + "\r\n";
        }
        pos = eol + 2;
    }
    {
        std::lock_guard<std::mutex> lock(mu_);
        lines_.push_back(line);
        authorizations_.push_back(authorization);
    }
    int origin_fd = connect_loopback(port);
    if (origin_fd < 0) {
        send_all(client_fd, "HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n");
        return;
    }
    send_all(origin_fd, origin_line + "\r\n" + headers + "Connection: close\r\n\r\n" +
                            request.substr(head_end + 4));
    // The origin closes after its answer (Connection: close), which may say so itself.
    std::string answer = read_until(origin_fd, [](const std::string&) { return false; });
    ::close(origin_fd);
    send_all(client_fd, answer);
}

}  // namespace dcs::test
