#include "transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <mutex>
#include <new>
#include <string_view>

#include "text.hpp"
#include "transfer_loop.hpp"

namespace dcs::core {
namespace {

// Connections the client's multi keeps alive after use, and idle easy handles kept for
// reuse: one per concurrent call up to this many. More concurrent calls still work; the
// connections and handles beyond these are simply closed afterwards.
constexpr long kMaxConnections = 64;
constexpr size_t kMaxIdleHandles = 64;
// What perform() reserves for the answer before the transfer (see there).
constexpr size_t kBodyReserve = 1024;
constexpr size_t kHeaderValueReserve = 64;

std::once_flag g_curl_once;

// Everything one transfer's callbacks write to.
struct TransferState {
    HttpResponse response;
    size_t max_bytes = 0;
    bool overflowed = false;
    // CURLOPT_PREREQFUNCTION runs each time the request is about to leave: once normally,
    // twice when libcurl resends it after a kept-alive connection died unanswered.
    int sends = 0;
    // Refuse that second send (HttpRequest::starts_work); set when one was refused.
    bool forbid_resend = false;
    bool resend_refused = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* state = static_cast<TransferState*>(user);
    size_t n = size * count;
    if (state->response.body.size() + n > state->max_bytes) {
        state->overflowed = true;
        return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    state->response.body.append(data, n);
    return n;
}

bool header_is(std::string_view line, std::string_view name) {
    if (line.size() <= name.size() || line[name.size()] != ':') {
        return false;
    }
    // ASCII case folding inline: std::tolower is a locale-aware call per character, on
    // every header line of every answer.
    const auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    for (size_t i = 0; i < name.size(); ++i) {
        if (fold(line[i]) != fold(name[i])) {
            return false;
        }
    }
    return true;
}

int64_t parse_retry_after_ms(std::string_view value) {
    std::string text(value);
    if (!text.empty() && std::all_of(text.begin(), text.end(),
                                     [](unsigned char c) { return std::isdigit(c) != 0; })) {
        // Seconds; capped so a hostile header cannot make a call sleep for days.
        return std::min<int64_t>(std::stoll(text.substr(0, 9)), 3600) * int64_t{1000};
    }
    time_t when = curl_getdate(text.c_str(), nullptr);
    if (when < 0) {
        return -1;
    }
    int64_t delta = (static_cast<int64_t>(when) - static_cast<int64_t>(time(nullptr))) * 1000;
    return std::clamp<int64_t>(delta, 0, int64_t{3600} * 1000);
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* state = static_cast<TransferState*>(user);
    size_t n = size * count;
    std::string_view line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
        // A new response starts (after a 1xx, say): forget the previous one's headers.
        state->response.request_id.clear();
        state->response.content_type.clear();
        state->response.retry_after_ms = -1;
        return n;
    }
    auto value = [&](std::string_view name) { return trim(line.substr(name.size() + 1)); };
    if (header_is(line, "X-Request-Id")) {
        state->response.request_id.assign(value("X-Request-Id").substr(0, 128));
    } else if (header_is(line, "Content-Type")) {
        state->response.content_type.assign(value("Content-Type").substr(0, 128));
    } else if (header_is(line, "Retry-After")) {
        state->response.retry_after_ms = parse_retry_after_ms(value("Retry-After").substr(0, 64));
    } else if (header_is(line, "Date")) {
        // Every answer carries a Date: the strict IMF-fixdate parser reads it for a fraction
        // of curl_getdate's cost, which stays the fallback for the obsolete forms.
        std::string_view text = value("Date").substr(0, 64);
        int64_t when = parse_imf_fixdate(text);
        if (when < 0) {
            when = curl_getdate(std::string(text).c_str(), nullptr);
        }
        state->response.date_ms = when < 0 ? -1 : when * 1000;
    }
    return n;
}

int on_prereq(void* user, char* /*conn_primary_ip*/, char* /*conn_local_ip*/,
              int /*conn_primary_port*/, int /*conn_local_port*/) {
    auto* state = static_cast<TransferState*>(user);
    if (state->forbid_resend && state->sends > 0) {
        // The first copy left on a connection that then died unanswered: the service may
        // have acted on it. Sending a second copy is the caller's decision, not libcurl's.
        state->resend_refused = true;
        return CURL_PREREQFUNC_ABORT;
    }
    ++state->sends;
    return CURL_PREREQFUNC_OK;
}

// TLS failures that another attempt cannot heal: the peer's certificate fails verification,
// or our own CA file, certificate or engine cannot be used.
bool is_permanent_tls_failure(CURLcode code) {
    switch (code) {
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_ENGINE_INITFAILED:
        case CURLE_SSL_INVALIDCERTSTATUS:
            return true;
        default:
            return false;
    }
}

bool is_tls_failure(CURLcode code) {
    // A failed handshake may be passing (a reset mid-handshake); the others cannot heal.
    return code == CURLE_SSL_CONNECT_ERROR || is_permanent_tls_failure(code);
}

// `sent` is Maybe as soon as one copy of the request left, whatever failed afterwards: a
// resend that then cannot connect does not unsend the first copy.
Error transfer_error(CURLcode code, const char* detail, const TransferState& state) {
    std::string text = detail[0] != '\0' ? detail : curl_easy_strerror(code);
    Sent sent = state.sends > 0 ? Sent::Maybe : Sent::No;
    if (state.resend_refused) {
        return make_error(Status::Transport,
                          "the connection closed after the request was sent and before any "
                          "answer; libdcs does not let libcurl resend a request that starts work",
                          Sent::Maybe);
    }
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return make_error(Status::Transport, "could not resolve host: " + text, sent);
        case CURLE_COULDNT_CONNECT:
            return make_error(Status::Transport, "could not connect: " + text, sent);
        case CURLE_WRITE_ERROR:
            if (state.overflowed) {
                return make_error(Status::BadResponse,
                                  "response body larger than the " +
                                      std::to_string(state.max_bytes) + "-byte limit",
                                  Sent::Yes);
            }
            break;
        default:
            break;
    }
    if (is_tls_failure(code)) {
        // The TLS handshake precedes the request, so nothing was sent (by this copy).
        Error error = make_error(Status::Transport, "TLS failure: " + text, sent);
        error.permanent = is_permanent_tls_failure(code);
        return error;
    }
    return make_error(Status::Transport, text, sent);
}

// A transfer that ran out of time. When the call's own deadline passed, that is the end of
// the call. When only the attempt's limit passed, the call may try again (if nothing was
// sent) or find out what the service did (if something was).
Error timeout_error(const TransferState& state, bool call_limited, int64_t limit_ms,
                    const std::string& detail) {
    Sent sent = state.sends > 0 ? Sent::Maybe : Sent::No;
    std::string why = detail.empty() ? std::string() : " (" + detail + ")";
    // Decided by which limit the transfer ran under, not by the clock afterwards: libcurl may
    // time out a millisecond before the call's deadline reads as expired.
    if (call_limited) {
        Error error = make_error(Status::Timeout, "the call's deadline passed" + why, sent);
        error.resent = state.sends > 1;
        return error;
    }
    Error error;
    if (state.sends == 0) {
        // Never connected (or the handshake never ended): nothing left, retrying is safe.
        error = make_error(
            Status::Transport,
            "no connection within the attempt's " + std::to_string(limit_ms) + " ms" + why,
            Sent::No);
    } else {
        error = make_error(Status::Timeout,
                           "no answer within the attempt's " + std::to_string(limit_ms) +
                               " ms after the request was sent" + why,
                           Sent::Maybe);
    }
    error.attempt_timed_out = true;
    error.resent = state.sends > 1;
    return error;
}

}  // namespace

void ensure_curl_global_init() {
    // libcurl's global cleanup is left to process exit on purpose: other libraries in the
    // same process may use libcurl, and curl_global_cleanup() is not safe against them.
    std::call_once(g_curl_once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw std::bad_alloc();
        }
    });
}

// DNS answers and TLS sessions shared by all of a transport's handles, so a second
// concurrent connection resumes the TLS session instead of a full handshake.
struct Transport::Share {
    CURLSH* share = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;

    Share() {
        share = curl_share_init();
        if (share == nullptr) {
            throw std::bad_alloc();
        }
        curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Share::lock);
        curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Share::unlock);
        curl_share_setopt(share, CURLSHOPT_USERDATA, this);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }
    ~Share() { curl_share_cleanup(share); }
    Share(const Share&) = delete;
    Share& operator=(const Share&) = delete;

    static void lock(CURL* /*handle*/, curl_lock_data data, curl_lock_access /*access*/,
                     void* user) {
        static_cast<Share*>(user)->locks.at(static_cast<size_t>(data)).lock();
    }
    static void unlock(CURL* /*handle*/, curl_lock_data data, void* user) {
        static_cast<Share*>(user)->locks.at(static_cast<size_t>(data)).unlock();
    }
};

// An easy handle from the pool. The connection it used stays in the client's multi, so
// any handle reuses any kept-alive connection.
struct Transport::Easy {
    CURL* easy = nullptr;

    // Sets, once, every option that is the same for all of the transport's requests;
    // perform() sets only what changes. (curl_easy_reset before each call would redo all
    // of this, a measurable share of a call's cost on a kept-alive connection.)
    Easy(const TransportConfig& config, CURLSH* share) {
        easy = curl_easy_init();
        if (easy == nullptr) {
            throw std::bad_alloc();
        }
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_SHARE, share);
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
        curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
        curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
        curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &on_prereq);
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, config.insecure ? 0L : 1L);
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, config.insecure ? 0L : 2L);
        if (!config.ca_file.empty()) {
            curl_easy_setopt(easy, CURLOPT_CAINFO, config.ca_file.c_str());
        }
        if (!config.ca_dir.empty()) {
            curl_easy_setopt(easy, CURLOPT_CAPATH, config.ca_dir.c_str());
        }
    }

    // The proxy for the request's scheme (proxy.hpp), set only when it changes: endpoints of
    // one client may mix http and https. Always set, "" included, so that libcurl never
    // reads the environment itself: the client resolved it once, the same way in every
    // binding.
    void use_route(const ProxyRoute& next) {
        if (route == &next) {
            return;
        }
        curl_easy_setopt(easy, CURLOPT_PROXY, next.url.c_str());
        // "" makes every host use the proxy, and keeps NO_PROXY of the environment out
        // when the caller chose the proxy explicitly.
        curl_easy_setopt(easy, CURLOPT_NOPROXY, next.no_proxy.c_str());
        route = &next;
    }
    const ProxyRoute* route = nullptr;

    // The request's headers as the curl_slist CURLOPT_HTTPHEADER takes, built in storage
    // this handle keeps: once its capacity has grown to a request's size, a call allocates
    // nothing for its headers, where curl_slist_append would allocate a node and a copy of
    // the line for each of them (two dozen allocations a call). curl_slist is a public
    // struct and libcurl only reads the list while the transfer runs, so nodes we own are
    // as good as its own.
    curl_slist* header_list(const HeaderList& headers) {
        // No "Expect: 100-continue" round trip, and no library-chosen Accept header.
        static constexpr std::string_view kFixed[] = {"Expect:", "Accept: application/json"};
        header_text.clear();
        header_starts.clear();
        for (const auto& [name, value] : headers) {
            header_starts.push_back(header_text.size());
            header_text.append(name).append(": ").append(value).push_back('\0');
        }
        for (std::string_view line : kFixed) {
            header_starts.push_back(header_text.size());
            header_text.append(line).push_back('\0');
        }
        // Linked only now: appending may have moved the text.
        header_nodes.resize(header_starts.size());
        for (size_t i = 0; i < header_nodes.size(); ++i) {
            header_nodes[i].data = header_text.data() + header_starts[i];
            header_nodes[i].next = i + 1 < header_nodes.size() ? &header_nodes[i + 1] : nullptr;
        }
        return header_nodes.data();
    }
    std::string header_text;  // the lines, each ended by a NUL
    std::vector<size_t> header_starts;
    std::vector<curl_slist> header_nodes;

    ~Easy() { curl_easy_cleanup(easy); }
    Easy(const Easy&) = delete;
    Easy& operator=(const Easy&) = delete;

    // The request line: GET, POST with a body, or another method with an optional body.
    // Each branch undoes what another request's branch may have left set.
    void set_method(const HttpRequest& request) const {
        bool is_post = request.method == "POST";
        if (request.method == "GET" || (!is_post && request.body.empty())) {
            curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        } else {
            curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
            curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request.body.size()));
        }
        bool custom = request.method != "GET" && !is_post;
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, custom ? request.method.c_str() : nullptr);
    }
};

Transport::Transport(TransportConfig config, ProxyPlan proxies)
    : config_(std::move(config)), proxies_(std::move(proxies)) {
    ensure_curl_global_init();
    share_ = std::make_unique<Share>();
    loop_ = std::make_unique<TransferLoop>(kMaxConnections);
}

Transport::~Transport() {
    // The easy handles first: none is in the multi any more (no call runs while the
    // transport is destroyed), then the multi and its connections, then the share.
    idle_.clear();
    loop_.reset();
}

std::unique_ptr<Transport::Easy> Transport::acquire() {
    {
        std::lock_guard<std::mutex> lock(pool_mu_);
        if (!idle_.empty()) {
            auto easy = std::move(idle_.back());
            idle_.pop_back();
            return easy;
        }
    }
    return std::make_unique<Easy>(config_, share_->share);
}

void Transport::release(std::unique_ptr<Easy> easy) {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (idle_.size() < kMaxIdleHandles) {
        idle_.push_back(std::move(easy));
    }
}

Result<HttpResponse> Transport::perform(const HttpRequest& request, const Deadline& call_deadline,
                                        const Deadline& attempt_deadline,
                                        const CancelState* cancel) {
    if (cancel != nullptr && cancel->cancelled()) {
        return make_error(Status::Cancelled, "the call was cancelled", Sent::No);
    }
    if (call_deadline.remaining_ms() <= 0) {
        return make_error(Status::Timeout, "the call's deadline passed before the request",
                          Sent::No);
    }
    const bool call_limited = !(attempt_deadline.at() < call_deadline.at());
    const Deadline& deadline = call_limited ? call_deadline : attempt_deadline;
    int64_t remaining = std::max<int64_t>(deadline.remaining_ms(), 1);

    auto handle = acquire();
    CURL* easy = handle->easy;

    TransferState state;
    state.max_bytes = config_.max_response_bytes;
    // Allocated here, on the caller's thread, which also frees them: the callbacks that fill
    // them run on whichever thread drives the loop, and a block allocated by one thread and
    // freed by another costs glibc's malloc a lock on the first thread's arena (measured with
    // 64 calls in flight). The sizes fit a restore's answer and the usual header values.
    state.response.body.reserve(kBodyReserve);
    state.response.request_id.reserve(kHeaderValueReserve);
    state.response.content_type.reserve(kHeaderValueReserve);
    state.forbid_resend = request.starts_work;
    std::array<char, CURL_ERROR_SIZE> detail{};

    const ProxyRoute& route = request.url.rfind("https:", 0) == 0 ? proxies_.https : proxies_.http;
    handle->use_route(route);
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, handle->header_list(request.headers));
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, detail.data());
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min(remaining, config_.connect_timeout_ms)));
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &state);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &state);
    curl_easy_setopt(easy, CURLOPT_PREREQDATA, &state);
    handle->set_method(request);

    // The callbacks above write to `state` and `detail` on whichever thread drives the
    // loop; run() returns only once the transfer is out of the multi, and its mutex makes
    // those writes visible here.
    const TransferLoop::Outcome outcome = loop_->run(easy, deadline.at(), cancel);
    // The error buffer dies with this call; nothing may point at it while the handle waits
    // in the pool. (The header list lives in the handle, but is cleared too, so that the
    // next request never sends it by mistake.)
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);

    long connects = 0;
    curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
    connections_opened_ += connects;
    long http_status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &http_status);
    release(std::move(handle));

    Sent sent = state.sends > 0 ? Sent::Maybe : Sent::No;
    if (outcome.end == TransferLoop::End::Cancelled) {
        return make_error(Status::Cancelled, "the call was cancelled", sent);
    }
    if (outcome.end == TransferLoop::End::DeadlinePassed ||
        outcome.result == CURLE_OPERATION_TIMEDOUT) {
        return timeout_error(state, call_limited, remaining, std::string(detail.data()));
    }
    if (outcome.result != CURLE_OK) {
        Error error = transfer_error(outcome.result, detail.data(), state);
        error.resent = state.sends > 1;
        if (!route.url.empty()) {
            // libcurl names only an address; say which proxy, and where its URL came from
            // (the environment surprises people), without its credentials.
            error.message += " (through the proxy " + redact_proxy_url(route.url) + " from " +
                             route.source + ")";
        }
        return error;
    }
    state.response.status = static_cast<int>(http_status);
    state.response.resent = state.sends > 1;
    return std::move(state.response);
}

}  // namespace dcs::core
