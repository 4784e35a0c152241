#pragma once
/// Word segmentation for search: Thai is written without spaces between words, so both the
/// indexed text and the query are split into words by ICU's dictionary-based BreakIterator.

#include <string>
#include <string_view>
#include <vector>

namespace pratu {

/// Splits mixed Thai/English `text` (UTF-8) into words, case-folded, with spaces and
/// punctuation dropped ("ใบอนุญาตขายสุรา, Liquor" -> ใบ อนุญาต ขาย สุรา liquor).
/// Thread-safe; invalid UTF-8 is replaced, never fatal.
std::vector<std::string> segment_words(std::string_view text);

/// `segment_words(text)` joined by single spaces: the form search indexes store and match.
std::string segment_for_index(std::string_view text);

}  // namespace pratu
