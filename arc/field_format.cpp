// arc/field_format.cpp — ARC tag-list fields, optionally folded under 78 columns.
#include "arc/field_format.hpp"

namespace arcrelay::arc {

namespace {

class line_writer {
public:
    explicit line_writer(std::string_view name) : out_(name) {
        out_ += ':';
        column_ = out_.size();
    }
    void newline() {
        out_ += "\r\n";
        column_ = 0;
    }
    // Writes `text` after a single space, breaking the line first when it would not fit.
    void word(std::string_view text) {
        if (column_ + 1 + text.size() > fold_column && column_ > 1) newline();
        put(" ");
        put(text);
    }
    // Writes `text` after a space, splitting it across lines at fold_column (base64 values,
    // where verifiers ignore the folding whitespace: RFC 6376 §3.5 b=, bh=).
    void split(std::string_view text) {
        if (column_ + 2 > fold_column) newline();
        put(" ");
        while (!text.empty()) {
            auto room = column_ < fold_column ? fold_column - column_ : 0;
            if (room == 0) {
                newline();
                put(" ");
                continue;
            }
            auto n = std::min(room, text.size());
            put(text.substr(0, n));
            text.remove_prefix(n);
        }
    }
    std::string finish() {
        out_ += "\r\n";
        return std::move(out_);
    }

private:
    void put(std::string_view s) {
        out_ += s;
        column_ += s.size();
    }
    std::string out_;
    std::size_t column_ = 0;
};

bool is_base64_tag(std::string_view tag) {
    return tag == "b" || tag == "bh";
}

} // namespace

mail::header_field format_arc_field(std::string_view name, const tag_values& tags, bool fold) {
    if (!fold) {
        std::string value;
        for (const auto& [tag, v] : tags) {
            if (!value.empty()) value += "; ";
            value += tag + "=" + v;
        }
        return mail::header_field::make(name, value);
    }
    line_writer w(name);
    for (std::size_t k = 0; k < tags.size(); ++k) {
        const auto& [tag, v] = tags[k];
        std::string spec = tag + "=" + v + (k + 1 < tags.size() ? ";" : "");
        if (tag == "b") {
            // b= starts and ends its own lines: the rest of the layout does not depend on it.
            w.newline();
            w.split(spec);
            if (k + 1 < tags.size()) w.newline();
        } else if (is_base64_tag(tag) && spec.size() + 1 > fold_column) {
            w.split(spec);
        } else {
            w.word(spec);
        }
    }
    return mail::header_field(w.finish());
}

} // namespace arcrelay::arc
