// smtp/tls.hpp — OpenSSL contexts for STARTTLS (RFC 3207) through asio::ssl, TLS 1.2 or
// newer only (RFC 8996 deprecates 1.0/1.1).
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace arcrelay::smtp {

// Server context with the PEM certificate chain and private key at the given paths.
// Throws std::runtime_error naming the file on a start-up configuration error.
std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const std::string& cert_chain,
                                                                   const std::string& private_key);

// Client context for STARTTLS towards a next hop. `verify_peer`: check the certificate
// against the system trust store (off for loopback next hops with self-signed certs).
std::shared_ptr<boost::asio::ssl::context> make_client_tls_context(bool verify_peer);

} // namespace arcrelay::smtp
