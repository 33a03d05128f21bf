// The cross-layer fault matrix, C column: every fault of fault_matrix.json on every operation,
// once and always, through the library call that exercises it. Each call ends with a success
// or a clear error (a documented status other than INTERNAL, with a message) within its
// deadline plus slack, and every injected fault fired. A RestoreInstance cell asserts what
// restore_expect says, from the emulator's own counters: the exact number of restores started
// and of RestoreInstance POSTs received, and the outcome (started, adopted, unresolved with
// request sent MAYBE, or refused). A backup call starts at most one backup.
// tests/integration/test_fault_matrix.cpp looks deeper at RestoreInstance alone.
//
// The matrix runs on an emulator of its own in state-only mode: each cell gets a fresh
// instance, and 140 instances need not each start a redis-server.
#include <doctest/doctest.h>

#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "admin_client.hpp"
#include "capi.hpp"
#include "emulator_process.hpp"
#include "fault_table.hpp"

using namespace dcs::test;

namespace {

struct Cell {
    dcs_status status = DCS_OK;
    Failure failure;
    int64_t elapsed_ms = 0;
    int64_t call_timeout_ms = 0;
    bool adopted = false;     // restore_instance: the outcome's flag
    std::string returned_id;  // restore_instance: the id it returned
    std::string problem;      // empty = the cell passed
};

// The world of one cell: a fresh instance with a restorable backup, and for get_restore a
// restore record to read. restore_instance writes what it returned into `cell`.
struct CellWorld {
    std::string instance_id;
    std::string backup_id;
    std::string restore_id;
    Cell* cell = nullptr;
};

using CallFn =
    std::function<dcs_status(dcs_client*, const CellWorld&, const dcs_call_options*, dcs_error**)>;

const std::map<std::string, CallFn>& calls() {
    static const std::map<std::string, CallFn> table = {
        {"restore_instance",
         [](dcs_client* c, const CellWorld& w, const dcs_call_options* o, dcs_error** e) {
             dcs_restore_outcome* outcome = nullptr;
             dcs_status st = dcs_restore_instance_ext(c, w.instance_id.c_str(), w.backup_id.c_str(),
                                                      "matrix", o, &outcome, e);
             if (st == DCS_OK) {
                 w.cell->adopted = dcs_restore_outcome_adopted(outcome) == 1;
                 w.cell->returned_id = dcs_restore_outcome_restore_id(outcome);
             }
             dcs_restore_outcome_free(outcome);
             return st;
         }},
        {"list_restores",
         [](dcs_client* c, const CellWorld& w, const dcs_call_options* o, dcs_error** e) {
             dcs_restore_list* list = nullptr;
             dcs_status st = dcs_list_restores(c, w.instance_id.c_str(), nullptr, o, &list, e);
             dcs_restore_list_free(list);
             return st;
         }},
        {"get_restore",
         [](dcs_client* c, const CellWorld& w, const dcs_call_options* o, dcs_error** e) {
             dcs_restore_record* r = nullptr;
             dcs_status st =
                 dcs_get_restore(c, w.instance_id.c_str(), w.restore_id.c_str(), o, &r, e);
             dcs_restore_record_free(r);
             return st;
         }},
        {"list_backups",
         [](dcs_client* c, const CellWorld& w, const dcs_call_options* o, dcs_error** e) {
             dcs_backup_list* list = nullptr;
             dcs_status st = dcs_list_backups(c, w.instance_id.c_str(), nullptr, o, &list, e);
             dcs_backup_list_free(list);
             return st;
         }},
        {"show_instance",
         [](dcs_client* c, const CellWorld& w, const dcs_call_options* o, dcs_error** e) {
             dcs_instance* i = nullptr;
             dcs_status st = dcs_show_instance(c, w.instance_id.c_str(), o, &i, e);
             dcs_instance_free(i);
             return st;
         }},
        {"create_backup",
         [](dcs_client* c, const CellWorld& w, const dcs_call_options* o, dcs_error** e) {
             char* id = nullptr;
             dcs_status st =
                 dcs_create_backup(c, w.instance_id.c_str(), "matrix", nullptr, o, &id, e);
             dcs_string_free(id);
             return st;
         }},
        {"delete_backup",
         [](dcs_client* c, const CellWorld& w, const dcs_call_options* o, dcs_error** e) {
             return dcs_delete_backup(c, w.instance_id.c_str(), w.backup_id.c_str(), o, e);
         }},
    };
    return table;
}

// The statuses a fault may honestly end in; anything else (INTERNAL, INVALID_ARGUMENT, ...)
// is a bug.
bool clear_error(dcs_status st) {
    switch (st) {
        case DCS_E_THROTTLED:
        case DCS_E_BUSY:
        case DCS_E_SERVER:
        case DCS_E_TRANSPORT:
        case DCS_E_TIMEOUT:
        case DCS_E_BAD_RESPONSE:
        case DCS_E_REJECTED:
        case DCS_E_NOT_FOUND:
            return true;
        default:
            return false;
    }
}

// What the emulator counted for a cell's instance.
struct Counted {
    int64_t restores = 0;
    int64_t restore_posts = 0;
    int64_t backups = 0;
    bool faults_fired = false;
};

std::string judge_restore(const Cell& cell, const RestoreExpectation& expect,
                          const Counted& counted) {
    if (counted.restores != expect.restores) {
        return "started " + std::to_string(counted.restores) + " restores, expected " +
               std::to_string(expect.restores);
    }
    if (counted.restore_posts < expect.posts_min || counted.restore_posts > expect.posts_max) {
        return "the emulator received " + std::to_string(counted.restore_posts) +
               " RestoreInstance requests, expected " + std::to_string(expect.posts_min) + ".." +
               std::to_string(expect.posts_max);
    }
    bool ok = cell.status == DCS_OK;
    if (expect.outcome == "started" || expect.outcome == "adopted") {
        if (!ok) {
            return "expected " + expect.outcome + ", got an error: " + cell.failure.message;
        }
        if (cell.adopted != (expect.outcome == "adopted")) {
            return std::string("expected ") + expect.outcome + ", adopted flag is " +
                   (cell.adopted ? "set" : "clear");
        }
        return "";
    }
    if (ok) {
        return "expected " + expect.outcome + ", the call succeeded";
    }
    if (expect.outcome == "unresolved" &&
        (cell.failure.request_sent != DCS_SENT_MAYBE ||
         cell.failure.message.rfind("unresolved: the restore may have started", 0) != 0)) {
        return "expected unresolved (sent MAYBE), got: " + cell.failure.message;
    }
    if (counted.restores > 0 && cell.failure.request_sent == DCS_SENT_NO) {
        return "a restore started, yet the error says nothing was sent";
    }
    return "";
}

std::string judge(const std::string& call, const std::string& mode, const MatrixFault& fault,
                  const Cell& cell, const FaultMatrix& m, const Counted& counted) {
    if (cell.elapsed_ms > cell.call_timeout_ms + m.deadline_slack_ms) {
        return "outlived its deadline: " + std::to_string(cell.elapsed_ms) + " ms";
    }
    if (!counted.faults_fired) {
        return "the injected fault never fired";
    }
    if (cell.status != DCS_OK) {
        if (!clear_error(cell.status)) {
            return std::string("unclear error: ") + dcs_status_str(cell.status);
        }
        if (cell.failure.status != cell.status || cell.failure.message.empty()) {
            return "error without a message";
        }
    }
    if (call == "restore_instance") {
        return judge_restore(cell, fault.restore_expect.at(mode), counted);
    }
    if (call == "create_backup") {
        if (counted.backups > 1) {
            return "started " + std::to_string(counted.backups) + " backups";
        }
        if (cell.status == DCS_OK && counted.backups != 1) {
            return "succeeded, yet started no backup";
        }
    }
    return "";
}

std::string cell_label(const Cell& cell) {
    if (!cell.problem.empty()) {
        return "FAIL";
    }
    return cell.status == DCS_OK ? "ok" : dcs_status_str(cell.status);
}

}  // namespace

TEST_CASE("fault matrix: every fault x every operation ends clearly, in time, without duplicates") {
    const FaultMatrix m = load_fault_matrix();
    EmulatorProcess emulator({"--state-only"});
    AdminClient admin(emulator.base_url());
    ClientSettings settings;
    settings.endpoint = emulator.base_url();
    auto client = make_client(settings);

    std::vector<std::string> columns;
    std::map<std::string, std::string> operation_of;
    for (const auto& [operation, names] : m.operations) {
        for (const std::string& name : names) {
            REQUIRE(calls().count(name) == 1);
            columns.push_back(name);
            operation_of[name] = operation;
        }
    }

    int cells = 0;
    int failures = 0;
    for (const auto& [mode, count] : m.modes) {
        std::printf("\nC fault matrix, mode '%s' (%s)\n%-30s", mode.c_str(),
                    count == 0 ? "every matching request" : "the next matching request", "fault");
        for (const std::string& column : columns) {
            std::printf(" %-15s", column.c_str());
        }
        std::printf("\n");
        for (const MatrixFault& fault : m.faults) {
            if (!fault.runs_in(mode)) {
                continue;
            }
            std::printf("%-30s", fault.name.c_str());
            std::string saved_timings;
            if (fault.restore_listing_delay_ms) {
                saved_timings = admin.timings_json();
                TimingsPatch patch;
                patch.restore_listing_delay_ms = fault.restore_listing_delay_ms;
                admin.set_timings(patch);
            }
            for (const std::string& call : columns) {
                if (!fault.applies_to(operation_of[call], mode)) {
                    std::printf(" %-15s", "-");
                    continue;
                }
                Cell cell;
                CellWorld world;
                world.cell = &cell;
                world.instance_id = admin.create_instance();
                world.backup_id = admin.create_backup(world.instance_id);
                if (call == "get_restore") {
                    char* id = nullptr;
                    REQUIRE(dcs_restore_instance(client.get(), world.instance_id.c_str(),
                                                 world.backup_id.c_str(), nullptr, nullptr, &id,
                                                 nullptr) == DCS_OK);
                    world.restore_id = id;
                    dcs_string_free(id);
                }
                FaultSpec spec = fault.spec;
                spec.operation = operation_of[call];
                spec.count = count;
                spec.instance_id = world.instance_id;
                std::string fault_id = admin.add_fault(spec);

                cell.call_timeout_ms =
                    fault.call_timeout_ms > 0 ? fault.call_timeout_ms : m.call_timeout_ms;
                CallSettings call_settings;
                call_settings.timeout_ms = cell.call_timeout_ms;
                auto call_options = make_call_options(call_settings);
                dcs_error* err = nullptr;
                Stopwatch watch;
                cell.status = calls().at(call)(client.get(), world, call_options.get(), &err);
                cell.elapsed_ms = watch.elapsed_ms();
                cell.failure = take_error(err);
                Counted counted;
                counted.faults_fired = admin.fault_fired(fault_id) >= 1;
                admin.clear_faults();
                counted.restores = admin.restores_started(world.instance_id);
                counted.restore_posts = admin.restore_posts(world.instance_id);
                counted.backups = admin.backups_started(world.instance_id);
                cell.problem = judge(call, mode, fault, cell, m, counted);
                std::printf(" %-15s", cell_label(cell).c_str());
                std::fflush(stdout);
                ++cells;
                if (!cell.problem.empty()) {
                    ++failures;
                    CAPTURE(mode);
                    CAPTURE(fault.name);
                    CAPTURE(call);
                    CAPTURE(cell.failure.message);
                    FAIL_CHECK(cell.problem);
                }
            }
            if (!saved_timings.empty()) {
                admin.restore_timings(saved_timings);
            }
            std::printf("\n");
        }
    }
    std::printf(
        "\nC fault matrix: %zu faults x %zu operations (%zu calls) x %zu modes = %d cells, "
        "%d failed\n",
        m.faults.size(), m.operations.size(), columns.size(), m.modes.size(), cells, failures);
    std::fflush(stdout);
}
