// The soak: SOAK_THREADS threads (default 32) restoring through one client for SOAK_SECONDS
// (default 60) against an emulator that injects seeded, random faults into RestoreInstance and
// ListRestoreRecords. Each thread restores its own instance and waits for the restore to end
// before the next, so restores never overlap; after a failed call it moves to a fresh instance
// (the failed call may have started a restore that is still running). Every instance gets
// faults of its own (aimed at it by instance_id, each with its own seed), so that the
// emulator's count of what each fault fired is a count per instance.
//
// What it asserts, each from the service's side and exactly:
//  - no duplicate: for every instance, the RestoreInstance requests the emulator received
//    equal the restores it started plus the requests an injected fault refused (status,
//    html_502, throttle): a POST answered by the service's own refusal (DCS.4097 because
//    this intent's restore already runs, ...) is one the client should not have sent; and
//    the restores started are at most the restore calls made on it, and at least the ones
//    that succeeded;
//  - every error is traced: each error the client saw is explained by a fault the emulator
//    reports it fired on that instance, of a kind that gives that error, on an operation
//    the failing call sends;
//  - no leak: resident memory sampled every 200 ms after the warm-up grows, by its
//    least-squares slope over the measured time, by at most 1 MiB; the open file
//    descriptors are back to within 2 of the start once the client is freed.
//
// glibc's allocator keeps freed blocks for reuse in per-thread caches (tcache) and in up to
// 8 arenas per core; with 32 threads these fill for minutes, and resident memory grows by
// some 40 KiB/s without a byte being leaked (valgrind finds every block freed). So the soak
// runs with GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.arena_max=1 (ctest sets
// it, tests/CMakeLists.txt), under which resident memory is what the program holds, and a
// leak of a few bytes per call shows as a slope.
#include <dirent.h>
#include <doctest/doctest.h>
#include <malloc.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "admin_client.hpp"
#include "capi.hpp"
#include "emulator_process.hpp"
#include "raw_admin.hpp"

using namespace dcs::test;

namespace {

// The memory bound: growth over the measured part of the run, by the RSS samples' slope.
constexpr double kMaxGrowthKiB = 1024;
constexpr int kSampleEveryMs = 200;
constexpr const char* kTunables = "glibc.malloc.tcache_count=0:glibc.malloc.arena_max=1";

int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && std::atoi(v) > 0 ? std::atoi(v) : fallback;
}

int64_t rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stoll(line.substr(6));
        }
    }
    return -1;
}

int open_fds() {
    int count = 0;
    if (DIR* dir = opendir("/proc/self/fd")) {
        while (dirent* entry = readdir(dir)) {
            count += entry->d_name[0] != '.' ? 1 : 0;
        }
        closedir(dir);
        --count;  // the directory stream's own descriptor
    }
    return count;
}

// The value of `"name":"..."` in a flat JSON answer.
std::string json_string_field(const std::string& json, const std::string& name) {
    const std::string key = "\"" + name + "\":\"";
    size_t at = json.find(key);
    size_t end = at == std::string::npos ? at : json.find('"', at + key.size());
    if (end == std::string::npos) {
        throw std::runtime_error("no string field " + name + " in " + json.substr(0, 200));
    }
    return json.substr(at + key.size(), end - at - key.size());
}

struct FaultPlan {
    const char* operation;
    const char* kind;
    double probability;
    const char* extra;  // more JSON fields
};

const char* const k500 =
    R"(,"status":500,"body":"{\"error_code\":\"DCS.5000\",\"error_msg\":\"injected\"}")";

// The faults every instance gets. Those on RestoreInstance are either refusals that carry
// nothing out (status, html_502, throttle) or carry it out and lose the answer (close_after).
const FaultPlan kFaults[] = {
    {"RestoreInstance", "status", 0.05, k500},
    {"RestoreInstance", "close_after", 0.05, ""},
    {"RestoreInstance", "html_502", 0.05, ""},
    {"RestoreInstance", "throttle", 0.02, R"(,"retry_after":1)"},
    {"ListRestoreRecords", "status", 0.05, k500},
    {"ListRestoreRecords", "non_json", 0.05, ""},
    {"ListRestoreRecords", "close_before", 0.05, ""},
    {"ListRestoreRecords", "truncated", 0.03, ""},
};

constexpr size_t kFaultsPerInstance = sizeof kFaults / sizeof kFaults[0];
// A thread moves to a fresh instance after this many restores, so that every listing the
// library reads stays as short and the work per call stays the same over the run: memory
// that grows then is memory that leaks.
constexpr int64_t kIntentsPerInstance = 16;

bool refuses_without_work(const FaultPlan& fault) {
    const std::string operation = fault.operation;
    const std::string kind = fault.kind;
    return operation == "RestoreInstance" &&
           (kind == "status" || kind == "html_502" || kind == "throttle");
}

template <size_t N>
void copy_into(std::array<char, N>& to, const std::string& from) {
    size_t n = std::min(from.size(), N - 1);
    from.copy(to.data(), n);
    to[n] = '\0';
}

// What the soak keeps of one instance. Fixed in size and made before the run, so that the
// soak's own bookkeeping does not grow the memory it measures. Only the thread that made the
// instance writes to it, and only until it leaves the instance; it is read after the run.
struct InstanceTally {
    std::array<char, 72> instance_id{};
    std::array<std::array<char, 48>, kFaultsPerInstance> fault_ids{};  // as in kFaults
    int64_t restore_calls = 0;
    int64_t restores_ok = 0;
    int64_t waits_ok = 0;
    // A thread leaves an instance after its first error.
    bool failed = false;
    bool failed_waiting = false;  // in the wait, not the restore call
    dcs_status status = DCS_OK;
    int http_status = 0;
    int request_sent = -1;
    std::array<char, 32> service_code{};
    std::array<char, 240> message{};
};

// The (operation, kind) pairs of faults that give this instance's error from the call that
// ended with it.
std::set<std::pair<std::string, std::string>> causes(const InstanceTally& t) {
    std::set<std::pair<std::string, std::string>> out;
    auto add = [&](const char* operation, std::initializer_list<const char*> kinds) {
        if (t.failed_waiting && std::string(operation) == "RestoreInstance") {
            return;  // a wait never posts
        }
        for (const char* kind : kinds) {
            out.emplace(operation, kind);
        }
    };
    switch (t.status) {
        case DCS_E_SERVER:
            if (t.http_status == 500 && std::string(t.service_code.data()) == "DCS.5000") {
                add("RestoreInstance", {"status"});
                add("ListRestoreRecords", {"status"});
            } else if (t.http_status == 502) {
                add("RestoreInstance", {"html_502"});
            }
            break;
        case DCS_E_THROTTLED:
            if (t.http_status == 429) {
                add("RestoreInstance", {"throttle"});
            }
            break;
        case DCS_E_BAD_RESPONSE:
            add("ListRestoreRecords", {"non_json", "truncated"});
            break;
        case DCS_E_TRANSPORT:
            // A refused connection (nothing sent) is no injected fault.
            if (t.request_sent != DCS_SENT_NO) {
                add("RestoreInstance", {"close_after"});
                add("ListRestoreRecords", {"close_before", "truncated"});
            }
            break;
        default:
            break;
    }
    return out;
}

struct Tally {
    explicit Tally(size_t room) : instances(room) {}

    InstanceTally& claim() {
        size_t i = used.fetch_add(1);
        if (i >= instances.size()) {
            throw std::runtime_error("the soak made more instances than it has room for");
        }
        return instances[i];
    }

    std::vector<InstanceTally> instances;  // made, and touched, before the run
    std::atomic<size_t> used{0};
    std::mutex mu;
    std::vector<std::string> setup_failures;  // guarded by mu
};

class World {
   public:
    World(AdminClient& admin, const RawAdmin& raw, Tally& all, std::atomic<int>& next_seed)
        : admin_(admin), raw_(raw), tally_(all), next_seed_(next_seed) {}

    // A new instance with a restorable backup and its own faults.
    void fresh() {
        instance_id = admin_.create_instance();
        backup_id = admin_.create_backup(instance_id);
        tally = &tally_.claim();
        copy_into(tally->instance_id, instance_id);
        for (size_t i = 0; i < kFaultsPerInstance; ++i) {
            const FaultPlan& plan = kFaults[i];
            char json[768];
            std::snprintf(json, sizeof json,
                          R"({"operation":"%s","kind":"%s","probability":%.3f,"seed":%d,)"
                          R"("instance_id":"%s"%s})",
                          plan.operation, plan.kind, plan.probability, next_seed_.fetch_add(1),
                          instance_id.c_str(), plan.extra);
            copy_into(tally->fault_ids[i],
                      json_string_field(raw_.request("POST", "faults", json), "id"));
        }
    }

    // Records the error that ends this instance's use, and moves to a fresh one.
    void failed(bool waiting, dcs_error* err) {
        Failure f = take_error(err);
        tally->failed = true;
        tally->failed_waiting = waiting;
        tally->status = f.status;
        tally->http_status = f.http_status;
        tally->request_sent = f.request_sent;
        copy_into(tally->service_code, f.service_code);
        copy_into(tally->message, f.message);
        fresh();
    }

    std::string instance_id;
    std::string backup_id;
    InstanceTally* tally = nullptr;

   private:
    AdminClient& admin_;
    const RawAdmin& raw_;
    Tally& tally_;
    std::atomic<int>& next_seed_;
};

WaitOptionsPtr quick_polls() {
    dcs_wait_options* raw = nullptr;
    if (dcs_wait_options_new(&raw, nullptr) != DCS_OK ||
        dcs_wait_options_set_poll_interval_ms(raw, 50, nullptr) != DCS_OK ||
        dcs_wait_options_set_max_poll_interval_ms(raw, 200, nullptr) != DCS_OK) {
        throw std::runtime_error("cannot set up the wait options");
    }
    return WaitOptionsPtr(raw);
}

void restore_loop(dcs_client* client, World world, const std::atomic<bool>& stop) {
    world.fresh();
    auto restore_call = make_call_options(CallSettings{10000, nullptr, 0, false});
    auto wait_call = make_call_options(CallSettings{15000, nullptr, 0, false});
    WaitOptionsPtr wait = quick_polls();

    while (!stop.load()) {
        if (world.tally->restore_calls == kIntentsPerInstance) {
            world.fresh();
        }
        // A remark of its own per intent: the call adopts the earliest restore of the same
        // backup and remark listed since it began, with a second of slack for the service's
        // rounding, and the intent before finished well within a second of this one.
        const std::string remark = "soak " + std::to_string(++world.tally->restore_calls);
        char* id = nullptr;
        dcs_error* err = nullptr;
        dcs_status st =
            dcs_restore_instance(client, world.instance_id.c_str(), world.backup_id.c_str(),
                                 remark.c_str(), restore_call.get(), &id, &err);
        StringPtr restore_id(id);
        if (st != DCS_OK) {
            world.failed(false, err);
            continue;
        }
        ++world.tally->restores_ok;
        st = dcs_wait_for_restore(client, world.instance_id.c_str(), restore_id.get(), wait.get(),
                                  wait_call.get(), nullptr, &err);
        if (st != DCS_OK) {
            world.failed(true, err);
            continue;
        }
        ++world.tally->waits_ok;
    }
}

// How many requests each fault hit, by fault id, from one listing of the faults.
std::map<std::string, int64_t> faults_fired(const RawAdmin& raw) {
    rapidjson::Document doc;
    const std::string json = raw.request("GET", "faults");
    doc.Parse(json.c_str(), json.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("faults") ||
        !doc["faults"].IsArray()) {
        throw std::runtime_error("GET /_emulator/faults: no \"faults\" array");
    }
    std::map<std::string, int64_t> fired;
    for (const auto& fault : doc["faults"].GetArray()) {
        fired[fault["id"].GetString()] = fault["fired"].GetInt64();
    }
    return fired;
}

// Least-squares slope of y over x.
double slope(const std::vector<std::pair<double, double>>& points) {
    double n = static_cast<double>(points.size());
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (const auto& [x, y] : points) {
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    double d = n * sxx - sx * sx;
    return d == 0 ? 0 : (n * sxy - sx * sy) / d;
}

}  // namespace

TEST_CASE("soak: threads restoring through one client under random faults leak nothing") {
    const int seconds = env_int("SOAK_SECONDS", 60);
    const int threads = env_int("SOAK_THREADS", 32);
    // Long enough for the allocator's arenas and the connection pool to reach their size.
    const int warmup_seconds = std::max(seconds >= 20 ? 5 : 2, seconds / 4);
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    INFO("run it with GLIBC_TUNABLES=" << kTunables << " (see the top of soak.cpp)");
    REQUIRE((tunables != nullptr && std::string(tunables).find(kTunables) != std::string::npos));

    EmulatorProcess emulator({"--state-only"});
    AdminClient admin(emulator.base_url());
    RawAdmin raw{emulator.base_url(), "", false};
    admin.stats();  // opens the admin connection now, so that it is not counted as a leak

    const int fds_before = open_fds();
    ClientSettings settings;
    settings.endpoint = emulator.base_url();
    auto client = make_client(settings);

    // Room for every instance the run can make: the first ones, one per 16 restores and one
    // per error, generously.
    Tally tally(static_cast<size_t>(threads) * 4 + static_cast<size_t>(seconds) * 40);
    std::atomic<int> next_seed{1};
    std::atomic<bool> stop{false};
    std::vector<std::thread> workers;
    for (int i = 0; i < threads; ++i) {
        workers.emplace_back([&] {
            try {
                restore_loop(client.get(), World(admin, raw, tally, next_seed), stop);
            } catch (const std::exception& e) {  // a set-up failure, not the library's
                std::lock_guard<std::mutex> lock(tally.mu);
                tally.setup_failures.push_back(e.what());
            }
        });
    }

    using Clock = std::chrono::steady_clock;
    std::this_thread::sleep_for(std::chrono::seconds(warmup_seconds));
    const int fds_running = open_fds();
    std::vector<std::pair<double, double>> rss;  // (seconds since the warm-up, KiB)
    rss.reserve(static_cast<size_t>(seconds) * 1000 / kSampleEveryMs + 2);
    const size_t heap_start = mallinfo2().uordblks;
    const auto measure_start = Clock::now();
    const auto measure_end = measure_start + std::chrono::seconds(seconds - warmup_seconds);
    for (auto next = measure_start; next <= measure_end;
         next += std::chrono::milliseconds(kSampleEveryMs)) {
        std::this_thread::sleep_until(next);
        std::chrono::duration<double> since = Clock::now() - measure_start;
        rss.emplace_back(since.count(), static_cast<double>(rss_kib()));
    }
    const size_t heap_end = mallinfo2().uordblks;
    stop = true;
    for (std::thread& t : workers) {
        t.join();
    }
    client.reset();
    const int fds_after = open_fds();

    // From the service's side, per instance.
    int64_t calls = 0;
    int64_t restores_ok = 0;
    int64_t waits_ok = 0;
    int64_t posts = 0;
    int64_t started = 0;
    int64_t refused = 0;
    int64_t fired = 0;
    int64_t errors = 0;
    std::vector<std::string> duplicates;
    std::vector<std::string> untraced;
    std::map<std::string, int64_t> traced;  // fault kind -> errors it explains
    const std::map<std::string, int64_t> fired_by_id = faults_fired(raw);
    const size_t instances = std::min(tally.used.load(), tally.instances.size());
    for (size_t i = 0; i < instances; ++i) {
        const InstanceTally& t = tally.instances[i];
        const std::string instance_id = t.instance_id.data();
        const int64_t instance_posts = admin.restore_posts(instance_id);
        const int64_t instance_started = admin.restores_started(instance_id);
        int64_t instance_refused = 0;
        std::set<std::pair<std::string, std::string>> fired_here;
        for (size_t j = 0; j < kFaultsPerInstance; ++j) {
            auto found = fired_by_id.find(t.fault_ids[j].data());
            const int64_t n = found == fired_by_id.end() ? 0 : found->second;
            fired += n;
            if (n > 0) {
                fired_here.emplace(kFaults[j].operation, kFaults[j].kind);
            }
            instance_refused += refuses_without_work(kFaults[j]) ? n : 0;
        }
        calls += t.restore_calls;
        restores_ok += t.restores_ok;
        waits_ok += t.waits_ok;
        posts += instance_posts;
        started += instance_started;
        refused += instance_refused;
        if (instance_posts != instance_started + instance_refused ||
            instance_started > t.restore_calls || instance_started < t.restores_ok) {
            duplicates.push_back(instance_id + ": " + std::to_string(t.restore_calls) +
                                 " restore calls (" + std::to_string(t.restores_ok) +
                                 " ok), POSTs received " + std::to_string(instance_posts) +
                                 ", restores started " + std::to_string(instance_started) +
                                 ", POSTs refused by a fault " + std::to_string(instance_refused));
        }
        if (t.failed) {
            ++errors;
            std::string explained;
            for (const auto& cause : causes(t)) {
                if (fired_here.count(cause) == 1) {
                    explained = cause.first + " " + cause.second;
                    break;
                }
            }
            if (explained.empty()) {
                untraced.push_back(instance_id + (t.failed_waiting ? " wait: " : " restore: ") +
                                   dcs_status_str(t.status) + " (HTTP " +
                                   std::to_string(t.http_status) + " " + t.service_code.data() +
                                   "): " + t.message.data());
            } else {
                ++traced[explained];
            }
        }
    }

    const double measured_s = rss.empty() ? 0 : rss.back().first;
    const double growth_kib = slope(rss) * measured_s;
    double rss_min = 0;
    double rss_max = 0;
    for (const auto& [x, kib] : rss) {
        rss_min = rss_min == 0 ? kib : std::min(rss_min, kib);
        rss_max = std::max(rss_max, kib);
    }
    std::printf("\nsoak: %d threads, %d s (%d s warm-up), one client\n", threads, seconds,
                warmup_seconds);
    std::printf(
        "soak: restores %lld ok of %lld calls, waits %lld ok, instances %zu, errors %lld, traced "
        "to a fired fault %lld, untraced %zu\n",
        static_cast<long long>(restores_ok), static_cast<long long>(calls),
        static_cast<long long>(waits_ok), instances, static_cast<long long>(errors),
        static_cast<long long>(errors - static_cast<int64_t>(untraced.size())), untraced.size());
    for (const auto& [fault, n] : traced) {
        std::printf("soak:   %-36s %lld\n", fault.c_str(), static_cast<long long>(n));
    }
    std::printf(
        "soak: POSTs received %lld = restores started %lld + refused by a fault %lld; faults "
        "fired %lld; instances with a duplicate %zu\n",
        static_cast<long long>(posts), static_cast<long long>(started),
        static_cast<long long>(refused), static_cast<long long>(fired), duplicates.size());
    std::printf(
        "soak: RSS %zu samples over %.1f s after warm-up, %.0f-%.0f KiB, slope %+.2f KiB/s, "
        "growth %+.0f KiB (allowed %.0f KiB)\n",
        rss.size(), measured_s, rss_min, rss_max, measured_s > 0 ? growth_kib / measured_s : 0,
        growth_kib, kMaxGrowthKiB);
    std::string every5s;
    for (size_t i = 0; i < rss.size(); i += 5000 / kSampleEveryMs) {
        every5s += " " + std::to_string(static_cast<int64_t>(rss[i].second));
    }
    std::printf("soak: RSS every 5 s after warm-up (KiB):%s; heap in use %zu KiB, then %zu KiB\n",
                every5s.c_str(), heap_start / 1024, heap_end / 1024);
    std::printf("soak: open fds before %d, while running %d, after %d\n", fds_before, fds_running,
                fds_after);
    std::fflush(stdout);

    for (const std::string& s : tally.setup_failures) {
        MESSAGE("test set-up failed: " << s);
    }
    for (size_t i = 0; i < untraced.size() && i < 20; ++i) {
        MESSAGE("error no fired fault explains: " << untraced[i]);
    }
    for (size_t i = 0; i < duplicates.size() && i < 20; ++i) {
        MESSAGE("POSTs not accounted for: " << duplicates[i]);
    }
    if (!duplicates.empty()) {
        // What the emulator logged of the first such instance's RestoreInstance requests (the
        // log keeps the newest 10,000 requests): the status each got and the fault, if any.
        const std::string first = duplicates.front().substr(0, duplicates.front().find(':'));
        std::string exchanges;
        for (const LoggedRequest& r : admin.requests()) {
            if (r.operation == "RestoreInstance" && r.path.find(first) != std::string::npos) {
                exchanges +=
                    " " + std::to_string(r.status) + (r.fault.empty() ? "" : "/" + r.fault);
            }
        }
        MESSAGE("RestoreInstance requests of " << first << " (HTTP status/fault):" << exchanges);
    }
    CHECK(tally.setup_failures.empty());
    CHECK(untraced.empty());
    CHECK(duplicates.empty());
    CHECK(posts == started + refused);
    CHECK(waits_ok >= threads);
    CHECK(rss.size() >= 10);
    CHECK(growth_kib <= kMaxGrowthKiB);
    CHECK(fds_after <= fds_before + 2);
}
