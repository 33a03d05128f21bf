// A small HTTP forward proxy on 127.0.0.1 for the network tests: it takes absolute-form
// requests ("POST http://127.0.0.1:PORT/v2/... HTTP/1.1"), counts them, passes each to its
// origin on a connection of its own and relays the answer. One request per client
// connection (it answers with Connection: close), one connection at a time: enough to prove
// which requests went through a proxy and which did not.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dcs::test {

class ForwardProxy {
   public:
    ForwardProxy();
    ~ForwardProxy();
    ForwardProxy(const ForwardProxy&) = delete;
    ForwardProxy& operator=(const ForwardProxy&) = delete;

    // "http://127.0.0.1:PORT"
    [[nodiscard]] std::string url() const;
    [[nodiscard]] int port() const { return port_; }
    // Requests relayed so far (their request lines) and their Proxy-Authorization values.
    [[nodiscard]] std::vector<std::string> request_lines() const;
    [[nodiscard]] std::vector<std::string> proxy_authorizations() const;

   private:
    void serve();
    void relay(int client_fd);

    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mu_;
    std::vector<std::string> lines_;
    std::vector<std::string> authorizations_;
    std::thread thread_;
};

// A loopback port on which nothing listens (bound, then closed): connecting to it is
// refused at once.
int closed_loopback_port();

}  // namespace dcs::test
