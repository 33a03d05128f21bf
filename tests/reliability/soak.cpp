// The soak: SOAK_THREADS threads (default 32) restoring through one client for SOAK_SECONDS
// (default 60) against an emulator that injects seeded, random faults into RestoreInstance and
// ListRestoreRecords. Each thread restores its own instance and waits for the restore to end
// before the next, so restores never overlap; after a failed call it moves to a fresh instance
// (the failed call may have started a restore that is still running).
//
// It asserts that the process's resident memory grows by less than 10% (or 8 MiB) between the
// end of the warm-up and the end, that the open file descriptors are back to within 2 of the
// start once the client is freed, that every error is one an injected fault explains, and
// that no instance saw more restores started than restore calls made on it.
#include <dirent.h>
#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "admin_client.hpp"
#include "capi.hpp"
#include "emulator_process.hpp"
#include "raw_admin.hpp"

using namespace dcs::test;

namespace {

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

// A seeded probability fault, as POST /_emulator/faults takes it.
std::string random_fault(const char* operation, const char* kind, double probability, int seed,
                         const std::string& extra = "") {
    char json[512];
    std::snprintf(json, sizeof json,
                  R"({"operation":"%s","kind":"%s","probability":%.3f,"seed":%d%s})", operation,
                  kind, probability, seed, extra.c_str());
    return json;
}

// The injected fault that explains an error, or "" when none does.
std::string explain(const Failure& f) {
    switch (f.status) {
        case DCS_E_SERVER:
            if (f.http_status == 500 && f.service_code == "DCS.5000") {
                return "status 500";
            }
            return f.http_status == 502 ? "html_502" : "";
        case DCS_E_BUSY:
            // Restores never overlap here, so "restoring" can only be this call's own restore:
            // a close_after lost its answer, libcurl resent the request on a new connection,
            // and the listing that would have adopted the restore hit a fault of its own.
            return f.service_code == "DCS.4097" &&
                           f.message.find("could not be checked") != std::string::npos
                       ? "close_after, then a listing fault"
                       : "";
        case DCS_E_THROTTLED:
            return f.http_status == 429 ? "throttle" : "";
        case DCS_E_BAD_RESPONSE:
            return "non_json/truncated";
        case DCS_E_TRANSPORT:
            // A refused connection (nothing sent) is no injected fault.
            return f.request_sent != DCS_SENT_NO ? "close_before/close_after/truncated" : "";
        default:
            return "";
    }
}

struct Tally {
    std::mutex mu;
    int64_t restores_ok = 0;
    int64_t waits_ok = 0;
    std::map<std::string, int64_t> explained;  // injected fault -> errors it caused
    std::vector<std::string> unexplained;      // message of every error no fault explains
    std::map<std::string, int64_t> calls_on;   // instance -> restore calls made on it

    void error(const std::string& where, const Failure& f) {
        std::lock_guard<std::mutex> lock(mu);
        std::string fault = explain(f);
        if (fault.empty()) {
            unexplained.push_back(where + ": " + dcs_status_str(f.status) + ": " + f.message);
        } else {
            ++explained[fault];
        }
    }
};

struct World {
    AdminClient& admin;
    std::string instance_id;
    std::string backup_id;

    void fresh() {
        instance_id = admin.create_instance();
        backup_id = admin.create_backup(instance_id);
    }
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

void restore_loop(dcs_client* client, AdminClient& admin, Tally& tally,
                  const std::atomic<bool>& stop) {
    World world{admin, "", ""};
    world.fresh();
    auto restore_call = make_call_options(CallSettings{10000, nullptr, 0, false});
    auto wait_call = make_call_options(CallSettings{15000, nullptr, 0, false});
    WaitOptionsPtr wait = quick_polls();

    while (!stop.load()) {
        {
            std::lock_guard<std::mutex> lock(tally.mu);
            ++tally.calls_on[world.instance_id];
        }
        char* id = nullptr;
        dcs_error* err = nullptr;
        dcs_status st =
            dcs_restore_instance(client, world.instance_id.c_str(), world.backup_id.c_str(), "soak",
                                 restore_call.get(), &id, &err);
        StringPtr restore_id(id);
        if (st != DCS_OK) {
            tally.error("restore", take_error(err));
            world.fresh();
            continue;
        }
        {
            std::lock_guard<std::mutex> lock(tally.mu);
            ++tally.restores_ok;
        }
        st = dcs_wait_for_restore(client, world.instance_id.c_str(), restore_id.get(), wait.get(),
                                  wait_call.get(), nullptr, &err);
        if (st != DCS_OK) {
            tally.error("wait", take_error(err));
            world.fresh();
            continue;
        }
        std::lock_guard<std::mutex> lock(tally.mu);
        ++tally.waits_ok;
    }
}

}  // namespace

TEST_CASE("soak: threads restoring through one client under random faults leak nothing") {
    const int seconds = env_int("SOAK_SECONDS", 60);
    const int threads = env_int("SOAK_THREADS", 32);
    const int warmup_seconds = seconds >= 20 ? 5 : 2;

    EmulatorProcess emulator({"--state-only"});
    AdminClient admin(emulator.base_url());
    RawAdmin raw{emulator.base_url(), "", false};
    admin.stats();  // opens the admin connection now, so that it is not counted as a leak

    const std::string p500 =
        R"(,"status":500,"body":"{\"error_code\":\"DCS.5000\",\"error_msg\":\"injected\"}")";
    for (const std::string& fault : {
             random_fault("RestoreInstance", "status", 0.05, 11, p500),
             random_fault("RestoreInstance", "close_after", 0.05, 12),
             random_fault("RestoreInstance", "html_502", 0.05, 13),
             random_fault("RestoreInstance", "throttle", 0.02, 14, R"(,"retry_after":1)"),
             random_fault("ListRestoreRecords", "status", 0.05, 21, p500),
             random_fault("ListRestoreRecords", "non_json", 0.05, 22),
             random_fault("ListRestoreRecords", "close_before", 0.05, 23),
             random_fault("ListRestoreRecords", "truncated", 0.03, 24),
         }) {
        raw.request("POST", "faults", fault);
    }

    const int fds_before = open_fds();
    ClientSettings settings;
    settings.endpoint = emulator.base_url();
    auto client = make_client(settings);

    Tally tally;
    std::atomic<bool> stop{false};
    std::vector<std::thread> workers;
    for (int i = 0; i < threads; ++i) {
        workers.emplace_back([&] {
            try {
                restore_loop(client.get(), admin, tally, stop);
            } catch (const std::exception& e) {  // a set-up failure, not the library's
                std::lock_guard<std::mutex> lock(tally.mu);
                tally.unexplained.push_back(std::string("test set-up: ") + e.what());
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(warmup_seconds));
    const int64_t rss_start = rss_kib();
    const int fds_running = open_fds();
    std::this_thread::sleep_for(std::chrono::seconds(seconds - warmup_seconds));
    stop = true;
    for (std::thread& t : workers) {
        t.join();
    }
    const int64_t rss_end = rss_kib();
    client.reset();
    const int fds_after = open_fds();

    int64_t duplicate_instances = 0;
    for (const auto& [instance_id, calls] : tally.calls_on) {
        if (admin.restores_started(instance_id) > calls) {
            ++duplicate_instances;
        }
    }
    int64_t errors = 0;
    for (const auto& [fault, n] : tally.explained) {
        errors += n;
    }

    const int64_t growth = rss_end - rss_start;
    const int64_t allowed = std::max<int64_t>(rss_start / 10, 8 * 1024);
    std::printf("\nsoak: %d threads, %d s (%d s warm-up), one client\n", threads, seconds,
                warmup_seconds);
    std::printf(
        "soak: restores %lld ok, waits %lld ok, instances %zu, injected-fault errors %lld, "
        "unexplained errors %zu, instances with a duplicate restore %lld\n",
        static_cast<long long>(tally.restores_ok), static_cast<long long>(tally.waits_ok),
        tally.calls_on.size(), static_cast<long long>(errors), tally.unexplained.size(),
        static_cast<long long>(duplicate_instances));
    for (const auto& [fault, n] : tally.explained) {
        std::printf("soak:   %-36s %lld\n", fault.c_str(), static_cast<long long>(n));
    }
    std::printf(
        "soak: RSS after warm-up %lld KiB, at the end %lld KiB (growth %+lld KiB, "
        "allowed %lld KiB)\n",
        static_cast<long long>(rss_start), static_cast<long long>(rss_end),
        static_cast<long long>(growth), static_cast<long long>(allowed));
    std::printf("soak: open fds before %d, while running %d, after %d\n", fds_before, fds_running,
                fds_after);
    std::fflush(stdout);

    for (size_t i = 0; i < tally.unexplained.size() && i < 20; ++i) {
        MESSAGE("unexplained error: " << tally.unexplained[i]);
    }
    CHECK(tally.unexplained.empty());
    CHECK(duplicate_instances == 0);
    CHECK(tally.waits_ok >= threads);
    CHECK(rss_start > 0);
    CHECK(growth < allowed);
    CHECK(fds_after <= fds_before + 2);
}
