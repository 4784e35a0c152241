#pragma once
/// From what a person typed into a page's inputs to the answer kept, and back: amounts in
/// satang, dates in ISO 8601 (typed as day, month and a Buddhist-era year in Thai), phones in
/// E.164, IDs as their 13 digits, Thai digits read as digits (shared/reference/forms.md §3).
/// What does not read as its type is kept as typed, so it is shown back and the evaluation
/// names its problem: nothing typed is lost.

#include <boost/json/value.hpp>

#include <map>
#include <string>
#include <vector>

#include "domains/applications/form.hpp"
#include "web/context.hpp"

namespace pratu::applications {

/// What a page's form sent for one field.
struct TypedInput {
  std::vector<std::string> values;           // choices: each ticked code; others: one value
  std::map<std::string, std::string> parts;  // date: day, month, year; address: its parts
};

/// The parts of an address input, in the order a page asks for them.
inline constexpr std::array<const char*, 9> kAddressParts = {
    "house_no", "moo", "village", "soi", "road", "province", "district", "subdistrict", "postcode"};

/// The answer to keep for `field` from `typed` (`locale`: the language of the page, which says
/// which era a year is in); null when nothing was typed. Groups and documents are not typed
/// into one input: null.
boost::json::value decode_input(const Field& field, const TypedInput& typed, web::Locale locale);

/// What to show in the inputs of `field` for the answer kept (nullptr: none): the reverse of
/// decode_input, an ISO date as day, month and year of the page's era.
TypedInput show_answer(const Field& field, const boost::json::value* answer, web::Locale locale);

/// Satang from an amount typed in baht: "1,234.50", "1234.5", "฿ 1,234.50", "1234.50 บาท" and
/// Thai digits; nullopt for anything else, more than two decimals included.
std::optional<std::int64_t> parse_baht(std::string_view typed);

/// "+66812345678" from a Thai number typed any common way ("081-234 5678", "(02) 123 4567",
/// "+66 81 234 5678"); nullopt when it is not one.
std::optional<std::string> parse_thai_phone(std::string_view typed);

}  // namespace pratu::applications
