// The credentials chain's pure pieces: the profile file's INI, the metadata service's answer,
// the refresh margin, and a refreshing source on a fake clock (when it fetches, how many
// times under concurrency, what a failed refresh leaves).
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "config.hpp"
#include "credentials.hpp"
#include "scoped_env.hpp"

using namespace dcs::core;
using dcs::test::ScopedEnv;

namespace {

std::string write_file(const std::string& name, const std::string& text) {
    std::string path = "/tmp/libdcs-unit-" + name + "-" + std::to_string(::getpid());
    std::ofstream(path) << text;
    return path;
}

struct FakeClock {
    std::atomic<int64_t> ms{1'700'000'000'000};
    [[nodiscard]] Clock clock() {
        return [this] {
            return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms.load()));
        };
    }
};

std::vector<RequestTemplate> no_templates(const Signer& /*signer*/) { return {}; }

}  // namespace

TEST_CASE("a profile section gives keys, token and project; comments and spaces are ignored") {
    std::string path = write_file("profile",
                                  "; comment\n# another\n[other]\nak = OTHER\nsk = other\n\n"
                                  "[ basic ]\n  ak=BASICAK  \nsk = basic secret\n"
                                  "security_token = tok\nproject_id = p1\nunknown = x\n");
    auto entry = read_profile(path, "basic", true);
    REQUIRE(entry.ok());
    REQUIRE(entry.value().has_value());
    CHECK(entry.value()->keys.access_key == "BASICAK");
    CHECK(entry.value()->keys.secret_key == "basic secret");
    CHECK(entry.value()->keys.security_token == "tok");
    CHECK(entry.value()->project_id == "p1");

    auto missing_section = read_profile(path, "nope", false);
    REQUIRE_FALSE(missing_section.ok());
    CHECK(missing_section.error().message.find("[nope]") != std::string::npos);
    std::remove(path.c_str());

    auto absent = read_profile(path, "basic", false);
    REQUIRE(absent.ok());
    CHECK_FALSE(absent.value().has_value());
    CHECK_FALSE(read_profile(path, "basic", true).ok());
}

TEST_CASE("a profile section without both keys is refused") {
    std::string path = write_file("half", "[basic]\nak = ONLYAK\n");
    auto entry = read_profile(path, "basic", true);
    REQUIRE_FALSE(entry.ok());
    CHECK(entry.error().message.find("needs both ak and sk") != std::string::npos);
    std::remove(path.c_str());
}

TEST_CASE("the profile file's path: the variable, else ~/.huaweicloud/credentials") {
    {
        ScopedEnv file("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/etc/hc/creds");
        CHECK(default_profile_file() == "/etc/hc/creds");
    }
    ScopedEnv file("HUAWEICLOUD_SDK_CREDENTIALS_FILE", nullptr);
    ScopedEnv home("HOME", "/home/someone");
    CHECK(default_profile_file() == "/home/someone/.huaweicloud/credentials");
}

TEST_CASE("the metadata service's answer: keys, token and a microsecond expiry") {
    auto got = parse_metadata_credentials(
        R"({"credential":{"access":"TMPAK","secret":"tmpsk","securitytoken":"tok",)"
        R"("expires_at":"2026-01-02T03:04:05.678000Z"}})");
    REQUIRE(got.ok());
    CHECK(got.value().keys.access_key == "TMPAK");
    CHECK(got.value().keys.secret_key == "tmpsk");
    CHECK(got.value().keys.security_token == "tok");
    CHECK(got.value().expires_at_ms == 1767323045678);

    for (const char* bad : {"", "[]", R"({"credential":1})",
                            R"({"credential":{"access":"A","secret":"S","expires_at":"x"}})",
                            R"({"credential":{"access":"A","secret":"S","securitytoken":"T",)"
                            R"("expires_at":"soon"}})"}) {
        auto refused = parse_metadata_credentials(bad);
        CHECK_FALSE(refused.ok());
        if (!refused.ok()) {
            CHECK(refused.error().status == Status::Auth);
        }
    }
}

TEST_CASE("the refresh margin: a quarter of the lifetime, at most 5 minutes") {
    CHECK(refresh_margin_ms(0, 4000) == 1000);
    CHECK(refresh_margin_ms(0, 24LL * 3600 * 1000) == 5LL * 60 * 1000);
    CHECK(refresh_margin_ms(5000, 1000) == 0);
}

TEST_CASE("a provider is asked when first needed and again within the margin, not before") {
    FakeClock fake;
    int calls = 0;
    CredentialsSource source(
        [&]() -> Result<TimedCredentials> {
            ++calls;
            return TimedCredentials{{"AK" + std::to_string(calls), "sk", "tok"},
                                    fake.ms.load() + 100'000};
        },
        "the test provider", fake.clock(), no_templates);
    CHECK(calls == 0);
    auto first = source.current();
    REQUIRE(first.ok());
    CHECK(calls == 1);
    fake.ms += 74'000;  // 26 s left of 100: outside the 25 s margin
    REQUIRE(source.current().ok());
    CHECK(calls == 1);
    fake.ms += 2'000;  // 24 s left
    auto second = source.current();
    REQUIRE(second.ok());
    CHECK(calls == 2);
    CHECK(second.value() != first.value());

    // The service said they expired: fetched again at once.
    CHECK(source.expired());
    REQUIRE(source.current().ok());
    CHECK(calls == 3);
}

TEST_CASE("concurrent calls share one fetch") {
    FakeClock fake;
    std::atomic<int> calls{0};
    CredentialsSource source(
        [&]() -> Result<TimedCredentials> {
            ++calls;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            return TimedCredentials{{"AK", "sk", "tok"}, fake.ms.load() + 100'000};
        },
        "the test provider", fake.clock(), no_templates);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] { ok += source.current().ok() ? 1 : 0; });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(ok == 8);
    CHECK(calls == 1);
}

TEST_CASE("a failed refresh keeps credentials that still work, then fails the call") {
    FakeClock fake;
    bool fail = false;
    CredentialsSource source(
        [&]() -> Result<TimedCredentials> {
            if (fail) {
                return make_error(Status::Transport, "vault unreachable");
            }
            return TimedCredentials{{"AK", "sk", "tok"}, fake.ms.load() + 100'000};
        },
        "the test provider", fake.clock(), no_templates);
    REQUIRE(source.current().ok());
    fail = true;
    fake.ms += 80'000;  // within the margin, not expired
    CHECK(source.current().ok());
    fake.ms += 20'000;  // expired
    auto after = source.current();
    REQUIRE_FALSE(after.ok());
    CHECK(after.error().status == Status::Auth);
    CHECK(after.error().sent == Sent::No);
    CHECK(after.error().message == "the test provider failed: vault unreachable");
}

TEST_CASE("a provider's unusable or already expired credentials are refused") {
    FakeClock fake;
    TimedCredentials give{{"AK", "", ""}, 0};
    CredentialsSource source([&]() -> Result<TimedCredentials> { return give; }, "p", fake.clock(),
                             no_templates);
    auto empty_secret = source.current();
    REQUIRE_FALSE(empty_secret.ok());
    CHECK(empty_secret.error().message.find("p gave unusable credentials") == 0);
    give = TimedCredentials{{"AK", "sk", "tok"}, fake.ms.load() - 1};
    auto stale = source.current();
    REQUIRE_FALSE(stale.ok());
    CHECK(stale.error().message.find("expired") != std::string::npos);
}

TEST_CASE("the chain: keys first, then the profile (which may give the project), then metadata") {
    std::string path = write_file("chain", "[basic]\nak = PAK\nsk = psk\nproject_id = pp\n");
    ClientConfig with_keys;
    with_keys.credentials = {"KEY", "secret", ""};
    with_keys.credentials_chain.use_profile = true;
    with_keys.credentials_chain.profile_file = path;
    REQUIRE_FALSE(resolve_credentials(with_keys).has_value());
    CHECK(with_keys.credentials.access_key == "KEY");

    ClientConfig from_profile;
    from_profile.credentials_chain.use_profile = true;
    from_profile.credentials_chain.profile_file = path;
    from_profile.credentials_chain.use_metadata = true;
    REQUIRE_FALSE(resolve_credentials(from_profile).has_value());
    CHECK(from_profile.credentials.access_key == "PAK");
    CHECK(from_profile.project_id == "pp");
    CHECK_FALSE(from_profile.credentials_chain.provider);
    std::remove(path.c_str());

    ClientConfig from_metadata;
    from_metadata.credentials_chain.use_metadata = true;
    from_metadata.credentials_chain.metadata_endpoint = "http://127.0.0.1:9";
    REQUIRE_FALSE(resolve_credentials(from_metadata).has_value());
    CHECK(from_metadata.credentials_chain.provider);
    CHECK(from_metadata.credentials_chain.provider_name ==
          "the metadata service at http://127.0.0.1:9");
}
