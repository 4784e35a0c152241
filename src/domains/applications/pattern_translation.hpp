#pragma once
/// A form's `pattern` (an ICU regular expression, matched against the whole answer) for readers
/// that speak another dialect: as an ECMAScript pattern for a JSON Schema, and as a sample
/// answer it matches for an example. Only a common subset translates exactly (literals, sets,
/// groups, alternation, quantifiers, lookaround, \d \s \w and general categories); for the rest
/// the answer is nullopt, so no reader is told a rule that differs from the server's.

#include <optional>
#include <string>
#include <string_view>

namespace pratu::applications {

/// The ECMAScript (`u` flag) pattern that matches exactly the texts whose whole `icu_pattern`
/// matches, anchored with ^ and $; nullopt when the pattern uses anything outside the subset.
std::optional<std::string> ecma_pattern(std::string_view icu_pattern);

/// A text that `icu_pattern` probably matches whole, made from the first branch of each
/// alternation, digits and letters for its sets and a few characters per repetition;
/// nullopt when the pattern uses anything outside the subset. The caller checks it.
std::optional<std::string> pattern_sample(std::string_view icu_pattern);

}  // namespace pratu::applications
