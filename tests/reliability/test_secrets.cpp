// No secret leaves the C ABI, whatever a call ends with. With temporary credentials (a secret
// key and a security token chosen to be distinctive) the test drives a real call to every
// status dcs.h defines, 1 to DCS_STATUS_MAX, through the emulator: bad input, a wrong key,
// an unknown instance, throttling, a busy instance, 5xx, a dropped connection, a deadline,
// cancellation, an unreadable answer, a failed allocation and a throwing one
// (alloc_fault.cpp), a refused and an impossible restore and a restore that fails, plus a
// success whose first answer is lost. Everything is logged at DEBUG through the log
// callback, which also prints each line to stderr as an application would, and fd 1 and 2
// are redirected into files for the run. Then every log line, every field of every error
// and all the process wrote to its own stdout and stderr are searched, case-insensitively,
// for the secret key, the token, "Authorization" and "Signature=".
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "alloc_fault.hpp"
#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

const char* const kAk = "RELIABILITYAK0000001";
const char* const kSk = "reliability-secret-key-Qm7xV2pL9sK4tR8wZ1nB";
const char* const kToken = "reliability-security-token-Hc5jD3fG8kL1qW6eR0tY2uI4oP7aS9dF";
// A secret key that the service does not know, for the 401: a secret all the same.
const char* const kWrongSk = "reliability-wrong-secret-Ux3vB8nM1cX6zL4kJ9hG";
// Lengths of the instance ids that make the library's copy of the argument fail (+1 for the
// terminating NUL of that copy): no other allocation of the run is anywhere near this size.
constexpr size_t kNomemIdLength = 777001;
constexpr size_t kInternalIdLength = 777003;

struct Transcript {
    std::mutex mu;
    std::vector<std::string> texts;  // every log line and every part of every error

    void add(std::string text) {
        std::lock_guard<std::mutex> lock(mu);
        texts.push_back(std::move(text));
    }
};

void log_line(void* user_data, int /*level*/, const char* message) {
    static_cast<Transcript*>(user_data)->add(message);
    std::fprintf(stderr, "libdcs: %s\n", message);
}

// fd 1 and 2 go into temporary files while this lives; stop() puts them back and returns
// what was written.
class CapturedOutput {
   public:
    CapturedOutput() {
        std::fflush(stdout);
        std::fflush(stderr);
        for (int fd : {1, 2}) {
            saved_[fd - 1] = dup(fd);
            files_[fd - 1] = std::tmpfile();
            REQUIRE(saved_[fd - 1] >= 0);
            REQUIRE(files_[fd - 1] != nullptr);
            REQUIRE(dup2(fileno(files_[fd - 1]), fd) == fd);
        }
    }
    ~CapturedOutput() { stop(); }
    CapturedOutput(const CapturedOutput&) = delete;
    CapturedOutput& operator=(const CapturedOutput&) = delete;

    // {stdout, stderr} of the process while captured.
    std::vector<std::string> stop() {
        std::vector<std::string> out;
        std::fflush(stdout);
        std::fflush(stderr);
        for (int i = 0; i < 2; ++i) {
            if (saved_[i] < 0) {
                continue;
            }
            dup2(saved_[i], i + 1);
            close(saved_[i]);
            saved_[i] = -1;
            std::string text;
            std::rewind(files_[i]);
            char buf[4096];
            for (size_t n; (n = std::fread(buf, 1, sizeof buf, files_[i])) > 0;) {
                text.append(buf, n);
            }
            std::fclose(files_[i]);
            out.push_back(std::move(text));
        }
        return out;
    }

   private:
    int saved_[2] = {-1, -1};
    FILE* files_[2] = {nullptr, nullptr};
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

FaultSpec fault(const char* operation, const char* kind, int count) {
    FaultSpec f;
    f.operation = operation;
    f.kind = kind;
    f.count = count;
    return f;
}

// One call that must end with `expected`.
struct Case {
    dcs_status expected;
    const char* what;
    std::function<dcs_status()> call;
};

class Run {
   public:
    Run(Sandbox& sandbox, dcs_client* client, Transcript& t)
        : sandbox_(sandbox), client_(client), t_(t) {}

    dcs_status record(dcs_status status, dcs_error* err) {
        Failure f = take_error(err);
        for (const std::string* part : {&f.message, &f.service_code, &f.service_message,
                                        &f.service_ext_message, &f.request_id}) {
            t_.add(*part);
        }
        return status;
    }

    dcs_status show(const std::string& instance_id, dcs_client* client = nullptr,
                    int64_t timeout_ms = 0, dcs_cancel_token* cancel = nullptr) {
        auto call = make_call_options(CallSettings{timeout_ms, cancel, 0, false});
        dcs_instance* instance = nullptr;
        dcs_error* err = nullptr;
        dcs_status st = dcs_show_instance(client != nullptr ? client : client_, instance_id.c_str(),
                                          call.get(), &instance, &err);
        dcs_instance_free(instance);
        return record(st, err);
    }

    dcs_status restore(const std::string& instance_id, const std::string& backup_id,
                       const char* remark, std::string* restore_id = nullptr) {
        auto call = make_call_options(CallSettings{10000, nullptr, 1, false});
        char* id = nullptr;
        dcs_error* err = nullptr;
        dcs_status st = dcs_restore_instance(client_, instance_id.c_str(), backup_id.c_str(),
                                             remark, call.get(), &id, &err);
        StringPtr owned(id);
        if (st == DCS_OK && restore_id != nullptr) {
            *restore_id = owned.get();
        }
        return record(st, err);
    }

    dcs_status restore_and_wait(const char* remark) {
        std::string id;
        dcs_status st = restore(sandbox_.instance_id, sandbox_.backup_id, remark, &id);
        if (st != DCS_OK) {
            return st;
        }
        dcs_wait_options* raw = nullptr;
        REQUIRE(dcs_wait_options_new(&raw, nullptr) == DCS_OK);
        WaitOptionsPtr wait(raw);
        REQUIRE(dcs_wait_options_set_poll_interval_ms(wait.get(), 50, nullptr) == DCS_OK);
        auto call = make_call_options(CallSettings{10000, nullptr, 0, false});
        dcs_restore_record* record = nullptr;
        dcs_error* err = nullptr;
        st = dcs_wait_for_restore(client_, sandbox_.instance_id.c_str(), id.c_str(), wait.get(),
                                  call.get(), &record, &err);
        dcs_restore_record_free(record);
        return this->record(st, err);
    }

    // Makes the library's copy of an instance id of `length` bytes fail as armed.
    dcs_status show_with_failing_copy(size_t length, size_t nomem, size_t internal) {
        const std::string id(length, 'a');  // made before arming: its own copy must not fail
        dcs_alloc_fault_arm(nomem, internal);
        dcs_status st = show(id);
        dcs_alloc_fault_arm(0, 0);
        return st;
    }

   private:
    Sandbox& sandbox_;
    dcs_client* client_;
    Transcript& t_;
};

}  // namespace

TEST_CASE("every status a call can end with leaks no secret into logs, errors or the output") {
    Sandbox sandbox;  // starts the emulator before fd 2 is captured: its stderr is not ours
    admin().add_credential(kAk, kSk, demo::kProjectId, kToken);
    const std::string other_instance = admin().create_instance();
    const std::string other_backup = admin().create_backup(other_instance);
    InstanceSpec single;
    single.cache_mode = "single";
    const std::string single_instance = admin().create_instance(single);
    const std::string single_backup = admin().create_backup(single_instance);
    const std::string restarting = admin().create_instance();
    const std::string restarting_backup = admin().create_backup(restarting);
    admin().patch_instance(restarting, std::string("RESTARTING"), std::nullopt);

    Transcript t;
    ClientSettings settings;
    settings.access_key = kAk;
    settings.secret_key = kSk;
    settings.security_token = kToken;
    settings.max_attempts = 2;
    settings.log_fn = log_line;
    settings.log_user_data = &t;
    settings.log_level = DCS_LOG_DEBUG;
    auto client = sandbox.client(settings);
    settings.secret_key = kWrongSk;
    auto impostor = sandbox.client(settings);
    Run run(sandbox, client.get(), t);
    const std::string& inst = sandbox.instance_id;

    const std::vector<Case> cases = {
        {DCS_OK, "a restore and its wait, the restore's first answer lost",
         [&] {
             admin().add_fault(fault("RestoreInstance", "close_after", 1));
             return run.restore_and_wait("secrets");
         }},
        {DCS_E_INVALID_ARGUMENT, "an instance id with a path in it",
         [&] { return run.show("../../etc/passwd"); }},
        {DCS_E_AUTH, "a secret key the service does not know",
         [&] { return run.show(inst, impostor.get()); }},
        {DCS_E_NOT_FOUND, "an instance that does not exist",
         [&] { return run.show("00000000-0000-4000-8000-000000000000"); }},
        {DCS_E_THROTTLED, "429 on every attempt",
         [&] {
             FaultSpec f = fault("ShowInstance", "throttle", 2);
             f.retry_after = 1;
             admin().add_fault(f);
             return run.show(inst);
         }},
        {DCS_E_BUSY, "a restore of an instance that is restarting",
         [&] { return run.restore(restarting, restarting_backup, "busy"); }},
        {DCS_E_SERVER, "500 on every attempt",
         [&] {
             FaultSpec f = fault("ShowInstance", "status", 2);
             f.status = 500;
             f.body = R"({"error_code":"DCS.5000","error_msg":"injected"})";
             admin().add_fault(f);
             return run.show(inst);
         }},
        {DCS_E_TRANSPORT, "the connection closed without an answer on every attempt",
         [&] {
             // Every request: libcurl itself sends a GET again when a kept-alive connection
             // dies, so a counted fault would be used up by one attempt.
             admin().add_fault(fault("ShowInstance", "close_before", 0));
             return run.show(inst);
         }},
        {DCS_E_TIMEOUT, "the answer comes after the deadline",
         [&] {
             FaultSpec f = fault("ShowInstance", "delay", 1);
             f.delay_ms = 1500;
             admin().add_fault(f);
             return run.show(inst, nullptr, 300);
         }},
        {DCS_E_CANCELLED, "cancelled while the request is in flight",
         [&] {
             FaultSpec f = fault("ShowInstance", "delay", 1);
             f.delay_ms = 1500;
             admin().add_fault(f);
             auto token = make_cancel_token();
             std::thread canceller([&] {
                 std::this_thread::sleep_for(std::chrono::milliseconds(200));
                 dcs_cancel_token_cancel(token.get());
             });
             dcs_status st = run.show(inst, nullptr, 0, token.get());
             canceller.join();
             return st;
         }},
        {DCS_E_BAD_RESPONSE, "an answer that is not JSON on every attempt",
         [&] {
             admin().add_fault(fault("ShowInstance", "non_json", 2));
             return run.show(inst);
         }},
        {DCS_E_INTERNAL, "an exception inside the library (a throwing allocation)",
         [&] { return run.show_with_failing_copy(kInternalIdLength, 0, kInternalIdLength + 1); }},
        {DCS_E_NOMEM, "an allocation that fails",
         [&] { return run.show_with_failing_copy(kNomemIdLength, kNomemIdLength + 1, 0); }},
        {DCS_E_REJECTED, "a restore from another instance's backup (DCS.4063)",
         [&] { return run.restore(inst, other_backup, "rejected"); }},
        {DCS_E_PRECONDITION, "a restore of a single-node instance (DCS.4086)",
         [&] { return run.restore(single_instance, single_backup, "precondition"); }},
        {DCS_E_RESTORE_FAILED, "a restore that fails in the service",
         [&] {
             TimingsPatch failing;
             failing.fail_restores = "dcs.08.0007";
             admin().set_timings(failing);
             dcs_status st = run.restore_and_wait("fails");
             failing.fail_restores = "";
             admin().set_timings(failing);
             return st;
         }},
    };

    std::vector<dcs_status> got;
    std::vector<std::string> output;
    {
        CapturedOutput captured;
        for (const Case& c : cases) {
            admin().clear_faults();
            got.push_back(c.call());
        }
        output = captured.stop();
    }
    // What the run printed, shown now that fd 1 and 2 are back.
    std::fwrite(output[0].data(), 1, output[0].size(), stdout);
    std::fwrite(output[1].data(), 1, output[1].size(), stderr);

    std::set<dcs_status> reached;
    for (size_t i = 0; i < cases.size(); ++i) {
        const std::string what = cases[i].what;
        CAPTURE(what);
        CHECK(std::string(dcs_status_str(got[i])) == dcs_status_str(cases[i].expected));
        if (got[i] == cases[i].expected) {
            reached.insert(got[i]);
        }
    }
    // Every status of dcs.h was met: a status added to the header fails this until a case
    // reaches it.
    for (dcs_status st = DCS_OK; st <= DCS_STATUS_MAX; ++st) {
        const std::string status = dcs_status_str(st);
        CAPTURE(status);
        CHECK(reached.count(st) == 1);
    }
    CHECK(dcs_alloc_fault_fired() == 2);
    // The run logged and printed: empty transcripts would prove nothing.
    CHECK(t.texts.size() > 40);
    CHECK(output[1].size() > 2000);

    std::vector<std::string> texts = t.texts;
    texts.insert(texts.end(), output.begin(), output.end());
    int leaks = 0;
    for (const std::string& text : texts) {
        const std::string haystack = lower(text);
        const std::string excerpt = text.substr(0, 300);
        for (const char* secret : {kSk, kToken, kWrongSk, "Authorization", "Signature="}) {
            const std::string forbidden = secret;
            CAPTURE(forbidden);
            CAPTURE(excerpt);
            CHECK(haystack.find(lower(secret)) == std::string::npos);
            leaks += haystack.find(lower(secret)) == std::string::npos ? 0 : 1;
        }
    }
    MESSAGE("secrets: C: " << reached.size() << " of " << DCS_STATUS_MAX + 1
                           << " statuses reached, " << t.texts.size() << " texts and "
                           << output[0].size() + output[1].size() << " bytes of output searched, "
                           << leaks << " leaks");
}
