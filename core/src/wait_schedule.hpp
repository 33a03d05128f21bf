// When a restore wait polls next: it predicts the restore's end from what the service says
// (the progress of successive polls, the record's timestamps, the Date of each answer) and
// polls shortly after that predicted end, with a floor and a cap; without usable progress it
// falls back to intervals that grow by half. Pure arithmetic, no I/O, so that it is tested
// on its own (tests/unit_extra/test_wait_schedule.cpp).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace dcs::core {

// The caller's bounds (WaitOptions): the first poll comes `first_ms` after the wait begins,
// and it is also the starting interval of the fallback; no two polls are more than `max_ms`
// apart.
struct PollLimits {
    int64_t first_ms = 5000;
    int64_t max_ms = 30000;
};

// What one poll of an unfinished restore showed. Local times are milliseconds on a
// monotonic axis that starts with the wait; service times are epoch milliseconds by the
// service's clock (-1 = absent).
struct PollSample {
    int64_t sent_ms = 0;
    int64_t received_ms = 0;
    // A lower bound of (service clock - our wall clock) that the answer's Date header gave
    // (Date is truncated to the second, so it never overstates); kNoBound when none.
    int64_t date_offset_ms = kNoBound;
    std::string status;    // "waiting", "restoring", ...
    double progress = -1;  // percent; < 0 when the service gave none
    int64_t created_at_ms = -1;
    int64_t updated_at_ms = -1;

    static constexpr int64_t kNoBound = std::numeric_limits<int64_t>::min();
};

// The predicted end on the local axis and how far off it may be (late side).
struct EndPrediction {
    int64_t end_ms = 0;
    int64_t uncertainty_ms = 0;
};

class PollSchedule {
   public:
    // `wall_at_zero_ms`: our wall clock (epoch ms) when the local axis was at 0.
    PollSchedule(PollLimits limits, int64_t wall_at_zero_ms);

    // How long after the wait begins the first poll comes.
    [[nodiscard]] int64_t first_delay_ms() const { return limits_.first_ms; }

    // Takes in a poll of a restore that has not finished; returns how long to wait, from
    // the poll's answer, before the next poll.
    int64_t after_poll(const PollSample& sample);
    // A poll that failed (or did not find the record yet) at `now_ms`: the next delay.
    int64_t after_failure(int64_t now_ms);

    // The current prediction, if the service's answers allow one.
    [[nodiscard]] std::optional<EndPrediction> prediction() const;

    // The interval polls use when no prediction is wanted (the instance's own wait after
    // the restore): the floor.
    [[nodiscard]] int64_t floor_ms() const;

   private:
    struct Point {
        int64_t t_ms;  // local
        double progress;
    };

    void learn_clock(const PollSample& sample);
    void learn_progress(const PollSample& sample);
    // Our best estimate of (service clock - our wall clock): the tightest lower bound,
    // so that an error makes the prediction early (one more poll), never late.
    [[nodiscard]] std::optional<int64_t> clock_offset() const;
    [[nodiscard]] std::optional<int64_t> local_of_service(int64_t service_ms) const;
    int64_t next_delay(int64_t now_ms);
    int64_t growing_delay();

    PollLimits limits_;
    int64_t wall_at_zero_ms_;

    int64_t offset_lower_ = PollSample::kNoBound;
    int64_t offset_upper_ = std::numeric_limits<int64_t>::max();

    std::vector<Point> points_;  // restoring samples with progress, since the last reset
    int64_t created_at_ms_ = -1;
    int64_t anchor_service_ms_ = -1;  // updated_at when the record turned "restoring"
    bool anchor_usable_ = true;
    std::string last_status_;

    int64_t growing_ms_ = 0;  // the fallback's last interval; 0 = none yet
    int overdue_polls_ = 0;   // polls since the predicted end passed
};

}  // namespace dcs::core
