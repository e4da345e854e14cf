// smtp/tls.cpp — TLS contexts (RFC 3207 STARTTLS; TLS >= 1.2).
#include "smtp/tls.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <openssl/ssl.h>

namespace arcrelay::smtp {

namespace ssl = boost::asio::ssl;

namespace {

std::shared_ptr<ssl::context> base_context(ssl::context::method method) {
    auto ctx = std::make_shared<ssl::context>(method);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_compression);
    if (SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION) != 1)
        throw std::runtime_error("cannot restrict TLS to version 1.2 or newer");
    return ctx;
}

} // namespace

std::shared_ptr<ssl::context> make_server_tls_context(const std::string& cert_chain,
                                                      const std::string& private_key) {
    auto ctx = base_context(ssl::context::tls_server);
    boost::system::error_code ec;
    ctx->use_certificate_chain_file(cert_chain, ec);
    if (ec)
        throw std::runtime_error(fmt::format("TLS certificate {}: {}", cert_chain, ec.message()));
    ctx->use_private_key_file(private_key, ssl::context::pem, ec);
    if (ec) throw std::runtime_error(fmt::format("TLS key {}: {}", private_key, ec.message()));
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
        throw std::runtime_error(
            fmt::format("TLS key {} does not match certificate {}", private_key, cert_chain));
    return ctx;
}

std::shared_ptr<ssl::context> make_client_tls_context(bool verify_peer) {
    auto ctx = base_context(ssl::context::tls_client);
    if (verify_peer) {
        ctx->set_default_verify_paths();
        ctx->set_verify_mode(ssl::verify_peer);
    } else {
        ctx->set_verify_mode(ssl::verify_none);
    }
    return ctx;
}

} // namespace arcrelay::smtp
