// relay/key_files.cpp — see key_files.hpp.
#include "relay/key_files.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace arcrelay::relay {

status write_new_private_file(const std::string& path, std::string_view content) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return permanent_error(fmt::format("cannot create {}: {}", path, std::strerror(errno)));
    bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    ok = ::fsync(fd) == 0 && ok;
    ok = ::close(fd) == 0 && ok;
    if (!ok) {
        ::unlink(path.c_str());
        return permanent_error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    }
    return ok_v;
}

result<auth::dkim::private_key> generate_key_file(auth::dkim::key_type type,
                                                  const std::string& path) {
    auto key = auth::dkim::generate_private_key(type, 2048);
    if (!key) return key.error();
    if (auto written = write_new_private_file(path, key->to_pem()); !written)
        return written.error();
    return key;
}

status make_private_directory(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return ok_v;
    // Parents first, so that every directory created here gets 0700 (not the umask's mode).
    std::vector<fs::path> missing;
    for (fs::path p = fs::absolute(dir, ec); !p.empty() && !fs::exists(p, ec); p = p.parent_path())
        missing.push_back(p);
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST)
            return permanent_error(
                fmt::format("cannot create {}: {}", it->string(), std::strerror(errno)));
        ::chmod(it->c_str(), 0700); // mkdir's mode is masked by the umask
    }
    if (!fs::is_directory(dir, ec))
        return permanent_error(fmt::format("cannot create {}: not a directory", dir));
    return ok_v;
}

result<auth::dkim::private_key> read_key_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return permanent_error(fmt::format("cannot read key file {}", path));
    std::stringstream ss;
    ss << in.rdbuf();
    auto key = auth::dkim::load_private_key(ss.str());
    if (!key) return permanent_error(fmt::format("{}: {}", path, key.error().message));
    return key;
}

std::string dns_txt_value(const auth::dkim::private_key& key) {
    return fmt::format("v=DKIM1; k={}; p={}", auth::dkim::key_type_name(key.type()),
                       key.public_key_base64());
}

std::string dns_txt_record(const std::string& domain, const std::string& selector,
                           const auth::dkim::private_key& key) {
    const std::string value = dns_txt_value(key);
    std::string strings;
    for (std::size_t i = 0; i < value.size(); i += 255)
        strings += fmt::format("{}\"{}\"", i ? " " : "", value.substr(i, 255));
    return fmt::format("{}._domainkey.{}. IN TXT ( {} )", selector, domain, strings);
}

} // namespace arcrelay::relay
