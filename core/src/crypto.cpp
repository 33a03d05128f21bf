#include "crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <new>

namespace dcs::core {
namespace {

std::string to_lower_hex(const unsigned char* bytes, size_t length) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (size_t i = 0; i < length; ++i) {
        hex.push_back(kDigits[bytes[i] >> 4]);
        hex.push_back(kDigits[bytes[i] & 0x0F]);
    }
    return hex;
}

// With the built-in default provider, OpenSSL's one-shot digests only fail when an allocation
// fails. The core's contract lets std::bad_alloc (and nothing else) escape, and the C layer
// maps it to DCS_NOMEM, so that is what a failure becomes.
[[noreturn]] void fail_out_of_memory() { throw std::bad_alloc(); }

}  // namespace

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
        fail_out_of_memory();
    }
    return to_lower_hex(digest, length);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // HMAC() reads `key_len` bytes; a null pointer with length 0 is not accepted by every
    // OpenSSL build, so give it a valid address even for an empty key.
    static const unsigned char kEmpty = 0;
    const void* key_bytes = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
    const auto* data_bytes = reinterpret_cast<const unsigned char*>(data.data());
    if (HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()), data_bytes, data.size(), mac,
             &length) == nullptr) {
        fail_out_of_memory();
    }
    return to_lower_hex(mac, length);
}

}  // namespace dcs::core
