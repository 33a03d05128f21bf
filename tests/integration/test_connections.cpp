// Connection reuse and concurrency: a client keeps one connection alive across sequential
// calls, and is safe to share between threads.
#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "emulator_fixture.hpp"

using namespace dcs::test;

TEST_CASE("20 sequential calls on one client open exactly one connection") {
    Sandbox sandbox;
    auto client = sandbox.client();
    const int64_t before = admin().stats().connections_accepted;
    for (int i = 0; i < 20; ++i) {
        CAPTURE(i);
        dcs_status status = DCS_OK;
        // Different operations, one pool: reads, a list, and the instance again.
        if (i % 2 == 0) {
            dcs_instance* instance = nullptr;
            status = dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr,
                                       &instance, nullptr);
            dcs_instance_free(instance);
        } else {
            dcs_backup_list* backups = nullptr;
            status = dcs_list_backups(client.get(), sandbox.instance_id.c_str(), nullptr, nullptr,
                                      &backups, nullptr);
            dcs_backup_list_free(backups);
        }
        REQUIRE(status == DCS_OK);
    }
    const int64_t after = admin().stats().connections_accepted;
    CHECK(after - before == 1);
    CHECK(admin().requests().size() == 20);
}

TEST_CASE("one client used from 8 threads at once: every call succeeds") {
    Sandbox sandbox;
    auto client = sandbox.client();
    constexpr int kThreads = 8;
    constexpr int kCallsPerThread = 10;
    std::atomic<int> ready{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    const int64_t before = admin().stats().connections_accepted;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            // Start together, so the calls really overlap.
            ready.fetch_add(1);
            while (ready.load() < kThreads) {
                std::this_thread::yield();
            }
            for (int i = 0; i < kCallsPerThread; ++i) {
                dcs_instance* instance = nullptr;
                dcs_error* err = nullptr;
                dcs_status status = dcs_show_instance(client.get(), sandbox.instance_id.c_str(),
                                                      nullptr, &instance, &err);
                bool ok = status == DCS_OK &&
                          std::string(dcs_instance_instance_id(instance)) == sandbox.instance_id;
                failures.fetch_add(ok ? 0 : 1);
                dcs_instance_free(instance);
                dcs_error_free(err);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(failures.load() == 0);
    CHECK(admin().requests().size() == static_cast<size_t>(kThreads * kCallsPerThread));
    // At most one connection per concurrent caller: the pool never leaks connections.
    const int64_t opened = admin().stats().connections_accepted - before;
    CHECK(opened >= 1);
    CHECK(opened <= kThreads);
    MESSAGE(kThreads << " threads x " << kCallsPerThread << " calls used " << opened
                     << " connection(s)");
}

TEST_CASE("64 threads through one client: every call succeeds on at most 64 connections") {
    Sandbox sandbox;
    auto client = sandbox.client();
    constexpr int kThreads = 64;
    constexpr int kCallsPerThread = 4;
    std::atomic<int> ready{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    const int64_t before = admin().stats().connections_accepted;
    const int64_t requests_before = admin().stats().requests;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            ready.fetch_add(1);
            while (ready.load() < kThreads) {
                std::this_thread::yield();
            }
            for (int i = 0; i < kCallsPerThread; ++i) {
                dcs_instance* instance = nullptr;
                dcs_status status = dcs_show_instance(client.get(), sandbox.instance_id.c_str(),
                                                      nullptr, &instance, nullptr);
                bool ok = status == DCS_OK &&
                          std::string(dcs_instance_instance_id(instance)) == sandbox.instance_id;
                failures.fetch_add(ok ? 0 : 1);
                dcs_instance_free(instance);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(failures.load() == 0);
    // Each call reached the service once: no call was lost or retried in the shared loop.
    CHECK(admin().stats().requests - requests_before == int64_t{kThreads} * kCallsPerThread);
    // The client's one connection cache keeps one connection per concurrent call at most.
    const int64_t opened = admin().stats().connections_accepted - before;
    CHECK(opened >= 1);
    CHECK(opened <= kThreads);
    MESSAGE(kThreads << " threads x " << kCallsPerThread << " calls used " << opened
                     << " connection(s)");
}

TEST_CASE("8 threads restoring 8 instances through one client start exactly 8 restores") {
    constexpr int kThreads = 8;
    std::vector<std::unique_ptr<Sandbox>> sandboxes;
    for (int i = 0; i < kThreads; ++i) {
        sandboxes.push_back(std::make_unique<Sandbox>());
    }
    auto client = sandboxes.front()->client();
    std::vector<dcs_status> statuses(kThreads, -1);
    std::vector<std::string> ids(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            char* id = nullptr;
            statuses[static_cast<size_t>(t)] = dcs_restore_instance(
                client.get(), sandboxes[static_cast<size_t>(t)]->instance_id.c_str(),
                sandboxes[static_cast<size_t>(t)]->backup_id.c_str(), nullptr, nullptr, &id,
                nullptr);
            if (id != nullptr) {
                ids[static_cast<size_t>(t)] = id;
            }
            dcs_string_free(id);
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (size_t t = 0; t < kThreads; ++t) {
        CAPTURE(t);
        CHECK(statuses[t] == DCS_OK);
        CHECK_FALSE(ids[t].empty());
        CHECK(admin().restores_started(sandboxes[t]->instance_id) == 1);
    }
}
