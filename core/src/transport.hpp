// HTTP transport on libcurl: connection reuse, deadlines, cancellation, response caps.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cancel.hpp"
#include "error.hpp"
#include "proxy.hpp"
#include "signer.hpp"

namespace dcs::core {

struct TransportConfig {
    std::string ca_file;    // PEM bundle; empty = the system store
    std::string ca_dir;     // OpenSSL hashed directory of CA certificates (c_rehash); empty = none
    bool insecure = false;  // TLS verification off: only when the caller asks
    // nullopt = the environment's https_proxy/http_proxy/no_proxy decide (proxy.hpp);
    // "" = no proxy at all; otherwise the proxy URL for every request.
    std::optional<std::string> proxy;
    int64_t connect_timeout_ms = 10000;
    size_t max_response_bytes = size_t{1024} * 1024;
};

struct HttpRequest {
    std::string method;  // GET, POST, DELETE
    std::string url;     // absolute, query already canonical
    HeaderList headers;  // exactly the signed headers plus Authorization
    std::string body;
    // A request that starts work on the service (RestoreInstance, CopyInstance). libcurl
    // resends a request by itself when a kept-alive connection dies before any answer; for
    // these that copy could start the work twice, so the transport refuses the second send
    // and reports the attempt as ambiguous instead, for the caller to reconcile.
    bool starts_work = false;
};

struct HttpResponse {
    int status = 0;
    std::string body;
    std::string request_id;    // X-Request-Id
    std::string content_type;  // Content-Type
    int64_t retry_after_ms = -1;
    int64_t date_ms = -1;  // the server's Date header, epoch ms
    bool resent = false;   // see Error::resent
};

class TransferLoop;

// Makes libcurl's process-wide initialisation happen exactly once.
void ensure_curl_global_init();

// One Transport per client. perform() is safe to call from many threads at once: every
// transfer runs in the client's one curl multi handle (TransferLoop), whose connection cache
// keeps connections alive for the next calls, with an easy handle from a pool.
class Transport {
   public:
    // `proxies` is resolve_proxy(config.proxy), resolved once by the client.
    Transport(TransportConfig config, ProxyPlan proxies);
    ~Transport();
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    // Performs one HTTP exchange. Any HTTP status is a response; only failures to get
    // one are errors (with Sent::No when the request provably never left). The exchange
    // ends by the earlier of the call's deadline and the attempt's own; passing the
    // attempt's gives an error with attempt_timed_out set.
    Result<HttpResponse> perform(const HttpRequest& request, const Deadline& call_deadline,
                                 const Deadline& attempt_deadline, const CancelState* cancel);

    // New connections opened over the transport's life (for tests and benchmarks).
    [[nodiscard]] int64_t connections_opened() const { return connections_opened_.load(); }

   private:
    struct Easy;
    struct Share;
    std::unique_ptr<Easy> acquire();
    void release(std::unique_ptr<Easy> easy);

    TransportConfig config_;
    ProxyPlan proxies_;
    // Declared in this order so they are destroyed in the reverse one: the idle easy handles,
    // then the multi (which closes the kept-alive connections), then the share they used.
    std::unique_ptr<Share> share_;
    std::unique_ptr<TransferLoop> loop_;
    std::mutex pool_mu_;
    std::vector<std::unique_ptr<Easy>> idle_;
    std::atomic<int64_t> connections_opened_{0};
};

}  // namespace dcs::core
