#include "http_capture.hpp"

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

// Waits up to `ms` for `fd` to become readable; false on timeout or error.
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

// The Content-Length of a request head, 0 if absent.
size_t content_length(const std::string& head) {
    std::string h = lower(head);
    size_t at = h.find("\r\ncontent-length:");
    if (at == std::string::npos) {
        return 0;
    }
    return static_cast<size_t>(std::strtoul(h.c_str() + at + 17, nullptr, 10));
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

}  // namespace

HttpCapture::HttpCapture(int status, std::string body) : status_(status), body_(std::move(body)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) {
        throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 8) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error(std::string("capture server: ") + std::strerror(errno));
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
}

HttpCapture::~HttpCapture() {
    stopping_ = true;
    thread_.join();  // the server polls with a short timeout, so it notices promptly
    ::close(listen_fd_);
}

std::string HttpCapture::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> HttpCapture::requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
}

void HttpCapture::serve() {
    while (!stopping_) {
        if (!readable(listen_fd_, 50)) {
            continue;
        }
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
            serve_connection(fd);
            ::close(fd);
        }
    }
}

void HttpCapture::serve_connection(int fd) {
    std::string buffer;
    while (!stopping_) {
        size_t head_end = buffer.find("\r\n\r\n");
        if (head_end != std::string::npos) {
            size_t total = head_end + 4 + content_length(buffer.substr(0, head_end + 2));
            if (buffer.size() >= total) {
                {
                    std::lock_guard<std::mutex> lock(mu_);
                    requests_.push_back(buffer.substr(0, total));
                }
                buffer.erase(0, total);
                send_all(fd, "HTTP/1.1 " + std::to_string(status_) +
                                 " Canned\r\nContent-Type: application/json\r\n"
                                 "X-Request-Id: capture-request-id\r\nContent-Length: " +
                                 std::to_string(body_.size()) + "\r\n\r\n" + body_);
                continue;
            }
        }
        if (!readable(fd, 50)) {
            continue;
        }
        char chunk[4096];
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            return;  // the client closed the connection
        }
        buffer.append(chunk, static_cast<size_t>(n));
    }
}

}  // namespace dcs::test
