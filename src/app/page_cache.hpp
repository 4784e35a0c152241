#pragma once
/// A short-lived cache of public responses (the same for every visitor without a session),
/// so a holiday rush on the catalogue costs one render per page and language a minute.

#include <string>

#include "common/ttl_cache.hpp"
#include "web/context.hpp"
#include "web/message.hpp"

namespace pratu::app {

using PageCache = TtlCache<web::Response>;

/// The cache key of a public page without a query string, or empty when the page must not be
/// cached: one with a query (pages echo it in their language links, and made-up parameters
/// would let anyone fill the cache, and so empty it).
std::string public_page_key(const web::Request& request, web::Locale locale);

}  // namespace pratu::app
