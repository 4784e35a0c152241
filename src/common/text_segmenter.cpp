#include "common/text_segmenter.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/rbbi.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <memory>
#include <stdexcept>

namespace pratu {
namespace {

// Creating a BreakIterator costs a service-cache lookup and a copy of its rules on every call;
// one per thread is reused instead (a BreakIterator is not thread-safe, so it is never shared).
icu::BreakIterator& thread_word_iterator() {
  thread_local std::unique_ptr<icu::BreakIterator> iterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> created(
        icu::BreakIterator::createWordInstance(icu::Locale("th"), status));
    if (U_FAILURE(status) || !created) {
      // ICU's data is part of the installation: without it the program cannot search at all.
      throw std::runtime_error(std::string("ICU word BreakIterator unavailable: ") +
                               u_errorName(status));
    }
    return created;
  }();
  return *iterator;
}

// Letters, digits and combining marks (Thai vowels and tone marks are marks) form words.
bool is_word_char(UChar32 c) {
  if (u_isalnum(c)) return true;
  const auto mask = U_GET_GC_MASK(c);
  return (mask & U_GC_M_MASK) != 0;
}

// ICU keeps "B.E", "don't" and "ภ.ป" as one word; indexes treat their pieces as words, so they
// are split here too and the query and the document always agree on the pieces.
void append_pieces(const icu::UnicodeString& word, std::vector<std::string>& out) {
  int32_t start = -1;
  auto flush = [&](int32_t end) {
    if (start < 0) return;
    icu::UnicodeString piece(word, start, end - start);
    piece.foldCase(U_FOLD_CASE_DEFAULT);
    std::string utf8;
    piece.toUTF8String(utf8);
    out.push_back(std::move(utf8));
    start = -1;
  };
  for (int32_t i = 0; i < word.length();) {
    const UChar32 c = word.char32At(i);
    const int32_t next = word.moveIndex32(i, 1);
    if (is_word_char(c)) {
      if (start < 0) start = i;
    } else {
      flush(i);
    }
    i = next;
  }
  flush(word.length());
}

}  // namespace

std::vector<std::string> segment_words(std::string_view text) {
  std::vector<std::string> words;
  if (text.empty()) return words;
  const icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::BreakIterator& iterator = thread_word_iterator();
  iterator.setText(unicode);
  int32_t start = iterator.first();
  for (int32_t end = iterator.next(); end != icu::BreakIterator::DONE;
       start = end, end = iterator.next()) {
    // Rule status below UBRK_WORD_NONE_LIMIT marks spaces and punctuation.
    if (iterator.getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
    append_pieces(icu::UnicodeString(unicode, start, end - start), words);
  }
  // Drop the iterator's alias of `unicode`, which dies with this call.
  static const icu::UnicodeString kNothing;
  iterator.setText(kNothing);
  return words;
}

std::string segment_for_index(std::string_view text) {
  std::string joined;
  for (const std::string& word : segment_words(text)) {
    if (!joined.empty()) joined.push_back(' ');
    joined += word;
  }
  return joined;
}

}  // namespace pratu
