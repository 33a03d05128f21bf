// A client of the emulator's unsigned admin API (/_emulator/...): arranges the world a test
// needs (instances, backups, faults, timings, credentials) and reads back what the library
// did (request log, counters). Every failure throws std::runtime_error: a test whose set-up
// fails must not go on.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace dcs::test {

struct InstanceSpec {
    std::string name;               // empty = the emulator's choice
    std::string cache_mode = "ha";  // "single", "ha", "cluster", ...
    std::string status = "RUNNING";
};

struct BackupSpec {
    std::string status = "succeed";
    std::string is_support_restore = "TRUE";
    std::string remark;
    std::string created_at;   // RFC 3339; empty = now
    std::string backup_type;  // "manual" or "auto"; empty = the emulator's (manual)
};

// Backup records without data, added to an instance's history (POST .../backup_history).
struct BackupHistorySpec {
    int count = 1;
    std::string status = "succeed";
    std::string is_support_restore = "TRUE";
    int64_t newest_age_ms = 3600000;
    int64_t spacing_ms = 60000;
};

// One misbehaviour, as POST /_emulator/faults takes it. Zero/empty fields are not sent.
struct FaultSpec {
    std::string operation;  // e.g. "RestoreInstance", or "*"
    std::string kind;       // status, delay, close_before, close_after, truncated, non_json,
                            // oversized, html_502, throttle
    int count = 0;          // 0 = every matching request
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
    int64_t delay_ms = 0;
    int retry_after = 0;
    std::string instance_id;  // empty = every instance
};

// A partial update of PUT /_emulator/timings.
struct TimingsPatch {
    std::optional<int64_t> restore_waiting_ms;
    std::optional<int64_t> restore_running_ms;
    std::optional<int64_t> backup_waiting_ms;
    std::optional<int64_t> backup_running_ms;
    std::optional<std::string> fail_restores;  // "" = restores succeed
    // A new restore record stays out of ListRestoreRecords this long after its creation.
    std::optional<int64_t> restore_listing_delay_ms;
};

struct LoggedRequest {
    std::string method;
    std::string path;
    std::string query;
    std::string operation;
    std::vector<std::string> signed_headers;
    std::string body;
    int status = 0;  // 0 = no answer was sent
    std::string access_key;
    std::string fault;
};

struct EmulatorStats {
    int64_t connections_accepted = 0;
    int64_t requests = 0;
    int64_t restores_started = 0;
    int64_t backups_started = 0;
};

class AdminClient {
   public:
    explicit AdminClient(std::string base_url);
    ~AdminClient();
    AdminClient(const AdminClient&) = delete;
    AdminClient& operator=(const AdminClient&) = delete;

    // Returns the new instance's id.
    std::string create_instance(const InstanceSpec& spec = {});
    void patch_instance(const std::string& instance_id, const std::optional<std::string>& status,
                        const std::optional<std::string>& cache_mode);
    // Snapshots the instance's data now; returns the backup id.
    std::string create_backup(const std::string& instance_id, const BackupSpec& spec = {});
    int64_t restores_started(const std::string& instance_id);
    int64_t backups_started(const std::string& instance_id);
    // RestoreInstance requests the emulator received for the instance, whatever it answered.
    int64_t restore_posts(const std::string& instance_id);
    // How many requests the fault with this id has hit.
    int64_t fault_fired(const std::string& fault_id);

    void add_credential(const std::string& access_key, const std::string& secret_key,
                        const std::string& project_id, const std::string& security_token = "",
                        const std::string& expires_at = "");  // RFC 3339; "" = never

    void put_data(const std::string& instance_id, const std::map<std::string, std::string>& data);
    std::map<std::string, std::string> get_data(const std::string& instance_id);

    std::string add_fault(const FaultSpec& fault);
    void clear_faults();

    std::vector<LoggedRequest> requests();
    void clear_requests();

    EmulatorStats stats();
    // One counter of GET /_emulator/stats by name (e.g. "credentials_issued").
    int64_t stat(const std::string& name);
    // The metadata endpoint issues temporary credentials of `project_id` living `ttl_ms`
    // ("" turns it off: no agency).
    void set_metadata(const std::string& project_id, int64_t ttl_ms);

    void set_timings(const TimingsPatch& patch);
    // How long the instance's next restores wait and run, whatever the global timings say.
    void set_restore_timings(const std::string& instance_id, int64_t waiting_ms,
                             int64_t running_ms);
    // Adds `count` finished restore records to the instance's history, one a minute, the
    // newest created `newest_age_ms` ago.
    void seed_restores(const std::string& instance_id, int count, int64_t newest_age_ms);
    // Adds backup records (no snapshot) to the instance's history, the newest created
    // `spec.newest_age_ms` ago; returns how many backups the instance has now.
    int64_t seed_backups(const std::string& instance_id, const BackupHistorySpec& spec);
    // The timings as a JSON object, to put back later with restore_timings().
    std::string timings_json();
    void restore_timings(const std::string& json);

   private:
    struct Reply {
        long status = 0;
        std::string body;
    };
    Reply exchange(const std::string& method, const std::string& path, const std::string& body);
    // exchange() that throws unless the status is `expected`.
    std::string call(const std::string& method, const std::string& path, const std::string& body,
                     long expected);

    std::string base_url_;
    // One kept-alive connection, so that admin calls do not disturb the emulator's
    // connections_accepted counter that tests assert on.
    std::mutex mu_;
    void* curl_ = nullptr;
};

}  // namespace dcs::test
