// relay/metrics_server.hpp — serves metrics::render() as "GET /metrics" over HTTP/1.1
// (Boost.Beast) on the [metrics] address (loopback by default). One request per connection,
// bounded reads; anything else is 404 or 405.
#pragma once

#include "relay/metrics.hpp"

#include <memory>

#include <utility> // before Asio: Boost 1.74 awaitable.hpp lacks it

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace arcrelay::relay {

class metrics_server : public std::enable_shared_from_this<metrics_server> {
public:
    // Binds; throws boost::system::system_error when the endpoint cannot be bound.
    metrics_server(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint,
                   const metrics& stats);
    void start();
    void stop(); // thread-safe
    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

private:
    boost::asio::ip::tcp::acceptor acceptor_;
    const metrics& stats_;
};

} // namespace arcrelay::relay
