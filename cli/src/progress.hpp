// Progress of a restore or backup on stderr. On a terminal, one line redrawn in place:
//   restoring [##########----------]  50.00%
// Elsewhere (a pipe, a log file), a plain line each time the status or progress changes.
#pragma once

#include <cstdio>
#include <string>

namespace dcsctl {

class ProgressDisplay {
   public:
    // `subject` names what progresses in plain lines, e.g. "restore 1234".
    ProgressDisplay(std::FILE* out, std::string subject);
    ~ProgressDisplay() { finish(); }
    ProgressDisplay(const ProgressDisplay&) = delete;
    ProgressDisplay& operator=(const ProgressDisplay&) = delete;

    // `progress` is the API's string ("42.50"), `percent` what libdcs made of it (-1 when
    // nothing: the bar shows as unknown). Shown again only when either string changed.
    void update(const std::string& status, const std::string& progress, double percent);
    // Ends a terminal line so that what follows starts on a fresh one.
    void finish();

    // The bar itself, without terminal control characters (exposed for its format).
    static std::string render(const std::string& status, double percent);

   private:
    std::FILE* out_;
    std::string subject_;
    bool terminal_;
    bool line_open_ = false;
    std::string last_status_;
    std::string last_progress_;
    bool shown_any_ = false;
};

}  // namespace dcsctl
