// tests/fuzz/replay_main.cpp — the main() of a fuzz target built without libFuzzer:
//
//     fuzz_<target> [--mutate SECONDS] DIR...
//
// feeds every regular file below each DIR (a missing directory is skipped) to
// LLVMFuzzerTestOneInput, so CTest replays the seed corpus and the regressions; fails when no
// input at all was found. With --mutate it then keeps feeding random mutations of those inputs
// (bit flips, bytes that parsers care about, insertions, deletions, duplications, splices;
// at most max_mutant bytes) for SECONDS: a short, bounded, uninstrumented fuzz run that CI
// makes under ASan+UBSan on every build. The mutation seed is printed (ARCRELAY_FUZZ_SEED
// sets it) so a finding can be replayed. Coverage-guided runs: scripts/fuzz.sh (libFuzzer).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

constexpr std::size_t max_mutant = 64 * 1024; // as scripts/fuzz.sh's -max_len

void run(const std::string& bytes) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

// One random edit of `s`.
void mutate_once(std::string& s, const std::vector<std::string>& inputs, std::mt19937_64& rng) {
    static constexpr char interesting[] = {
        '\r', '\n', ' ', '\t', ';',  '=', ':', ',', '.',  '"',    '\'',   '[',    ']',
        '{',  '}',  '(', ')',  '\\', '@', '<', '>', '\0', '\x7f', '\x80', '\xc3', '\xff'};
    const auto pick = [&rng](std::size_t n) { return n == 0 ? 0 : rng() % n; };
    const std::size_t at = pick(s.size() + 1);
    switch (rng() % 7) {
    case 0: // flip a bit
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1u << (rng() % 8));
        break;
    case 1: // overwrite with a byte parsers care about
        if (!s.empty()) s[pick(s.size())] = interesting[pick(sizeof interesting)];
        break;
    case 2: // insert such bytes
        s.insert(at, 1 + pick(4), interesting[pick(sizeof interesting)]);
        break;
    case 3: // delete a range
        if (at < s.size()) s.erase(at, 1 + pick(std::min<std::size_t>(s.size() - at, 64)));
        break;
    case 4: { // duplicate a range (repetition: deep nesting, many fields)
        if (at >= s.size()) break;
        const std::string piece = s.substr(at, 1 + pick(std::min<std::size_t>(s.size() - at, 32)));
        for (std::size_t k = 1 + pick(16); k > 0; --k)
            s.insert(at, piece);
        break;
    }
    case 5: { // splice in part of another input
        const auto& other = inputs[pick(inputs.size())];
        if (other.empty()) break;
        const std::size_t from = pick(other.size());
        s.insert(at, other.substr(from, 1 + pick(other.size() - from)));
        break;
    }
    default: // truncate
        s.resize(at);
        break;
    }
    if (s.size() > max_mutant) s.resize(max_mutant);
}

std::size_t mutate_for(double seconds, const std::vector<std::string>& inputs) {
    std::uint64_t seed = std::random_device{}();
    if (const char* env = std::getenv("ARCRELAY_FUZZ_SEED")) seed = std::strtoull(env, nullptr, 10);
    std::printf("mutating for %.0f s, seed %llu (ARCRELAY_FUZZ_SEED)\n", seconds,
                static_cast<unsigned long long>(seed));
    std::fflush(stdout);
    std::mt19937_64 rng(seed);
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    std::size_t runs = 0;
    while (std::chrono::steady_clock::now() < end) {
        std::string s = inputs[rng() % inputs.size()];
        for (auto edits = 1 + rng() % 8; edits > 0; --edits)
            mutate_once(s, inputs, rng);
        run(s);
        ++runs;
    }
    return runs;
}

} // namespace

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    double mutate_seconds = 0;
    int first = 1;
    if (argc > 2 && std::strcmp(argv[1], "--mutate") == 0) {
        mutate_seconds = std::atof(argv[2]);
        first = 3;
    }
    std::vector<std::string> inputs;
    for (int i = first; i < argc; ++i) {
        if (!fs::is_directory(argv[i])) continue;
        for (const auto& entry : fs::recursive_directory_iterator(argv[i])) {
            if (!entry.is_regular_file()) continue;
            std::ifstream in(entry.path(), std::ios::binary);
            inputs.emplace_back(std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>());
            std::printf("%s\n", entry.path().c_str());
            std::fflush(stdout);
            run(inputs.back());
        }
    }
    std::printf("%zu inputs replayed\n", inputs.size());
    if (inputs.empty()) return 1; // an empty corpus means a broken checkout or path
    if (mutate_seconds > 0)
        std::printf("%zu mutated inputs run\n", mutate_for(mutate_seconds, inputs));
    return 0;
}
