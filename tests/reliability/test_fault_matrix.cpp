// The cross-layer fault matrix, C column: every fault of fault_matrix.json on every operation,
// once and always, through the library call that exercises it. Each call ends with a success
// or a clear error (a documented status other than INTERNAL, with a message) within its
// deadline plus slack; a restore never starts twice (on success exactly once, on an error at
// most once and then never claiming "not sent"), and a backup call starts at most one backup.
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
    std::string problem;  // empty = the cell passed
};

// The world of one cell: a fresh instance with a restorable backup, and for get_restore a
// restore record to read.
struct CellWorld {
    std::string instance_id;
    std::string backup_id;
    std::string restore_id;
};

using CallFn =
    std::function<dcs_status(dcs_client*, const CellWorld&, const dcs_call_options*, dcs_error**)>;

const std::map<std::string, CallFn>& calls() {
    static const std::map<std::string, CallFn> table = {
        {"restore_instance",
         [](dcs_client* c, const CellWorld& w, const dcs_call_options* o, dcs_error** e) {
             char* id = nullptr;
             dcs_status st = dcs_restore_instance(c, w.instance_id.c_str(), w.backup_id.c_str(),
                                                  "matrix", o, &id, e);
             dcs_string_free(id);
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

std::string judge(const std::string& call, const Cell& cell, const FaultMatrix& m, int64_t restores,
                  int64_t backups) {
    if (cell.elapsed_ms > m.call_timeout_ms + m.deadline_slack_ms) {
        return "outlived its deadline: " + std::to_string(cell.elapsed_ms) + " ms";
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
        if (restores > 1) {
            return "started " + std::to_string(restores) + " restores";
        }
        if (cell.status == DCS_OK && restores != 1) {
            return "succeeded, yet started no restore";
        }
        if (cell.status != DCS_OK && restores == 1 && cell.failure.request_sent == DCS_SENT_NO) {
            return "a restore started, yet the error says nothing was sent";
        }
    }
    if (call == "create_backup") {
        if (backups > 1) {
            return "started " + std::to_string(backups) + " backups";
        }
        if (cell.status == DCS_OK && backups != 1) {
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
    auto call_options = make_call_options(CallSettings{m.call_timeout_ms, nullptr, 0, false});

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
        std::printf("\nC fault matrix, mode '%s' (%s)\n%-22s", mode.c_str(),
                    count == 0 ? "every matching request" : "the next matching request", "fault");
        for (const std::string& column : columns) {
            std::printf(" %-15s", column.c_str());
        }
        std::printf("\n");
        for (const MatrixFault& fault : m.faults) {
            std::printf("%-22s", fault.name.c_str());
            for (const std::string& call : columns) {
                CellWorld world;
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
                admin.add_fault(spec);

                Cell cell;
                dcs_error* err = nullptr;
                Stopwatch watch;
                cell.status = calls().at(call)(client.get(), world, call_options.get(), &err);
                cell.elapsed_ms = watch.elapsed_ms();
                cell.failure = take_error(err);
                admin.clear_faults();
                cell.problem = judge(call, cell, m, admin.restores_started(world.instance_id),
                                     admin.backups_started(world.instance_id));
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
            std::printf("\n");
        }
    }
    std::printf(
        "\nC fault matrix: %zu faults x %zu operations (%zu calls) x %zu modes = %d cells, "
        "%d failed\n",
        m.faults.size(), m.operations.size(), columns.size(), m.modes.size(), cells, failures);
    std::fflush(stdout);
}
