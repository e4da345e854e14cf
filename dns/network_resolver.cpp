// dns/network_resolver.cpp — UDP/TCP exchanges with recursive servers over Boost.Asio
// coroutines (RFC 1035 4.2, RFC 7766 5, RFC 6891, RFC 5452 9); message rules in message.cpp.
#include "dns/network_resolver.hpp"

#include "dns/message.hpp"
#include "dns/name.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <exception>
#include <fstream>
#include <future>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <thread>
#include <utility>

namespace arcrelay::dns {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using asio::ip::udp;
using boost::system::error_code;

// RFC 1035 4.2.2: a TCP message is at most 65535 octets; no UDP datagram is larger.
constexpr std::size_t max_message_size = 65535;
constexpr std::uint16_t dns_port = 53;

auto with_error(error_code& ec) {
    return asio::redirect_error(asio::use_awaitable, ec);
}

// A socket whose pending operations are aborted (by closing it) when its deadline passes.
template <class Socket>
struct deadline_socket {
    Socket socket;
    asio::steady_timer timer;
    bool expired = false;
    explicit deadline_socket(const asio::any_io_executor& executor)
        : socket(executor), timer(executor) {}
};

template <class Socket>
std::shared_ptr<deadline_socket<Socket>> socket_with_deadline(const asio::any_io_executor& ex,
                                                              std::chrono::milliseconds timeout) {
    auto s = std::make_shared<deadline_socket<Socket>>(ex);
    s->timer.expires_after(timeout);
    s->timer.async_wait([weak = std::weak_ptr(s)](error_code ec) {
        if (auto self = weak.lock(); self && !ec) {
            self->expired = true;
            self->socket.close(ec);
        }
    });
    return s;
}

// "ip", "ip:port", "[ipv6]", "[ipv6]:port" or a bare IPv6 address.
std::optional<udp::endpoint> parse_server(std::string_view text) {
    std::string_view host = text;
    std::optional<std::string_view> port_text;
    if (text.starts_with('[')) {
        const std::size_t close = text.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = text.substr(1, close - 1);
        const std::string_view rest = text.substr(close + 1);
        if (!rest.empty() && !rest.starts_with(':')) return std::nullopt;
        if (!rest.empty()) port_text = rest.substr(1);
    } else if (std::count(text.begin(), text.end(), ':') == 1) {
        host = text.substr(0, text.find(':'));
        port_text = text.substr(text.find(':') + 1);
    }
    std::uint16_t port = dns_port;
    if (port_text) {
        const auto [end, ec] = std::from_chars(port_text->begin(), port_text->end(), port);
        if (ec != std::errc() || end != port_text->end() || port == 0) return std::nullopt;
    }
    error_code ec;
    const auto address = asio::ip::make_address(std::string(host), ec);
    if (ec) return std::nullopt;
    return udp::endpoint(address, port);
}

std::string endpoint_text(const udp::endpoint& e) {
    const std::string address = e.address().to_string();
    return (e.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(e.port());
}

// What one server said to one message.
struct server_reply {
    enum class kind { reply, no_reply, malformed };
    kind result = kind::no_reply;
    detail::pkt_ptr packet;
    std::string reason;
};

server_reply no_reply(std::string reason) {
    return {server_reply::kind::no_reply, nullptr, std::move(reason)};
}
server_reply malformed_reply(std::string reason) {
    return {server_reply::kind::malformed, nullptr, std::move(reason)};
}

} // namespace

struct network_resolver::impl {
    std::vector<udp::endpoint> servers;
    std::chrono::milliseconds timeout;
    unsigned attempts;
    std::uint16_t edns_payload;

    asio::io_context io{1};
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    std::random_device random; // only used on the I/O thread
    std::thread thread;

    std::uint16_t random_id() {
        return static_cast<std::uint16_t>(
            std::uniform_int_distribution<unsigned>(0, 0xffff)(random));
    }

    awaitable<server_reply> ask_udp(const udp::endpoint& server, const detail::query& q);
    awaitable<server_reply> ask_tcp(const udp::endpoint& server, const detail::query& q);
    awaitable<server_reply> ask_server(const udp::endpoint& server, const detail::query& q);
    awaitable<detail::reading> ask_servers(std::string name, rr_type type,
                                           std::size_t aliases_left);
    awaitable<answer> resolve_question(question q);
};

awaitable<server_reply> network_resolver::impl::ask_udp(const udp::endpoint& server,
                                                        const detail::query& q) {
    auto s = socket_with_deadline<udp::socket>(co_await asio::this_coro::executor, timeout);
    error_code ec;
    s->socket.open(server.protocol(), ec);
    // RFC 5452 9.2: port 0 lets the kernel pick a random source port for every message. The
    // connected socket only receives datagrams from the server's address and port (9.1).
    if (!ec) s->socket.bind(udp::endpoint(server.protocol(), 0), ec);
    if (!ec) s->socket.connect(server, ec);
    if (!ec) co_await s->socket.async_send(asio::buffer(q.wire), with_error(ec));

    std::vector<std::uint8_t> buffer(max_message_size);
    while (!ec) {
        const std::size_t size =
            co_await s->socket.async_receive(asio::buffer(buffer), with_error(ec));
        if (ec) break;
        detail::checked_response checked = detail::check_response({buffer.data(), size}, q);
        switch (checked.result) {
        case detail::verdict::answer:
            co_return server_reply{server_reply::kind::reply, std::move(checked.packet), {}};
        case detail::verdict::garbled:
            co_return malformed_reply("unparsable DNS answer");
        case detail::verdict::not_ours:
            break; // RFC 5452 9.1: ignore, keep waiting
        }
    }
    co_return no_reply(s->expired ? "DNS timeout" : "DNS over UDP: " + ec.message());
}

awaitable<server_reply> network_resolver::impl::ask_tcp(const udp::endpoint& server,
                                                        const detail::query& q) {
    auto s = socket_with_deadline<tcp::socket>(co_await asio::this_coro::executor, timeout);
    error_code ec;
    co_await s->socket.async_connect(tcp::endpoint(server.address(), server.port()),
                                     with_error(ec));
    // RFC 1035 4.2.2: each message is preceded by its length in two octets.
    const std::array<std::uint8_t, 2> length{static_cast<std::uint8_t>(q.wire.size() >> 8),
                                             static_cast<std::uint8_t>(q.wire.size() & 0xff)};
    if (!ec) {
        const std::array<asio::const_buffer, 2> message{asio::buffer(length), asio::buffer(q.wire)};
        co_await asio::async_write(s->socket, message, with_error(ec));
    }
    std::array<std::uint8_t, 2> answer_length{};
    if (!ec) co_await asio::async_read(s->socket, asio::buffer(answer_length), with_error(ec));
    std::vector<std::uint8_t> buffer(
        static_cast<std::size_t>(answer_length[0] << 8 | answer_length[1]));
    if (!ec) co_await asio::async_read(s->socket, asio::buffer(buffer), with_error(ec));
    if (ec) co_return no_reply(s->expired ? "DNS timeout" : "DNS over TCP: " + ec.message());

    detail::checked_response checked = detail::check_response(buffer, q);
    if (checked.result != detail::verdict::answer) {
        co_return malformed_reply("DNS answer over TCP does not match the question");
    }
    co_return server_reply{server_reply::kind::reply, std::move(checked.packet), {}};
}

awaitable<server_reply> network_resolver::impl::ask_server(const udp::endpoint& server,
                                                           const detail::query& q) {
    server_reply reply = co_await ask_udp(server, q);
    // RFC 7766 5: a truncated answer is asked again over TCP.
    if (reply.result == server_reply::kind::reply && ldns_pkt_tc(reply.packet.get())) {
        reply = co_await ask_tcp(server, q);
    }
    co_return reply;
}

awaitable<detail::reading> network_resolver::impl::ask_servers(std::string name, rr_type type,
                                                               std::size_t aliases_left) {
    detail::reading r;
    std::optional<detail::query> q = detail::build_query(name, type, 0, edns_payload);
    if (!q) {
        r.result = {outcome::malformed, {}, "not a valid domain name: " + name};
        co_return r;
    }
    std::string failure;
    for (unsigned attempt = 0; attempt < attempts; ++attempt) {
        for (const udp::endpoint& server : servers) {
            detail::set_query_id(*q, random_id()); // RFC 5452 9.2: a new id for each message
            server_reply reply = co_await ask_server(server, *q);
            if (reply.result == server_reply::kind::no_reply) {
                failure = reply.reason + " from " + endpoint_text(server);
                continue;
            }
            if (reply.result == server_reply::kind::malformed) {
                r.result = {
                    outcome::malformed, {}, reply.reason + " from " + endpoint_text(server)};
                co_return r;
            }
            r = detail::read_response(reply.packet.get(), *q, aliases_left);
            if (r.result.result == outcome::temp_failure && !r.next_name) {
                // SERVFAIL, REFUSED, ...: another server may know better.
                failure = r.result.reason + " from " + endpoint_text(server);
                continue;
            }
            co_return r;
        }
    }
    r = {};
    r.result = {outcome::temp_failure, {}, failure + " for " + name};
    co_return r;
}

awaitable<answer> network_resolver::impl::resolve_question(question q) {
    std::string name = canonical_name(q.name);
    std::uint32_t ttl = std::numeric_limits<std::uint32_t>::max();
    std::size_t aliases = 0;
    for (;;) {
        detail::reading r = co_await ask_servers(name, q.type, max_cname_chain - aliases);
        ttl = std::min(ttl, r.result.ttl);
        if (!r.next_name) {
            r.result.ttl = ttl;
            co_return std::move(r.result);
        }
        // The server gave only the alias: ask for its target (the chain stays bounded).
        aliases += r.aliases;
        name = std::move(*r.next_name);
    }
}

network_resolver::network_resolver(std::unique_ptr<impl> i) : impl_(std::move(i)) {
    impl_->thread = std::thread([io = &impl_->io] { io->run(); });
}

network_resolver::~network_resolver() {
    impl_->work.reset();
    impl_->io.stop();
    impl_->thread.join();
}

result<std::unique_ptr<network_resolver>>
network_resolver::create(network_resolver_options options) {
    if (options.attempts == 0) return permanent_error("DNS resolver: attempts must be at least 1");
    if (options.timeout < std::chrono::milliseconds(1)) {
        return permanent_error("DNS resolver: timeout must be at least 1 ms");
    }
    if (options.servers.empty()) {
        std::ifstream in(options.resolv_conf_path);
        if (!in) return permanent_error("DNS resolver: cannot read " + options.resolv_conf_path);
        options.servers = parse_resolv_conf(
            std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
    }
    auto state = std::make_unique<impl>();
    for (const std::string& text : options.servers) {
        const auto server = parse_server(text);
        if (!server) return permanent_error("DNS resolver: not a server address: \"" + text + "\"");
        state->servers.push_back(*server);
    }
    state->timeout = options.timeout;
    state->attempts = options.attempts;
    state->edns_payload = options.edns_payload;
    return std::unique_ptr<network_resolver>(new network_resolver(std::move(state)));
}

std::vector<answer> network_resolver::resolve(std::span<const question> questions) {
    std::vector<std::future<answer>> pending;
    pending.reserve(questions.size());
    for (const question& q : questions) {
        pending.push_back(asio::co_spawn(impl_->io, impl_->resolve_question(q), asio::use_future));
    }
    std::vector<answer> answers;
    answers.reserve(questions.size());
    for (std::future<answer>& f : pending) {
        try {
            answers.push_back(f.get());
        } catch (const std::exception& e) {
            // Out of memory or sockets: a temporary condition, never a crash.
            answers.push_back(
                {outcome::temp_failure, {}, std::string("DNS resolver: ") + e.what()});
        }
    }
    return answers;
}

} // namespace arcrelay::dns
