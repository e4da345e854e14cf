// auth/dkim/field_writer.cpp — see field_writer.hpp.
#include "auth/dkim/field_writer.hpp"

namespace arcrelay::auth::dkim {

namespace {
constexpr std::size_t line_limit = 78;
} // namespace

mail::header_field format_tag_field(std::string_view name, const tag_values& tags) {
    std::string out(name);
    out += ':';
    std::size_t col = out.size();
    auto newline = [&] {
        out += "\r\n\t";
        col = 1;
    };
    for (std::size_t i = 0; i < tags.size(); ++i) {
        const auto& [tag, value] = tags[i];
        bool last = i + 1 == tags.size();
        std::string spec = tag + "=" + value + (last ? "" : ";");
        if (tag == "b") {
            newline();
        } else if (col + 1 + spec.size() <= line_limit) {
            out += ' ';
            ++col;
        } else {
            newline();
        }
        if (col + spec.size() <= line_limit) {
            out += spec;
            col += spec.size();
            continue;
        }
        // A long value: break it. h= lists break after ':', base64 anywhere.
        out += tag;
        out += '=';
        col += tag.size() + 1;
        std::string_view rest = value;
        while (!rest.empty()) {
            std::size_t room = col < line_limit ? line_limit - col : 0;
            if (room == 0) {
                out += "\r\n\t ";
                col = 2;
                continue;
            }
            std::size_t take = std::min(room, rest.size());
            if (tag == "h" && take < rest.size()) {
                auto colon = rest.substr(0, take).rfind(':');
                if (colon != std::string_view::npos) take = colon + 1;
            }
            out.append(rest.substr(0, take));
            col += take;
            rest.remove_prefix(take);
            if (!rest.empty()) {
                out += "\r\n\t ";
                col = 2;
            }
        }
        if (!last) {
            out += ';';
            ++col;
        }
    }
    out += "\r\n";
    return mail::header_field(std::move(out));
}

} // namespace arcrelay::auth::dkim
