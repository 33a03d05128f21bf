// Sets or unsets an environment variable for one scope and puts the old value back after,
// so tests of environment handling neither see nor leave behind each other's variables.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace dcs::test {

class ScopedEnv {
   public:
    // A null `value` unsets the variable.
    ScopedEnv(std::string name, const char* value) : name_(std::move(name)) {
        if (const char* old = std::getenv(name_.c_str())) {
            previous_ = old;
        }
        if (value != nullptr) {
            ::setenv(name_.c_str(), value, 1);
        } else {
            ::unsetenv(name_.c_str());
        }
    }
    ~ScopedEnv() {
        if (previous_) {
            ::setenv(name_.c_str(), previous_->c_str(), 1);
        } else {
            ::unsetenv(name_.c_str());
        }
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

   private:
    std::string name_;
    std::optional<std::string> previous_;
};

}  // namespace dcs::test
