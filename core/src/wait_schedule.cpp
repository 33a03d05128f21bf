// The restore wait's poll schedule: predict the end, poll just after it. See the header.
#include "wait_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace dcs::core {
namespace {

constexpr double kGrowth = 1.5;
// How far one reading of progress may stray from a straight line, in percentage points.
// Services report progress in uneven steps; the uncertainty of a prediction is this noise
// over the progress it was measured across.
constexpr double kProgressNoise = 2.5;
// Two rates (anchor-based and sample-based) further apart than this say that updated_at
// does not mark the start of the restoring phase on this service.
constexpr double kRateDisagreement = 0.3;
// The floor between polls never exceeds this, so that the caller's first interval does not
// make the end late; near the predicted end polls may come sooner, down to kNearMinMs.
constexpr int64_t kFloorMaxMs = 1000;
constexpr int64_t kNearMinMs = 100;
// The end is to be noticed within max(kNoticeMinMs, kNoticeFraction of the restore's
// length): a poll is aimed at it once the prediction is that good, refined before.
constexpr int64_t kNoticeMinMs = 1000;
constexpr double kNoticeFraction = 0.05;
// Overdue, the next look comes after this fraction of the restore's length (at least
// kNearMinMs, at most the floor), then less and less often.
constexpr double kOverdueFraction = 0.025;
// The smallest margin after a predicted end: the clocks are only known to the millisecond.
constexpr int64_t kMarginMinMs = 50;
// Progress is never 100 before the service says succeed.
constexpr double kLastPercent = 99.99;

int64_t to_ms(double v) { return static_cast<int64_t>(std::llround(v)); }

}  // namespace

PollSchedule::PollSchedule(PollLimits limits, int64_t wall_at_zero_ms)
    : limits_(limits), wall_at_zero_ms_(wall_at_zero_ms) {
    limits_.first_ms = std::max<int64_t>(limits_.first_ms, 1);
    limits_.max_ms = std::max(limits_.max_ms, limits_.first_ms);
}

int64_t PollSchedule::floor_ms() const { return std::min(limits_.first_ms, kFloorMaxMs); }

int64_t PollSchedule::after_poll(const PollSample& sample) {
    learn_clock(sample);
    learn_progress(sample);
    return next_delay(sample.received_ms);
}

int64_t PollSchedule::after_failure(int64_t now_ms) { return next_delay(now_ms); }

void PollSchedule::learn_clock(const PollSample& sample) {
    const int64_t wall_received = wall_at_zero_ms_ + sample.received_ms;
    if (sample.date_offset_ms != PollSample::kNoBound) {
        // Date is the service's clock truncated to the second, taken while we waited for
        // the answer: (Date - received) <= offset < (Date + 1 s - sent).
        offset_lower_ = std::max(offset_lower_, sample.date_offset_ms);
        offset_upper_ = std::min(
            offset_upper_, sample.date_offset_ms + 1000 + (sample.received_ms - sample.sent_ms));
    }
    // Whatever the record says happened, happened before its answer reached us...
    for (int64_t stamp : {sample.created_at_ms, sample.updated_at_ms}) {
        if (stamp >= 0) {
            offset_lower_ = std::max(offset_lower_, stamp - wall_received);
        }
    }
    // ...and the restore was created before anyone could wait for it: when the wait began
    // right after the restore was started, as it usually is, this bound is tight.
    if (sample.created_at_ms >= 0) {
        offset_lower_ = std::max(offset_lower_, sample.created_at_ms - wall_at_zero_ms_);
    }
}

std::optional<int64_t> PollSchedule::clock_offset() const {
    if (offset_lower_ == PollSample::kNoBound) {
        return std::nullopt;
    }
    // Bounds that cross come from a clock that jumped: trust the tighter side.
    return std::min(offset_lower_, offset_upper_);
}

std::optional<int64_t> PollSchedule::local_of_service(int64_t service_ms) const {
    auto offset = clock_offset();
    if (!offset || service_ms < 0) {
        return std::nullopt;
    }
    return service_ms - *offset - wall_at_zero_ms_;
}

void PollSchedule::learn_progress(const PollSample& sample) {
    if (sample.created_at_ms >= 0) {
        created_at_ms_ = sample.created_at_ms;
    }
    const bool restoring = sample.status == "restoring";
    if (restoring && sample.updated_at_ms >= 0) {
        if (anchor_service_ms_ < 0) {
            anchor_service_ms_ = sample.updated_at_ms;
        } else if (last_status_ == "restoring" && sample.updated_at_ms != anchor_service_ms_) {
            anchor_usable_ = false;  // updated_at moves while running: no phase start
        }
        if (created_at_ms_ >= 0 && sample.updated_at_ms <= created_at_ms_) {
            anchor_usable_ = false;  // never moved since creation: it marks nothing
        }
    }
    last_status_ = sample.status;
    if (!restoring || !(sample.progress > 0)) {
        return;
    }
    double progress = std::min(sample.progress, kLastPercent);
    if (!points_.empty() && progress == points_.back().progress) {
        // No advance: the first reading of a value says when it was reached; a stall then
        // leaves the prediction where it was, due, and the polls thin out.
        return;
    }
    if (!points_.empty() && progress < points_.back().progress) {
        points_.clear();  // it went back: what came before says nothing about the rest
    }
    points_.push_back({(sample.sent_ms + sample.received_ms) / 2, progress});

    // Check the anchor against the samples once they span enough progress to tell.
    const Point& first = points_.front();
    const Point& last = points_.back();
    auto anchor = local_of_service(anchor_service_ms_);
    if (anchor_usable_ && anchor && last.progress - first.progress >= 2 * kProgressNoise &&
        last.t_ms > first.t_ms && last.t_ms > *anchor) {
        double by_samples = (last.progress - first.progress) / double(last.t_ms - first.t_ms);
        double by_anchor = last.progress / double(last.t_ms - *anchor);
        if (std::fabs(by_anchor - by_samples) > kRateDisagreement * by_samples) {
            anchor_usable_ = false;
        }
    }
}

std::optional<EndPrediction> PollSchedule::prediction() const {
    if (points_.empty()) {
        return std::nullopt;
    }
    const Point& last = points_.back();
    double rate = 0;      // percent per millisecond
    double span = 0;      // the progress the rate was measured across
    int64_t from_ms = 0;  // where that measure starts
    double noise = kProgressNoise;
    auto anchor = local_of_service(anchor_service_ms_);
    if (anchor_usable_ && anchor && last.t_ms - *anchor >= kNearMinMs) {
        // From the start of the restoring phase (progress 0 then) to the last reading.
        rate = last.progress / double(last.t_ms - *anchor);
        span = last.progress;
        from_ms = *anchor;
    } else {
        const Point& first = points_.front();
        if (last.progress - first.progress >= 2 * kProgressNoise &&
            last.t_ms - first.t_ms >= 2 * kNearMinMs) {
            rate = (last.progress - first.progress) / double(last.t_ms - first.t_ms);
            span = last.progress - first.progress;
            from_ms = first.t_ms;
            noise *= std::sqrt(2.0);  // both ends are readings
        }
    }
    if (!(rate > 0) || !(span > 0)) {
        return std::nullopt;
    }
    // A service whose readings stray further from the line than the usual noise (coarse
    // steps, bursts) shows it in the residuals: take those as its noise instead.
    const double base = from_ms == points_.front().t_ms ? points_.front().progress : 0.0;
    for (const Point& point : points_) {
        double expected = base + rate * double(point.t_ms - from_ms);
        noise = std::max(noise, std::fabs(point.progress - expected));
    }
    EndPrediction p;
    p.end_ms = last.t_ms + to_ms((100.0 - last.progress) / rate);
    // A reading `noise` off the line moves the whole extrapolation from `from_ms`, not only
    // what is left of it.
    p.uncertainty_ms = to_ms(double(p.end_ms - from_ms) * noise / span);
    return p;
}

int64_t PollSchedule::growing_delay() {
    growing_ms_ = growing_ms_ == 0 ? to_ms(double(limits_.first_ms) * kGrowth)
                                   : to_ms(double(growing_ms_) * kGrowth);
    growing_ms_ = std::min(growing_ms_, limits_.max_ms);
    return growing_ms_;
}

int64_t PollSchedule::next_delay(int64_t now_ms) {
    auto predicted = prediction();
    if (!predicted) {
        return growing_delay();
    }
    const int64_t floor = floor_ms();
    // The restore's whole length as predicted, for the tolerances that scale with it.
    int64_t length = predicted->end_ms;
    if (auto created = local_of_service(created_at_ms_)) {
        length = predicted->end_ms - *created;
    }
    const int64_t remaining = predicted->end_ms - now_ms;
    if (remaining <= 0) {
        // Overdue: look again soon, then less and less often (a service may sit at 99%).
        int64_t near =
            std::min(floor, std::max(kNearMinMs, to_ms(double(length) * kOverdueFraction)));
        double delay = double(near) * std::pow(kGrowth, overdue_polls_);
        ++overdue_polls_;
        return std::min(to_ms(delay), limits_.max_ms);
    }
    overdue_polls_ = 0;
    const int64_t uncertainty = predicted->uncertainty_ms;
    const int64_t notice = std::max(kNoticeMinMs, to_ms(double(length) * kNoticeFraction));
    if (uncertainty < notice) {
        // Known well enough: poll once, after the end by a margin that keeps the latest
        // plausible notice within `notice` (an early poll costs one more, soon after).
        int64_t margin = std::max(kMarginMinMs, std::min(uncertainty, notice - uncertainty));
        return std::min(remaining + margin, limits_.max_ms);
    }
    // Not yet: look again before the earliest plausible end, or half way there, whichever
    // is later; the longer baseline makes the next prediction better.
    int64_t delay = std::max(remaining / 2, remaining - 2 * uncertainty);
    return std::clamp(delay, floor, limits_.max_ms);
}

}  // namespace dcs::core
