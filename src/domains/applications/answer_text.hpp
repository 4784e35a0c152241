#pragma once
/// An answer as a person reads it, in their language: a money answer in baht, a date in the
/// Buddhist era in Thai, a choice's label, an address in words. The check-your-answers page and
/// the document an application ends with show answers the same way.

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domains/applications/form.hpp"
#include "domains/applications/thai_address.hpp"
#include "web/render.hpp"

namespace pratu::applications {

/// `value` (the answer to `field`, or nullptr) in `locale`'s words; `addresses` names an
/// address's places (null: only the parts typed).
std::string answer_text(const Field& field, const boost::json::value* value,
                        const web::Translations& t, web::Locale locale,
                        const ThaiAddressBook* addresses);

/// `text` with its "{name}" placeholders filled from `args`.
std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& args);

/// A YYYY-MM-DD date in `locale`'s words (Buddhist era in Thai); `iso` itself if malformed.
std::string date_text(web::Locale locale, std::string_view iso);

/// "1,234.50" for 123450 satang.
std::string baht_text(std::int64_t satang);

}  // namespace pratu::applications
