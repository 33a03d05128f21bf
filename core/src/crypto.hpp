// SHA-256 and HMAC-SHA256 as the request signer needs them, rendered as lower-case hex.
//
// Built on OpenSSL's SHA-256 compression (SHA256_Init/Update/Final) rather than its EVP
// layer: see crypto.cpp for why. HmacSha256Key computes the key's HMAC schedule (the
// digest states after the inner and outer pad blocks) once; every signature starts from a
// copy of those states, so an HMAC costs only the blocks of its message.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace dcs::core {

// Hex digits of a SHA-256 digest (and of an HMAC-SHA256).
constexpr size_t kSha256HexLength = 64;

// Writes the 2 * `length` lower-case hex digits of `bytes` to `out`.
void to_lower_hex(const unsigned char* bytes, size_t length, char* out);

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// SHA-256 of `data` as kSha256HexLength hex digits written to `out`.
void sha256_hex(std::string_view data, char* out);

// Lower-case hex HMAC-SHA256 of `data` under `key`. Convenience for one-off use.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// One HMAC key with its schedule computed. Immutable once built, so any number of threads
// may use it at once; the secret is kept only as the two pad states, never as text.
class HmacSha256Key {
   public:
    explicit HmacSha256Key(std::string_view key);
    ~HmacSha256Key();
    HmacSha256Key(const HmacSha256Key&) = delete;
    HmacSha256Key& operator=(const HmacSha256Key&) = delete;

    // HMAC-SHA256 of `data` under the key, as kSha256HexLength hex digits written to `out`.
    void hmac_hex(std::string_view data, char* out) const;

   private:
    // The SHA-256 states after the blocks key ^ ipad and key ^ opad (crypto.cpp), behind a
    // pointer so that OpenSSL's headers stay out of this one.
    struct PadStates;
    std::unique_ptr<PadStates> pads_;
};

}  // namespace dcs::core
