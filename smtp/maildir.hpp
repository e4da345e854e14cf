// smtp/maildir.hpp — the `maildir:PATH` next hop: each message is written to PATH/tmp,
// fsynced, renamed into PATH/new and the directory fsynced (the maildir delivery
// protocol), so a 250 is given only for mail that is on disk.
#pragma once

#include <filesystem>
#include <string>

#include "smtp/envelope.hpp"
#include "smtp/reply.hpp"

namespace arcrelay::smtp {

class maildir {
public:
    explicit maildir(std::filesystem::path root);

    // 250 2.0.0 once the message is in new/; 451 4.3.0 on any I/O error (nothing is
    // left in new/ then). Creates tmp/, new/ and cur/ when missing. Thread-safe.
    reply deliver(const transaction& t) const;

    const std::filesystem::path& root() const { return root_; }

private:
    std::filesystem::path root_;
};

} // namespace arcrelay::smtp
