// The DCS client of the core: every operation libdcs offers, with retries, deadlines,
// cancellation and logging. Thread-safe: the configuration is fixed at creation and the
// transport pools its connections.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "backup_select.hpp"
#include "cancel.hpp"
#include "config.hpp"
#include "error.hpp"
#include "json_codec.hpp"
#include "retry.hpp"
#include "transport.hpp"

namespace dcs::core {

struct CallOptions {
    int64_t timeout_ms = 0;  // 0 = the operation's default
    CancelPtr cancel;
    int max_attempts = 0;            // 0 = the client's default
    int64_t attempt_timeout_ms = 0;  // 0 = the client's (ClientConfig::attempt_timeout_ms)
    // RestoreInstance: how long to look for a restore an ambiguous attempt may have started;
    // 0 = the client's (RetryTuning::reconcile_window_ms).
    int64_t reconcile_window_ms = 0;
    bool preflight = false;  // restore only
    // Answers that say the instance is busy and started nothing (DCS.4096, DCS.4049, a
    // DCS.4097 for another's restore, ...) are waited out until the deadline instead of
    // counting against max_attempts.
    bool wait_while_busy = false;
};

// What RestoreInstance started.
struct RestoreStarted {
    std::string restore_id;
    // True when the id was not in an answer of this call's POST but found in the listing:
    // an attempt's answer was lost (or unreadable), and the record of the same backup and
    // remark created since the call began (by the service's clock) is the one it started.
    bool adopted = false;
};

// "Did my restore start?": the restore of `backup_id` with `remark` (none = "") created at
// or after `since_ms` (epoch ms, the caller's clock; the client allows for the service's
// clock as learnt from Date headers). The earliest such record wins.
struct RestoreQuery {
    std::string backup_id;
    std::optional<std::string> remark;
    int64_t since_ms = 0;
    // Reconciling an ambiguous attempt: skip the restores this client already reported for
    // earlier intents. A caller's own lookup (find_restore) keeps them.
    bool skip_reported = false;
};

struct ListFilter {
    std::string begin_time;  // yyyyMMddHHmmss, UTC; empty = none
    std::string end_time;
};

struct WaitOptions {
    // The first poll comes this long after the wait begins (wait_schedule.hpp: then polls are
    // aimed at the end predicted from progress, or grow by half without progress).
    int64_t poll_interval_ms = 5000;
    int64_t max_poll_interval_ms = 30000;  // no two polls further apart
    bool wait_for_instance = false;
    std::function<void(const RestoreRecord&)> on_progress;
};

// Checks a call's options against the limits of validate.hpp (0 = "the default" everywhere).
std::optional<Error> validate_call_options(const CallOptions& options);

// What select_backup and plan_restore check before anything is sent: the instance id, the
// selector and the call's options (backup_select.cpp).
std::optional<Error> validate_selection(const std::string& instance_id,
                                        const BackupSelector& selector, const CallOptions& options);

// How long a wait may take when the call sets no timeout (a restore takes 1-30 minutes).
constexpr int64_t kDefaultWaitTimeoutMs = 30LL * 60 * 1000;

class Client {
   public:
    static Result<std::unique_ptr<Client>> create(ClientConfig config);

    Result<RestoreStarted> restore_instance(const std::string& instance_id,
                                            const std::string& backup_id,
                                            const std::optional<std::string>& remark,
                                            const CallOptions& call);
    Result<RestoreRecord> find_restore(const std::string& instance_id, const RestoreQuery& query,
                                       const CallOptions& call);
    Result<std::vector<RestoreRecord>> list_restores(const std::string& instance_id,
                                                     const ListFilter& filter,
                                                     const CallOptions& call);
    Result<RestoreRecord> get_restore(const std::string& instance_id, const std::string& restore_id,
                                      const CallOptions& call);
    Result<RestoreRecord> wait_for_restore(const std::string& instance_id,
                                           const std::string& restore_id, const WaitOptions& wait,
                                           const CallOptions& call);
    Result<std::vector<BackupRecord>> list_backups(const std::string& instance_id,
                                                   const ListFilter& filter,
                                                   const CallOptions& call);
    Result<std::string> create_backup(const std::string& instance_id,
                                      const std::optional<std::string>& remark,
                                      const std::optional<std::string>& backup_format,
                                      const CallOptions& call);
    Outcome delete_backup(const std::string& instance_id, const std::string& backup_id,
                          const CallOptions& call);
    Result<InstanceInfo> show_instance(const std::string& instance_id, const CallOptions& call);
    // The newest restorable backup the selector accepts; NotFound, naming the filters, when
    // there is none (backup_select.cpp).
    Result<BackupRecord> select_backup(const std::string& instance_id,
                                       const BackupSelector& selector, const CallOptions& call);
    // A restore's dry run: the pre-flight checks and the backup chosen, nothing posted
    // (restore_plan.cpp).
    Result<RestorePlan> plan_restore(const std::string& instance_id, const BackupSelector& selector,
                                     const CallOptions& call);

    [[nodiscard]] int64_t connections_opened() const { return transport_.connections_opened(); }
    [[nodiscard]] const ClientConfig& config() const { return config_; }

   private:
    Client(ClientConfig config, std::vector<Endpoint> endpoints, ProxyPlan proxies);

    // The fixed context of one public call: its deadline, cancel flag and attempt budget.
    struct Call {
        Deadline deadline;
        const CancelState* cancel;
        int max_attempts;
        int64_t attempt_timeout_ms;
        int64_t reconcile_window_ms;
        bool wait_while_busy;
        SteadyClock::time_point started;
        // The X-Request-Id of the last response, for errors that come from a record
        // rather than a response (a failed restore).
        mutable std::string last_request_id;
    };
    [[nodiscard]] Call begin(const CallOptions& options, int64_t default_timeout_ms) const;

    struct Request {
        const char* operation;  // the API's name, for logs
        const char* method;
        std::string path;  // below /v2/{project_id}
        QueryParams query;
        std::string body;
        bool starts_work = false;  // RestoreInstance, CopyInstance: never resent by libcurl
    };

    // One signed attempt; a non-2xx status becomes an Error. With several endpoints, one that
    // cannot be reached (nothing sent) passes the attempt on to the next (call_engine.cpp).
    Result<HttpResponse> attempt(const Call& call, const Request& request, int number);
    // The attempt's exchange with one endpoint.
    Result<HttpResponse> exchange(const Call& call, const Request& request, size_t endpoint);
    // Attempts until success, a final error, the attempt budget or the deadline. For
    // StartsWork requests a Reconcile verdict ends the loop so the caller can look for
    // the work before trying again.
    // `earlier_maybe_delivered`, when given, tells whether an attempt before the last one
    // may have reached the service.
    Result<HttpResponse> send(const Call& call, const Request& request, Idempotency kind,
                              bool* earlier_maybe_delivered = nullptr);
    // Sleeps before the next attempt; false (with `error` updated) when the deadline or a
    // cancellation leaves no room for it.
    bool pause_before_retry(const Call& call, Error& error, int attempt_number);

    // Every page of a list operation: pages of the largest size until a short page, the
    // service's total_num, an empty 204, or `stop_at` accepting a record.
    template <class Record, class Parse>
    Result<std::vector<Record>> collect_pages(const Call& call, const char* operation,
                                              const std::string& path, const ListFilter& filter,
                                              Parse parse,
                                              const std::function<bool(const Record&)>& stop_at);
    Result<std::vector<RestoreRecord>> all_restores(
        const Call& call, const std::string& instance_id, const ListFilter& filter,
        const std::function<bool(const RestoreRecord&)>& stop_at = nullptr);
    Result<std::vector<BackupRecord>> all_backups(const Call& call, const std::string& instance_id,
                                                  const ListFilter& filter);
    Result<InstanceInfo> show(const Call& call, const std::string& instance_id);
    // Every backup that passes the selector's filters, the time filter pushed to the service
    // as end_time (backup_select.cpp).
    Result<std::vector<BackupRecord>> backup_candidates(const Call& call,
                                                        const std::string& instance_id,
                                                        const BackupSelector& selector);
    // One record by id. `since_ms` (service clock, epoch ms) limits the listing to records
    // created since then; -1 searches the whole history, newest first (operations.cpp).
    Result<RestoreRecord> restore_by_id(const Call& call, const std::string& instance_id,
                                        const std::string& restore_id, int64_t since_ms = -1);
    // The earliest record matching `query` among those listed now; nullopt when none.
    Result<std::optional<RestoreRecord>> match_restore(const Call& call,
                                                       const std::string& instance_id,
                                                       const RestoreQuery& query);
    // The service-clock lower bound for created_at of a record made at or after
    // `since_wall_ms` (our clock).
    [[nodiscard]] int64_t created_lower_bound(int64_t since_wall_ms) const;

    // Restore workflow pieces (restore.cpp).
    std::optional<Error> preflight(const Call& call, const std::string& instance_id,
                                   const std::string& backup_id);
    struct Adopted {
        std::optional<std::string> restore_id;
        std::optional<Error> error;  // a listing failure that must end the call
    };
    Adopted reconcile(const Call& call, const std::string& instance_id, const RestoreQuery& query,
                      int64_t window_ms);
    // The error of a call whose restore may have started and could not be found.
    Error unresolved(const Call& call, const std::string& instance_id, const RestoreQuery& query,
                     Error cause, const std::optional<Error>& listing_error) const;

    // Wait pieces (wait.cpp).
    std::optional<Error> wait_for_instance_running(const Call& call, const std::string& instance_id,
                                                   int64_t poll_ms);

    [[nodiscard]] std::string instance_path(const std::string& instance_id) const;
    // The service's clock minus ours, learnt from Date headers; 0 until one is seen.
    [[nodiscard]] int64_t wall_now_ms() const;
    // Restore ids this client has already reported to a caller (answered or adopted), with
    // when, newest last and bounded. Reconciling never adopts one of them: with the same
    // backup and remark, an earlier intent's restore created within the clock slack would
    // otherwise pass for the one an ambiguous attempt may have started (restore.cpp). A wait
    // times its first poll from when the restore was reported (wait.cpp).
    struct ReportedRestore {
        std::string restore_id;
        SteadyClock::time_point at;
    };
    void remember_restore(const std::string& restore_id);
    [[nodiscard]] std::optional<SteadyClock::time_point> reported_at(
        const std::string& restore_id) const;
    [[nodiscard]] bool reported_before(const std::string& restore_id) const {
        return reported_at(restore_id).has_value();
    }
    mutable std::mutex reported_mu_;
    std::deque<ReportedRestore> reported_restores_;
    std::atomic<int64_t> server_clock_offset_ms_{0};
    std::atomic<bool> server_clock_known_{false};
    void log(LogLevel level, const std::string& message) const {
        config_.log.write(level, message);
    }

    ClientConfig config_;
    // In the order they are tried; each signing kit's templates[i] is for endpoints_[i].
    std::vector<Endpoint> endpoints_;
    // The endpoint that answered last: attempts start there, so a dead first endpoint costs
    // one failed connection, not one per call.
    std::atomic<size_t> preferred_endpoint_{0};
    // The signer of the current credentials with, per endpoint, the Content-Type,
    // User-Agent, X-Project-Id and Host headers prepared for signing once per credentials
    // (credentials.hpp: fixed keys once, a provider's each time they are refreshed).
    std::unique_ptr<CredentialsSource> credentials_;
    Transport transport_;
};

}  // namespace dcs::core
