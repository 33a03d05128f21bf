// SHA-256 and HMAC-SHA256 digests rendered as lower-case hex, as the request signer needs them.
#pragma once

#include <string>
#include <string_view>

namespace dcs::core {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// Lower-case hex HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace dcs::core
