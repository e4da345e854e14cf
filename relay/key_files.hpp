// relay/key_files.hpp — private key files for sealing and signing: generate (mode 0600, never
// overwriting) and publish (the DNS TXT record, RFC 6376 §3.6.1 / RFC 8463 §4).
#pragma once

#include "auth/dkim/crypto.hpp"
#include "base/result.hpp"

#include <string>
#include <string_view>

namespace arcrelay::relay {

// Creates `path` with mode 0600 (never overwriting) and writes `content`; removes it again if
// the write fails. Errors name the file.
status write_new_private_file(const std::string& path, std::string_view content);

// Generates a key (RSA 2048 bits, or Ed25519) and writes it as PKCS#8 PEM to `path`, created
// with mode 0600. Errors: the file exists, the directory is missing or not writable.
result<auth::dkim::private_key> generate_key_file(auth::dkim::key_type type,
                                                  const std::string& path);

// Creates `dir` and its missing parents with mode 0700 (a directory that exists is left as it
// is). Errors: a path component is not a directory, no permission.
status make_private_directory(const std::string& dir);

// Reads and parses a PEM key file. Errors name the file.
result<auth::dkim::private_key> read_key_file(const std::string& path);

// "v=DKIM1; k=<type>; p=<base64>": the record text as DNS returns it (its strings joined),
// which `arcrelay testkey` compares with the key.
std::string dns_txt_value(const auth::dkim::private_key& key);

// "<selector>._domainkey.<domain>. IN TXT ( "v=DKIM1; k=...; p=..." ... )" with strings of at
// most 255 octets (RFC 1035 §3.3.14 character-strings).
std::string dns_txt_record(const std::string& domain, const std::string& selector,
                           const auth::dkim::private_key& key);

} // namespace arcrelay::relay
