// PollSchedule on simulated restores: how many polls a wait makes and how late it notices
// the end, for restores of several lengths, progress with jitter, clocks apart, and the
// services that give less to go on (no progress, a stall at 99%, updated_at that marks
// nothing). The simulated service answers as the emulator does (dcs-emulator's progress.go).
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "wait_schedule.hpp"

using dcs::core::PollLimits;
using dcs::core::PollSample;
using dcs::core::PollSchedule;

namespace {

// A restore as the service runs it; times in ms on the waiter's local axis.
struct Service {
    int64_t created = -1;  // local
    int64_t waiting = 2000;
    int64_t running = 8000;
    int64_t clock_offset = 0;  // service clock - our wall clock
    int64_t wall_at_zero = 1'700'000'000'123;
    double jitter = 0.025;  // of the whole, at each tenth
    bool progress_shown = true;
    bool updated_marks_phase = true;  // updated_at = when "restoring" began
    bool updated_moves = false;       // updated_at follows every progress step
    int64_t stall_ms = 0;             // at 99% this long past the nominal end
    std::array<double, 11> knots{};

    void seed(unsigned s) {
        std::mt19937 rng(s);
        std::uniform_real_distribution<double> u(-1, 1);
        knots[0] = 0;
        for (int j = 1; j < 10; ++j) {
            knots[j] = std::clamp(j / 10.0 + u(rng) * jitter, knots[j - 1], 1.0);
        }
        knots[10] = 1;
    }
    [[nodiscard]] int64_t end() const { return created + waiting + running + stall_ms; }
    [[nodiscard]] double curve(double x) const {
        if (x >= 1) {
            return 1;
        }
        int seg = std::min(static_cast<int>(x * 10), 9);
        double frac = x * 10 - seg;
        return knots[seg] + (knots[seg + 1] - knots[seg]) * frac;
    }
    [[nodiscard]] int64_t service_ms(int64_t local) const {
        return wall_at_zero + local + clock_offset;
    }
    // The record as a poll answered at `t` sees it; "" status = finished.
    PollSample answer(int64_t t) const {
        PollSample s;
        s.sent_ms = t - 2;
        s.received_ms = t + 2;
        int64_t service_now = service_ms(t);
        s.date_offset_ms = (service_now / 1000) * 1000 - (wall_at_zero + s.received_ms);
        s.created_at_ms = service_ms(created);
        s.updated_at_ms = s.created_at_ms;
        if (t >= end()) {
            s.status = "succeed";
            return s;
        }
        int64_t began = created + waiting;
        if (t < began) {
            s.status = "waiting";
            s.progress = 0;
            return s;
        }
        s.status = "restoring";
        double p = curve(double(t - began) / double(running)) * 100;
        p = std::round(std::clamp(p, 0.01, 99.0) * 100) / 100;
        s.progress = progress_shown ? p : -1;
        if (updated_marks_phase) {
            s.updated_at_ms = service_ms(began);
        }
        if (updated_moves) {
            s.updated_at_ms = service_ms(t - 1);
        }
        return s;
    }
};

struct Outcome {
    int polls = 0;
    int64_t late_ms = 0;  // when the wait saw the end minus the end
    int64_t longest_gap = 0;
    int64_t shortest_gap = INT64_MAX;
};

// The wait begins 1 ms after the service created the record, as after a restore call.
Outcome run(const Service& service, PollLimits limits = {}) {
    PollSchedule schedule(limits, service.wall_at_zero);
    Outcome out;
    int64_t t = schedule.first_delay_ms();
    for (int guard = 0; guard < 10000; ++guard) {
        PollSample sample = service.answer(t);
        ++out.polls;
        if (sample.status == "succeed") {
            out.late_ms = sample.received_ms - service.end();
            return out;
        }
        int64_t delay = schedule.after_poll(sample);
        REQUIRE(delay > 0);
        REQUIRE(delay <= limits.max_ms);
        out.longest_gap = std::max(out.longest_gap, delay);
        out.shortest_gap = std::min(out.shortest_gap, delay);
        t = sample.received_ms + delay;
    }
    FAIL("the wait never saw the end");
    return out;
}

Service restore_of(int64_t total_ms, unsigned seed) {
    Service s;
    s.created = -1;
    s.waiting = 2000;
    s.running = total_ms - s.waiting;
    s.seed(seed);
    return s;
}

// A poller that looks every 10 s from the start, as the Terraform provider does.
int fixed_poller_polls(int64_t end_ms) { return static_cast<int>((end_ms + 1 + 9999) / 10000); }

int64_t late_target(int64_t total_ms) { return std::max<int64_t>(1000, total_ms / 20); }

}  // namespace

TEST_CASE(
    "restores of 10, 60 and 180 s: late by at most max(1 s, 5%), fewer polls than every 10 s") {
    for (int64_t total : {10000, 60000, 180000}) {
        int worst_polls = 0;
        int two_polls = 0;
        int64_t worst_late = 0;
        const unsigned seeds = 200;
        for (unsigned seed = 1; seed <= seeds; ++seed) {
            Outcome out = run(restore_of(total, seed));
            CAPTURE(total);
            CAPTURE(seed);
            CHECK(out.late_ms <= late_target(total));
            worst_polls = std::max(worst_polls, out.polls);
            worst_late = std::max(worst_late, out.late_ms);
            two_polls += out.polls <= 2 ? 1 : 0;
        }
        const int fixed = fixed_poller_polls(total - 1);
        MESSAGE((total / 1000) << " s restores: at most " << worst_polls << " polls, " << worst_late
                               << " ms late (every 10 s: " << fixed << " polls)");
        if (total == 10000) {
            // One look in the middle, one just after the end; a third only when the
            // reading in the middle strayed far.
            CHECK(worst_polls <= 3);
            CHECK(two_polls >= seeds * 95 / 100);
        } else {
            CHECK(worst_polls < fixed);
        }
    }
}

TEST_CASE("the service's clock minutes apart from ours changes nothing") {
    for (int64_t offset : {-300000LL, 120000LL, 777LL}) {
        Service service = restore_of(60000, 7);
        service.clock_offset = offset;
        Outcome out = run(service);
        CAPTURE(offset);
        CHECK(out.late_ms <= late_target(60000));
        CHECK(out.polls <= 4);
    }
}

TEST_CASE("updated_at that marks no phase start: the samples alone predict the end") {
    SUBCASE("never moves after creation") {
        Service service = restore_of(60000, 3);
        service.updated_marks_phase = false;
        Outcome out = run(service);
        CHECK(out.late_ms <= late_target(60000));
        CHECK(out.polls <= 6);
    }
    SUBCASE("moves with every progress step") {
        Service service = restore_of(60000, 3);
        service.updated_moves = true;
        Outcome out = run(service);
        CHECK(out.late_ms <= late_target(60000));
        CHECK(out.polls <= 6);
    }
}

TEST_CASE("no progress from the service: intervals grow by half from the first to the cap") {
    Service service = restore_of(180000, 5);
    service.progress_shown = false;
    PollLimits limits{2000, 30000};
    PollSchedule schedule(limits, service.wall_at_zero);
    int64_t t = schedule.first_delay_ms();
    std::vector<int64_t> delays;
    for (PollSample s = service.answer(t); s.status != "succeed"; s = service.answer(t)) {
        delays.push_back(schedule.after_poll(s));
        t = s.received_ms + delays.back();
    }
    REQUIRE(delays.size() >= 4);
    CHECK(delays[0] == 3000);
    CHECK(delays[1] == 4500);
    CHECK(delays[2] == 6750);
    CHECK(delays.back() == 30000);
}

TEST_CASE("a restore that sits at 99% long past its predicted end is polled less and less") {
    Service service = restore_of(60000, 11);
    service.stall_ms = 10LL * 60 * 1000;
    Outcome out = run(service);
    // Ten minutes of stall at polls every 30 s at most, plus the approach: not a hammering.
    CHECK(out.polls <= 40);
    CHECK(out.longest_gap == 30000);
    CHECK(out.late_ms <= 30000);
}

TEST_CASE("progress that goes back does not stop the wait") {
    PollSchedule schedule({1000, 5000}, 0);
    PollSample s;
    s.status = "restoring";
    s.created_at_ms = 0;
    s.updated_at_ms = 500;
    for (double p : {10.0, 40.0, 20.0, 30.0, 35.0}) {
        s.sent_ms += 1000;
        s.received_ms = s.sent_ms + 1;
        s.progress = p;
        int64_t delay = schedule.after_poll(s);
        CHECK(delay > 0);
        CHECK(delay <= 5000);
    }
    CHECK(schedule.prediction().has_value());
}

TEST_CASE("the caller's bounds: the first poll and the cap") {
    PollSchedule schedule({250, 400}, 0);
    CHECK(schedule.first_delay_ms() == 250);
    CHECK(schedule.floor_ms() == 250);
    Service service = restore_of(10000, 2);
    Outcome out = run(service, {250, 400});
    CHECK(out.longest_gap <= 400);
    CHECK(out.late_ms <= 1000);
    PollSchedule wide({8000, 60000}, 0);
    CHECK(wide.floor_ms() == 1000);  // the floor never makes an end late by seconds
}
