#include "domains/accounts/password_policy.hpp"

#include <algorithm>
#include <iterator>

#include "common/thai_id.hpp"
#include "crypto/password_hasher.hpp"

namespace pratu::accounts {

namespace {

// Passwords of 12 characters or more that lead the breach corpora (SecLists' most common
// credentials, NCSC's 100k list) or are local favourites; shorter ones fail on length.
constexpr std::string_view kCommonPasswords[] = {
    "000000000000",     "111111111111",  "123123123123",     "123412341234",     "123456123456",
    "123456654321",     "123456789123",  "1234567890123",    "12345678901234",   "1234567891011",
    "123456789abc",     "123456789qwe",  "123qweasdzxc",     "147258369147",     "1q2w3e4r5t6y",
    "1q2w3e4r5t6y7u",   "1qaz2wsx3edc",  "1qaz2wsx3edc4rfv", "a1b2c3d4e5f6",     "aa123456789a",
    "abc123456789",     "abcd12345678",  "abcd1234abcd",     "abcdefg12345",     "admin1234567",
    "adminadmin123",    "administrator", "asdfasdfasdf",     "asdfghjkl123",     "asdfghjklqwe",
    "baseball1234",     "bangkok12345",  "bangkok123456",    "changeme1234",     "computer1234",
    "dragon123456",     "football1234",  "iloveyou1234",     "iloveyou123456",   "internet1234",
    "letmein12345",     "monkey123456",  "p@ssw0rd1234",     "p@ssword1234",     "passw0rd1234",
    "password1234",     "password12345", "password123456",   "password123!",     "password@123",
    "passwordpassword", "pratu1234567",  "pratupassword",    "princess1234",     "q1w2e3r4t5y6",
    "qazwsxedcrfv",     "qwe123qwe123",  "qweasdzxc123",     "qwerty123456",     "qwertyqwerty",
    "qwertyuiop12",     "qwertyuiop123", "qwertyuiopas",     "qwertyuiopasdfgh", "starwars1234",
    "sunshine1234",     "superman1234",  "thailand1234",     "thailand12345",    "thailand2024",
    "thailand2025",     "thailand2026",  "trustno112345",    "welcome12345",     "welcome@1234",
    "zaq12wsxcde3",     "zaq1zaq1zaq1",  "zxcvbnm12345",
};

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

// +1 or -1 when `b` follows or precedes `a` (digits wrap: "90" and "09" are steps), else 0.
int step_between(char a, char b) {
  if (a >= '0' && a <= '9' && b >= '0' && b <= '9') {
    int d = ((b - a) % 10 + 10) % 10;
    return d == 1 ? 1 : (d == 9 ? -1 : 0);
  }
  int d = b - a;
  return d == 1 || d == -1 ? d : 0;
}

// One character over and over, or a plain run ("abcdef", "987654", "7890123").
bool is_repetitive(std::string_view s) {
  if (s.size() < 2) return true;
  if (std::all_of(s.begin(), s.end(), [&](char c) { return c == s.front(); })) return true;
  int step = step_between(s[0], s[1]);
  if (step == 0) return false;
  for (std::size_t i = 2; i < s.size(); ++i) {
    if (step_between(s[i - 1], s[i]) != step) return false;
  }
  return true;
}

}  // namespace

bool is_common_password(std::string_view password) {
  std::string lower = ascii_lower(password);
  if (is_repetitive(lower)) return true;
  return std::find(std::begin(kCommonPasswords), std::end(kCommonPasswords), lower) !=
         std::end(kCommonPasswords);
}

std::optional<std::string> check_password(const PasswordPolicy& policy, std::string_view password,
                                          std::initializer_list<std::string_view> personal) {
  if (password.empty()) return "accounts.errors.password_required";
  std::string normalized = crypto::normalize_password(password);
  std::size_t length = code_points(normalized);
  if (length < policy.min_length) return "accounts.errors.password_too_short";
  if (length > policy.max_length) return "accounts.errors.password_too_long";
  if (is_common_password(normalized)) return "accounts.errors.password_common";
  std::string lower = ascii_lower(normalized);
  auto as_id = normalize_thai_id(normalized);
  for (auto item : personal) {
    if (item.empty()) continue;
    std::string other = ascii_lower(item);
    bool same = lower == other || (as_id && *as_id == other);
    // The part of an email before '@' is as guessable as the whole address.
    if (auto at = other.find('@'); !same && at != std::string::npos && at > 0) {
      same = lower == other.substr(0, at);
    }
    if (same) return "accounts.errors.password_personal";
  }
  return std::nullopt;
}

}  // namespace pratu::accounts
