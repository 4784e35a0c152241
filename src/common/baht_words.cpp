#include "common/baht_words.hpp"

#include <array>
#include <cstddef>
#include <string_view>

namespace pratu {

namespace {

constexpr std::uint64_t kSatangPerBaht = 100;

constexpr std::array<std::string_view, 10> kThaiDigits = {"ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่",
                                                          "ห้า",  "หก",  "เจ็ด", "แปด", "เก้า"};
// The place words inside a group of six digits; ล้าน closes each group but the last.
constexpr std::array<std::string_view, 6> kThaiPlaces = {"", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน"};

constexpr std::array<std::string_view, 20> kEnglishSmall = {
    "zero",     "one",     "two",     "three",     "four",     "five",    "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 10> kEnglishTens = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
// Enough for any uint64: its largest, 18,446,744,073,709,551,615, is in the quintillions.
constexpr std::array<std::string_view, 7> kEnglishScales = {
    "", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"};

// |satang| without overflow: INT64_MIN's magnitude fits in uint64, not in int64.
std::uint64_t magnitude(std::int64_t satang) {
  const auto bits = static_cast<std::uint64_t>(satang);
  return satang < 0 ? std::uint64_t{0} - bits : bits;
}

// `n` (> 0) in Thai words, without a unit, by bahttext's rules (payments.md §5.1, §5.2).
std::string thai_number(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const auto d = static_cast<std::size_t>(digits[i] - '0');
    const std::size_t place = digits.size() - 1 - i;  // 0 for the last digit
    const std::size_t in_group = place % 6;
    if (d == 0) {
      // A zero has no word; its place shows in the words around it.
    } else if (in_group == 1) {
      // 10 is สิบ, not หนึ่งสิบ; 20–29 start ยี่สิบ.
      if (d == 2) {
        out += "ยี่";
      } else if (d != 1) {
        out += kThaiDigits[d];
      }
      out += kThaiPlaces[1];
    } else if (in_group == 0 && d == 1 && i > 0 && !(place == 0 && digits[i - 1] == '0')) {
      // A units 1 after other digits is เอ็ด, except after a zero at the very end:
      // 101 is หนึ่งร้อยหนึ่ง, yet 101,000,000 is หนึ่งร้อยเอ็ดล้าน (§5.2, §5.3).
      out += "เอ็ด";
    } else {
      out += kThaiDigits[d];
      out += kThaiPlaces[in_group];
    }
    // ล้าน closes each group of six, even an all-zero one: 10¹² is หนึ่งล้านล้าน.
    if (in_group == 0 && place > 0) out += "ล้าน";
  }
  return out;
}

// Appends `word` to `out`, a space between words.
void append_word(std::string& out, std::string_view word) {
  if (!out.empty()) out += ' ';
  out += word;
}

// `n` (1–999) in English words: "one hundred twenty-one".
std::string english_hundreds(std::uint64_t n) {
  std::string out;
  if (n >= 100) {
    append_word(out, kEnglishSmall[n / 100]);
    append_word(out, "hundred");
    n %= 100;
  }
  if (n >= 20) {
    append_word(out, kEnglishTens[n / 10]);
    if (n % 10 != 0) {
      out += '-';
      out += kEnglishSmall[n % 10];
    }
  } else if (n > 0) {
    append_word(out, kEnglishSmall[n]);
  }
  return out;
}

// `n` in English words, short scale, lower case: "one thousand five hundred".
std::string english_number(std::uint64_t n) {
  if (n == 0) return std::string(kEnglishSmall[0]);
  std::array<std::uint64_t, kEnglishScales.size()> groups{};  // least significant first
  std::size_t count = 0;
  for (; n > 0; n /= 1000) groups[count++] = n % 1000;
  std::string out;
  for (std::size_t g = count; g-- > 0;) {
    if (groups[g] == 0) continue;
    append_word(out, english_hundreds(groups[g]));
    if (g > 0) append_word(out, kEnglishScales[g]);
  }
  return out;
}

}  // namespace

std::string baht_words(std::int64_t satang) {
  const std::uint64_t amount = magnitude(satang);
  if (amount == 0) return "ศูนย์บาทถ้วน";
  const std::uint64_t baht = amount / kSatangPerBaht;
  const std::uint64_t rest = amount % kSatangPerBaht;
  std::string out = satang < 0 ? "ลบ" : "";
  if (baht > 0) out += thai_number(baht) + "บาท";
  out += rest == 0 ? "ถ้วน" : thai_number(rest) + "สตางค์";
  return out;
}

std::string baht_words_en(std::int64_t satang) {
  const std::uint64_t amount = magnitude(satang);
  const std::uint64_t baht = amount / kSatangPerBaht;
  const std::uint64_t rest = amount % kSatangPerBaht;
  std::string out = satang < 0 ? "minus" : "";
  if (baht > 0 || rest == 0) {
    append_word(out, english_number(baht));
    append_word(out, rest == 0 ? "baht only" : "baht and");
  }
  if (rest > 0) {
    append_word(out, english_number(rest));
    append_word(out, "satang");
  }
  // Every word is ASCII and lower case: capitalise the first letter alone.
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

}  // namespace pratu
