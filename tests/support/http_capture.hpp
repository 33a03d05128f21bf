// A one-connection-at-a-time HTTP/1.1 server on 127.0.0.1 that records the raw bytes of
// every request and answers each with the same canned response. The emulator parses
// requests before logging them; this shows what libdcs puts on the wire, byte for byte
// (e.g. that it never sends "Expect: 100-continue").
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dcs::test {

class HttpCapture {
   public:
    // Every request gets `status` with `body` as application/json.
    HttpCapture(int status, std::string body);
    ~HttpCapture();
    HttpCapture(const HttpCapture&) = delete;
    HttpCapture& operator=(const HttpCapture&) = delete;

    [[nodiscard]] std::string base_url() const;
    // The raw requests (head and body) received so far.
    [[nodiscard]] std::vector<std::string> requests() const;

   private:
    void serve();
    void serve_connection(int fd);

    int listen_fd_ = -1;
    int port_ = 0;
    int status_;
    std::string body_;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mu_;
    std::vector<std::string> requests_;
    std::thread thread_;
};

}  // namespace dcs::test
