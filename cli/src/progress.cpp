#include "progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace dcsctl {
namespace {

constexpr int kBarWidth = 20;

}  // namespace

ProgressDisplay::ProgressDisplay(std::FILE* out, std::string subject)
    : out_(out), subject_(std::move(subject)), terminal_(::isatty(::fileno(out)) == 1) {}

std::string ProgressDisplay::render(const std::string& status, double percent) {
    std::string text = status.empty() ? std::string("unknown") : status;
    text += " [";
    int filled = percent < 0 ? 0 : static_cast<int>(std::min(percent, 100.0) * kBarWidth / 100.0);
    text.append(static_cast<size_t>(filled), '#');
    text.append(static_cast<size_t>(kBarWidth - filled), '-');
    text += "] ";
    char number[16];
    if (percent < 0) {
        std::snprintf(number, sizeof number, "%7s", "--.--%");
    } else {
        std::snprintf(number, sizeof number, "%6.2f%%", std::min(percent, 100.0));
    }
    return text + number;
}

void ProgressDisplay::update(const std::string& status, const std::string& progress,
                             double percent) {
    if (shown_any_ && status == last_status_ && progress == last_progress_) {
        return;
    }
    shown_any_ = true;
    last_status_ = status;
    last_progress_ = progress;
    std::string bar = render(status, percent);
    if (terminal_) {
        // Carriage return and erase-to-end-of-line: redraw in place.
        std::fprintf(out_, "\r\033[K%s", bar.c_str());
        line_open_ = true;
    } else {
        std::fprintf(out_, "%s: %s\n", subject_.c_str(), bar.c_str());
    }
    std::fflush(out_);
}

void ProgressDisplay::finish() {
    if (line_open_) {
        std::fputc('\n', out_);
        std::fflush(out_);
        line_open_ = false;
    }
}

}  // namespace dcsctl
