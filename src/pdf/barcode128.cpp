#include "pdf/barcode128.hpp"

#include <array>
#include <cstddef>
#include <memory>

#include "common/xml_text.hpp"
#include "pdf/raster_png.hpp"

namespace pratu::pdf {

namespace {

// ISO/IEC 15417 asks for 10 light modules each side; scanners miss the start without them.
constexpr int kQuietZoneModules = 10;
constexpr int kMaxModulePixels = 100;
constexpr int kMaxHeightPixels = 1000;

constexpr int kShift = 98;  // in sets A and B: the next symbol is read in the other one
constexpr int kStop = 106;
constexpr int kCheckModulus = 103;

// The code sets, as indexes into the tables below.
enum CodeSet : std::size_t { kSetA, kSetB, kSetC };
constexpr std::array<int, 3> kStartOf = {103, 104, 105};
// "Code A" is 101 in sets B and C, "Code B" 100 in A and C, "Code C" 99 in A and B.
constexpr std::array<int, 3> kSwitchTo = {101, 100, 99};

// Widths in modules of each symbol's bars and spaces, bar first (ISO/IEC 15417 table 1); the
// stop has a seventh element, its final bar.
constexpr std::array<std::string_view, 107> kWidths = {
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112"};

// Set A holds ASCII 0-95 (controls as 64-95), set B ASCII 32-127.
bool in_set_a(unsigned char c) { return c < 96; }
bool in_set_b(unsigned char c) { return c >= 32 && c < 128; }
int value_in_a(unsigned char c) { return c < 32 ? c + 64 : c - 32; }
int value_in_b(unsigned char c) { return c - 32; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// What encoding the rest of a text costs: symbols first, then changes of code set.
struct Cost {
  int symbols = 0;
  int changes = 0;
  friend bool operator<(const Cost& a, const Cost& b) {
    return a.symbols != b.symbols ? a.symbols < b.symbols : a.changes < b.changes;
  }
  Cost plus(int more_symbols, int more_changes) const {
    return {symbols + more_symbols, changes + more_changes};
  }
};
constexpr Cost kImpossible{1 << 29, 0};

// The cheapest way to encode `text` from each position in each code set, computed from the end
// back: at each position the encoder may stay in its set or switch, then encodes in that set.
class CodeSetPlan {
 public:
  explicit CodeSetPlan(std::string_view text)
      : text_(text), from_(text.size() + 1), encoding_(text.size() + 1), set_at_(text.size() + 1) {
    for (std::size_t i = text.size(); i-- > 0;) {
      for (auto set : {kSetA, kSetB, kSetC}) encoding_[i][set] = encoding_cost(i, set);
      for (auto set : {kSetA, kSetB, kSetC}) {
        // Staying wins a tie; then B, the set of printable text, then C, then A.
        Cost best = encoding_[i][set];
        CodeSet chosen = set;
        for (auto other : {kSetB, kSetC, kSetA}) {
          const Cost switched = encoding_[i][other].plus(1, 1);
          if (other != set && switched < best) {
            best = switched;
            chosen = other;
          }
        }
        from_[i][set] = best;
        set_at_[i][set] = chosen;
      }
    }
  }

  /// The set to start in; C wins a tie, so a text of digits starts in C.
  CodeSet start() const {
    CodeSet chosen = kSetC;
    for (auto set : {kSetB, kSetA}) {
      if (encoding_[0][set] < encoding_[0][chosen]) chosen = set;
    }
    return chosen;
  }

  /// The set to encode the character at `i` in when the encoder is in `current`.
  CodeSet set_at(std::size_t i, CodeSet current) const { return set_at_[i][current]; }

 private:
  // Encoding the character at `i` (two digits in set C) in `set`, then the rest at best.
  Cost encoding_cost(std::size_t i, CodeSet set) const {
    const auto c = static_cast<unsigned char>(text_[i]);
    switch (set) {
      case kSetA: return from_[i + 1][kSetA].plus(in_set_a(c) ? 1 : 2, in_set_a(c) ? 0 : 1);
      case kSetB: return from_[i + 1][kSetB].plus(in_set_b(c) ? 1 : 2, in_set_b(c) ? 0 : 1);
      case kSetC:
        if (i + 1 < text_.size() && is_digit(text_[i]) && is_digit(text_[i + 1]))
          return from_[i + 2][kSetC].plus(1, 0);
        return kImpossible;
    }
    return kImpossible;
  }

  std::string_view text_;
  std::vector<std::array<Cost, 3>> from_;      // may switch set before the character at i
  std::vector<std::array<Cost, 3>> encoding_;  // encodes the character at i in the set
  std::vector<std::array<CodeSet, 3>> set_at_;
};

// A bar: where it starts and how wide it is, in modules from the left edge of the quiet zone.
struct Bar {
  int x = 0;
  int width = 0;
};

// The bars of `symbols`, and the width of the whole barcode with its quiet zones.
struct Bars {
  std::vector<Bar> bars;
  int modules = 0;
};

Bars bars_of(const std::vector<int>& symbols) {
  Bars out;
  int x = kQuietZoneModules;
  for (int symbol : symbols) {
    bool bar = true;
    for (char width : kWidths[static_cast<std::size_t>(symbol)]) {
      if (bar) out.bars.push_back({x, width - '0'});
      x += width - '0';
      bar = !bar;
    }
  }
  out.modules = x + kQuietZoneModules;
  return out;
}

Result<Bars> checked_bars(std::string_view text, int module_pixels, int height_pixels) {
  if (module_pixels < 1 || module_pixels > kMaxModulePixels)
    return Error::internal("a barcode's module size is out of range");
  if (height_pixels < 1 || height_pixels > kMaxHeightPixels)
    return Error::internal("a barcode's height is out of range");
  PRATU_TRY(symbols, code128_symbols(text));
  return bars_of(symbols);
}

}  // namespace

Result<std::vector<int>> code128_symbols(std::string_view text) {
  if (text.empty()) return Error::internal("a barcode's text is empty");
  for (char c : text) {
    if (static_cast<unsigned char>(c) > 127)
      return Error::internal("a barcode's text holds a byte above 127");
  }
  const CodeSetPlan plan(text);
  CodeSet set = plan.start();
  std::vector<int> symbols{kStartOf[set]};
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (set == kSetC) {
      symbols.push_back((text[i] - '0') * 10 + (text[i + 1] - '0'));
      i += 2;
    } else if (set == kSetA) {
      if (in_set_a(c)) {
        symbols.push_back(value_in_a(c));
      } else {
        symbols.insert(symbols.end(), {kShift, value_in_b(c)});
      }
      ++i;
    } else {
      if (in_set_b(c)) {
        symbols.push_back(value_in_b(c));
      } else {
        symbols.insert(symbols.end(), {kShift, value_in_a(c)});
      }
      ++i;
    }
    if (i == text.size()) break;
    const CodeSet next = plan.set_at(i, set);
    if (next != set) symbols.push_back(kSwitchTo[next]);
    set = next;
  }
  symbols.push_back(code128_check_value(symbols));
  symbols.push_back(kStop);
  return symbols;
}

int code128_check_value(std::span<const int> symbols) {
  if (symbols.empty()) return 0;
  // The start symbol and the first data symbol both weigh 1.
  int sum = symbols[0] % kCheckModulus;
  for (std::size_t i = 1; i < symbols.size(); ++i)
    sum = (sum + static_cast<int>(i % kCheckModulus) * symbols[i]) % kCheckModulus;
  return sum;
}

Result<std::string> code128_svg(std::string_view text, std::string_view aria_label,
                                int module_pixels, int height_pixels) {
  PRATU_TRY(bars, checked_bars(text, module_pixels, height_pixels));
  const auto width = std::to_string(bars.modules * module_pixels);
  const auto height = std::to_string(height_pixels);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" +
                    height + "\" viewBox=\"0 0 " + width + " " + height +
                    "\" role=\"img\" aria-label=\"" + xml_escaped(aria_label) +
                    "\"><rect width=\"" + width + "\" height=\"" + height +
                    "\" fill=\"#fff\"/><g fill=\"#000\" shape-rendering=\"crispEdges\">";
  for (const Bar& bar : bars.bars) {
    svg += "<rect x=\"" + std::to_string(bar.x * module_pixels) + "\" width=\"" +
           std::to_string(bar.width * module_pixels) + "\" height=\"" + height + "\"/>";
  }
  return svg + "</g></svg>";
}

Result<std::string> code128_png(std::string_view text, int module_pixels, int height_pixels) {
  PRATU_TRY(bars, checked_bars(text, module_pixels, height_pixels));
  // Whole pixels per module: every bar has sharp edges.
  std::vector<PixelRect> dark;
  for (const Bar& bar : bars.bars) {
    dark.push_back({bar.x * module_pixels, 0, bar.width * module_pixels, height_pixels});
  }
  return black_on_white_png(bars.modules * module_pixels, height_pixels, dark, "barcode image");
}

}  // namespace pratu::pdf
