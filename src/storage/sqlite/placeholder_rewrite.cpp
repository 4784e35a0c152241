#include "storage/sqlite/placeholder_rewrite.hpp"

namespace pratu::storage::sqlite {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_identifier_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Index just past a quoted section starting at `i` (the opening quote), with doubled
// quotes as escapes; the end of `sql` if it never closes.
std::size_t skip_quoted(std::string_view sql, std::size_t i, char close) {
  for (std::size_t j = i + 1; j < sql.size(); ++j) {
    if (sql[j] != close) continue;
    if (j + 1 < sql.size() && sql[j + 1] == close) {
      ++j;
      continue;
    }
    return j + 1;
  }
  return sql.size();
}

}  // namespace

std::string rewrite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    std::size_t next = i + 1;
    if (c == '\'' || c == '"' || c == '`') {
      next = skip_quoted(sql, i, c);
    } else if (c == '[') {
      auto close = sql.find(']', i + 1);
      next = close == std::string_view::npos ? sql.size() : close + 1;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      auto end = sql.find('\n', i);
      next = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      auto end = sql.find("*/", i + 2);
      next = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (c == '$' && i + 1 < sql.size() && is_digit(sql[i + 1]) &&
               (i == 0 || !is_identifier_char(sql[i - 1]))) {
      out.push_back('?');
      ++i;
      while (i < sql.size() && is_digit(sql[i])) out.push_back(sql[i++]);
      continue;
    } else if (is_identifier_char(c)) {
      // Copy a whole word so `$` inside an identifier (`a$1`) is never taken for a placeholder.
      while (next < sql.size() && is_identifier_char(sql[next])) ++next;
    }
    out.append(sql.substr(i, next - i));
    i = next;
  }
  return out;
}

}  // namespace pratu::storage::sqlite
