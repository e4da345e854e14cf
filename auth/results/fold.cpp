// auth/results/fold.cpp — greedy folding at whitespace runs (RFC 5322 2.2.3).
#include "auth/results/fold.hpp"

#include "auth/results/authentication_results.hpp"

namespace arcrelay::auth::results::detail {

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

} // namespace

std::size_t append_folded(std::string& out, std::string_view line, std::size_t column) {
    // Segments: a whitespace run and the word after it (the first may have no run). A fold goes
    // before a segment's run, so each output line keeps at least one word.
    std::size_t i = 0;
    bool line_has_word = column > 0; // what is left of `column` stays on line one
    while (i < line.size()) {
        std::size_t end = i;
        while (end < line.size() && is_blank(line[end]))
            ++end;
        bool has_run = end > i;
        bool has_word = end < line.size();
        while (end < line.size() && !is_blank(line[end]))
            ++end;
        std::size_t length = end - i;
        // After a backslash the WSP may be a quoted-pair's, which a line break would split.
        bool escaped = i > 0 && line[i - 1] == '\\';
        if (has_run && has_word && !escaped && line_has_word && column + length > max_line_length) {
            out.append("\r\n");
            column = 0;
        }
        out.append(line.substr(i, length));
        column += length;
        line_has_word = line_has_word || has_word;
        i = end;
    }
    return column;
}

} // namespace arcrelay::auth::results::detail
