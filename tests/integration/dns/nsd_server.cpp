// tests/integration/dns/nsd_server.cpp — start, probe and stop an NSD for the tests.
#include "nsd_server.hpp"

#include "dns/network_resolver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace arcrelay::dns::testing {
namespace {

constexpr auto startup_limit = std::chrono::seconds(10);
constexpr auto stop_limit = std::chrono::seconds(5);

// Binds a socket of `type` on 127.0.0.1:port (0: any); returns the fd and the bound port.
std::pair<int, std::uint16_t> bind_loopback(int type, std::uint16_t port) {
    const int fd = ::socket(AF_INET, type, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        if (fd >= 0) ::close(fd);
        return {-1, 0};
    }
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    return {fd, ntohs(address.sin_port)};
}

std::string nsd_binary() {
    for (const char* path : {"/usr/sbin/nsd", "/usr/local/sbin/nsd"}) {
        if (::access(path, X_OK) == 0) return path;
    }
    throw std::runtime_error(
        "nsd not found: install the Debian package nsd (scripts/deps/dns.txt)");
}

} // namespace

std::uint16_t free_port() {
    for (int tries = 0; tries < 20; ++tries) {
        const auto [udp, port] = bind_loopback(SOCK_DGRAM, 0);
        if (udp < 0) continue;
        const auto [tcp, same] = bind_loopback(SOCK_STREAM, port);
        ::close(udp);
        if (tcp >= 0) {
            ::close(tcp);
            if (port >= 1024) return port;
        }
    }
    throw std::runtime_error("no free loopback port");
}

nsd_server::nsd_server(const std::vector<std::pair<std::string, std::string>>& zones) {
    const std::string binary = nsd_binary();
    std::string pattern = (std::filesystem::temp_directory_path() / "arcrelay-nsd-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    directory_ = pattern;
    port_ = free_port();

    std::ofstream conf(directory_ + "/nsd.conf");
    conf << "server:\n"
         << "    ip-address: 127.0.0.1@" << port_ << "\n"
         << "    do-ip6: no\n"
         << "    username: \"\"\n"
         << "    chroot: \"\"\n"
         << "    zonesdir: \"" << directory_ << "\"\n"
         << "    database: \"\"\n"
         << "    pidfile: \"" << directory_ << "/nsd.pid\"\n"
         << "    xfrdfile: \"" << directory_ << "/xfrd.state\"\n"
         << "    zonelistfile: \"" << directory_ << "/zone.list\"\n"
         << "    logfile: \"" << directory_ << "/nsd.log\"\n"
         << "    server-count: 1\n"
         << "    verbosity: 1\n"
         << "remote-control:\n"
         << "    control-enable: no\n";
    for (const auto& [origin, text] : zones) {
        const std::string file = directory_ + "/" + origin + ".zone";
        std::ofstream(file) << text;
        conf << "zone:\n    name: \"" << origin << "\"\n    zonefile: \"" << file << "\"\n";
    }
    conf.close();

    const std::string conf_path = directory_ + "/nsd.conf";
    // NSD forks server and xfrd processes; as their subreaper this process can wait for them.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        ::execl(binary.c_str(), binary.c_str(), "-d", "-c", conf_path.c_str(),
                static_cast<char*>(nullptr));
        ::_exit(127);
    }

    // Ready when it answers: ask for the SOA-holding zone's first name until it does.
    network_resolver_options options;
    options.servers = {address()};
    options.timeout = std::chrono::milliseconds(200);
    options.attempts = 1;
    auto probe = network_resolver::create(options);
    const auto deadline = std::chrono::steady_clock::now() + startup_limit;
    const question q{zones.front().first, rr_type::txt};
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            const std::string text = log();
            std::filesystem::remove_all(directory_);
            throw std::runtime_error("nsd exited at start-up: " + text);
        }
        if (probe.ok() && (*probe)->resolve_one(q).result != outcome::temp_failure) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const std::string text = log();
    stop();
    throw std::runtime_error("nsd did not answer within the start-up limit: " + text);
}

nsd_server::~nsd_server() {
    stop();
}

void nsd_server::stop() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + stop_limit;
        int status = 0;
        while (::waitpid(pid_, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        pid_ = -1;
        // Reap NSD's own children, which it leaves behind as they exit.
        while (::waitpid(-1, &status, WNOHANG) >= 0 &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    if (!directory_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(directory_, ignored);
        directory_.clear();
    }
}

std::string nsd_server::log() const {
    std::ifstream in(directory_ + "/nsd.log");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace arcrelay::dns::testing
