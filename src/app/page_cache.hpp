#pragma once
/// A short-lived cache of public responses (the same for every visitor without a session),
/// so a holiday rush on the catalogue costs one render per page and language a minute.

#include "common/ttl_cache.hpp"
#include "web/message.hpp"

namespace pratu::app {

using PageCache = TtlCache<web::Response>;

}  // namespace pratu::app
