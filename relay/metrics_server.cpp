// relay/metrics_server.cpp — see metrics_server.hpp.
#include "relay/metrics_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>

namespace arcrelay::relay {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr std::size_t max_request_bytes = 8 * 1024;
constexpr auto request_timeout = std::chrono::seconds(10);

asio::awaitable<void> serve_one(asio::ip::tcp::socket socket, const metrics& stats) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer(max_request_bytes);
    http::request_parser<http::empty_body> parser;
    parser.header_limit(max_request_bytes);
    stream.expires_after(request_timeout);
    boost::system::error_code ec;
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    const auto& req = parser.get();
    http::response<http::string_body> res;
    res.version(req.version());
    res.keep_alive(false);
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
        res.result(http::status::method_not_allowed);
        res.set(http::field::allow, "GET, HEAD");
    } else if (req.target() != "/metrics") {
        res.result(http::status::not_found);
        res.body() = "not found\n";
    } else {
        res.result(http::status::ok);
        res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        if (req.method() == http::verb::get) res.body() = stats.render();
    }
    res.prepare_payload();
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
}

} // namespace

metrics_server::metrics_server(asio::io_context& ioc, asio::ip::tcp::endpoint endpoint,
                               const metrics& stats)
    : acceptor_(asio::make_strand(ioc), endpoint), stats_(stats) {}

void metrics_server::start() {
    asio::co_spawn(
        acceptor_.get_executor(),
        [self = shared_from_this()]() -> asio::awaitable<void> {
            for (;;) {
                boost::system::error_code ec;
                auto socket = co_await self->acceptor_.async_accept(
                    asio::redirect_error(asio::use_awaitable, ec));
                if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) co_return;
                if (ec) continue;
                asio::co_spawn(self->acceptor_.get_executor(),
                               serve_one(std::move(socket), self->stats_), asio::detached);
            }
        },
        asio::detached);
}

void metrics_server::stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()]() {
        boost::system::error_code ec;
        self->acceptor_.close(ec);
    });
}

} // namespace arcrelay::relay
